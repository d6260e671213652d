// Bearer authentication: API keys from the options (constant-time), our own OAuth access tokens,
// or Home Assistant user tokens checked against Home Assistant, the verdict cached by token hash
// for at most 60 s. An OAuth caller's Home Assistant token gets the same check, so a sign-in that
// Home Assistant revoked (or whose user it removed) stops working within that time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';
import type { HaClient } from '../ha/types.js';
import type { Caller } from './caller.js';
import type { OAuthService } from './oauth/service.js';

const VERDICT_TTL_MS = 60_000;
const REFUSAL_TTL_MS = 5_000;
const MAX_CACHED = 2_000;

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

export interface Authenticator {
  /** The caller for an Authorization header, or an AppError (unauthorized / ha_unreachable). */
  authenticate(header: string | undefined): Promise<Caller>;
}

export function createAuthenticator(
  apiKeys: { name: string; key: string }[],
  ha: Pick<HaClient, 'checkUserToken'>,
  verdictTtlMs = VERDICT_TTL_MS,
  oauth?: Pick<OAuthService, 'isOurs' | 'authenticate' | 'haRefused'>,
): Authenticator {
  const keys = apiKeys.map((k) => ({ name: k.name, digest: sha256(k.key) }));
  const verdicts = new Map<string, { ok: boolean; until: number }>();

  function remember(hash: string, ok: boolean): void {
    if (verdicts.size >= MAX_CACHED) {
      const now = Date.now();
      for (const [h, v] of verdicts) if (v.until <= now) verdicts.delete(h);
      if (verdicts.size >= MAX_CACHED) verdicts.delete(verdicts.keys().next().value as string);
    }
    verdicts.set(hash, { ok, until: Date.now() + (ok ? verdictTtlMs : Math.min(verdictTtlMs, REFUSAL_TTL_MS)) });
  }

  /** Does Home Assistant accept this user token (cached verdict unless fresh)? */
  async function check(token: string, fresh = false): Promise<boolean> {
    const hash = sha256(token).toString('hex');
    const cached = verdicts.get(hash);
    if (!fresh && cached && cached.until > Date.now()) return cached.ok;
    const ok = await ha.checkUserToken(token);
    remember(hash, ok);
    return ok;
  }

  return {
    async authenticate(header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
      if (!match) {
        throw new AppError('unauthorized', header ? 'Malformed Authorization header.' : 'Missing bearer token.', HOW_TO_AUTH);
      }
      const token = match[1] as string;
      const digest = sha256(token);
      // Compare against every key so that timing does not tell which (or whether one) matched.
      let found: string | undefined;
      for (const k of keys) if (timingSafeEqual(k.digest, digest) && found === undefined) found = k.name;
      if (found !== undefined) return { kind: 'api_key', name: found };

      if (oauth?.isOurs(token)) {
        const { caller, haToken } = await oauth.authenticate(token);
        if (await check(haToken)) return caller;
        // Home Assistant refused the user's token: one renewal, else the grant ends (haRefused throws).
        if (await check(await oauth.haRefused(caller.grantId), true)) return caller;
        throw new AppError('unauthorized', 'Home Assistant no longer accepts this sign-in.', 'Sign in again through the client.');
      }

      const hash = digest.toString('hex');
      if (!(await check(token))) throw new AppError('unauthorized', 'Invalid or revoked token.', HOW_TO_AUTH);
      return { kind: 'ha_user', token, tokenHash: hash };
    },
  };
}

export const HOW_TO_AUTH =
  'Send "Authorization: Bearer <token>" with a Home Assistant long-lived access token (Profile > Security > Long-lived access tokens) or an API key from the add-on options.';
