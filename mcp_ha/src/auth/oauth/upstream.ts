// Home Assistant as our login (its IndieAuth OAuth2, rules 23-28 of the recordings): the browser
// goes to HA's /auth/authorize with client_id = our base URL and a redirect_uri on our origin;
// we exchange HA's code, refresh and revoke over the internal URL, and ask who logged in with
// auth/current_user on a short WebSocket. HA's tokens stay here: no client ever sees them.
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { z } from 'zod';

const TIMEOUT_MS = 10_000;

const TokenAnswer = z.object({ access_token: z.string().min(1).max(4096), refresh_token: z.string().min(1).max(4096).optional(), expires_in: z.number().int().positive() });
const CurrentUser = z.looseObject({ id: z.string().min(1).max(64), name: z.string().max(200).nullable().optional(), is_admin: z.boolean().optional() });

export interface HaUser {
  id: string;
  name: string;
  isAdmin: boolean;
}

export interface HaTokens {
  accessToken: string;
  /** ms since epoch */
  expiresAt: number;
}

/** A refresh token Home Assistant no longer accepts (revoked, user removed, expired). */
export class UpstreamRevokedError extends Error {
  override name = 'UpstreamRevokedError';
}

/** Home Assistant could not be asked (down, timeout, odd answer). */
export class UpstreamUnavailableError extends Error {
  override name = 'UpstreamUnavailableError';
}

export interface Upstream {
  /** Where the browser logs in. */
  authorizeUrl(haExternalUrl: string, state: string): string;
  /** Our callback (HA's redirect_uri). */
  readonly callbackUrl: string;
  exchangeCode(code: string): Promise<HaTokens & { refreshToken: string }>;
  refresh(refreshToken: string): Promise<HaTokens>;
  revoke(refreshToken: string): Promise<void>;
  currentUser(accessToken: string): Promise<HaUser>;
  close(): Promise<void>;
}

export function createUpstream(opts: { baseUrl: string; haInternalUrl: string; ca?: string[] | undefined; now?: () => number }): Upstream {
  const now = opts.now ?? Date.now;
  // IndieAuth: HA accepts a redirect_uri on the client id's scheme and host:port without fetching anything.
  const clientId = `${opts.baseUrl}/`;
  const callbackUrl = `${opts.baseUrl}/oauth/ha-callback`;
  const agent = new Agent({ connect: { timeout: TIMEOUT_MS, ...(opts.ca ? { ca: opts.ca } : {}) } });

  async function post(path: string, form: Record<string, string>): Promise<{ status: number; body: unknown }> {
    let res;
    try {
      res = await request(`${opts.haInternalUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        dispatcher: agent,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new UpstreamUnavailableError(`Home Assistant's ${path} could not be reached (${(err as { code?: string }).code ?? (err as Error).name})`);
    }
    const text = await res.body.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, body };
  }

  function tokens(answer: { status: number; body: unknown }, what: string): z.infer<typeof TokenAnswer> {
    if (answer.status === 400 || answer.status === 401 || answer.status === 403) throw new UpstreamRevokedError(`Home Assistant refused the ${what}`);
    const parsed = TokenAnswer.safeParse(answer.body);
    if (answer.status !== 200 || !parsed.success) throw new UpstreamUnavailableError(`Home Assistant answered the ${what} with HTTP ${answer.status}`);
    return parsed.data;
  }

  return {
    callbackUrl,
    authorizeUrl(haExternalUrl, state) {
      const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: callbackUrl, state });
      return `${haExternalUrl}/auth/authorize?${q}`;
    },
    async exchangeCode(code) {
      const t = tokens(await post('/auth/token', { grant_type: 'authorization_code', code, client_id: clientId }), 'login code');
      if (!t.refresh_token) throw new UpstreamUnavailableError('Home Assistant gave no refresh token');
      return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: now() + t.expires_in * 1000 };
    },
    async refresh(refreshToken) {
      const t = tokens(await post('/auth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }), 'refresh token');
      return { accessToken: t.access_token, expiresAt: now() + t.expires_in * 1000 };
    },
    async revoke(refreshToken) {
      await post('/auth/revoke', { token: refreshToken }).catch(() => undefined);
    },
    currentUser(accessToken) {
      const wsUrl = `${opts.haInternalUrl.replace(/^http/, 'ws')}/api/websocket`;
      return new Promise<HaUser>((resolve, reject) => {
        const ws = new WebSocket(wsUrl, { ...(opts.ca ? { ca: opts.ca } : {}), handshakeTimeout: TIMEOUT_MS, maxPayload: 1024 * 1024 });
        const fail = (msg: string) => {
          clearTimeout(timer);
          ws.terminate();
          reject(new UpstreamUnavailableError(msg));
        };
        const timer = setTimeout(() => fail('Home Assistant did not say who logged in within 10 s'), TIMEOUT_MS);
        ws.on('error', (err) => fail(`Home Assistant's WebSocket failed (${(err as { code?: string }).code ?? err.name})`));
        ws.on('message', (data) => {
          let msg: { type?: string; id?: number; success?: boolean; result?: unknown };
          try {
            msg = JSON.parse(data.toString()) as typeof msg;
          } catch {
            return fail('Home Assistant sent a frame that is not JSON');
          }
          if (msg.type === 'auth_required') ws.send(JSON.stringify({ type: 'auth', access_token: accessToken }));
          else if (msg.type === 'auth_invalid') {
            clearTimeout(timer);
            ws.terminate();
            reject(new UpstreamRevokedError('Home Assistant refused the new access token'));
          } else if (msg.type === 'auth_ok') ws.send(JSON.stringify({ id: 1, type: 'auth/current_user' }));
          else if (msg.type === 'result' && msg.id === 1) {
            const user = CurrentUser.safeParse(msg.result);
            clearTimeout(timer);
            ws.close();
            if (!msg.success || !user.success) return reject(new UpstreamUnavailableError('Home Assistant did not name the user'));
            resolve({ id: user.data.id, name: user.data.name || user.data.id, isAdmin: user.data.is_admin === true });
          }
        });
      });
    },
    close: () => agent.close(),
  };
}
