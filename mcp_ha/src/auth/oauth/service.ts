// The authorization server: /authorize -> Home Assistant's login -> our consent -> our code ->
// /token (PKCE S256, single-use codes, rotating refresh tokens, family revocation on reuse),
// /revoke, /register; and the check of our access tokens for the authenticator. The protocol
// steps are written here by hand (oidc-provider cannot put Home Assistant's login in the middle
// or read client metadata documents; see docs/architecture.md); JOSE is jose's.
import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config, OAuthConfig } from '../../config/schema.js';
import { AppError } from '../../errors.js';
import type { OAuthCaller } from '../caller.js';
import { ClientError, createClients, UNUSED_CLIENT_MS, type Clients, type ResolvedClient } from './clients.js';
import { CODE_MS, codeKey, ExpiringMap, PENDING_MS, type CodeGrant, type Pending } from './codes.js';
import { consentPage, errorPage } from './consentPage.js';
import { loadStoreKey, pkceChallenge, randomToken, sha256 } from './crypto.js';
import { oauthUrls, SCOPE, type OAuthUrls } from './metadata.js';
import { createMetadataFetcher, type MetadataFetcher } from './metadataDocument.js';
import { redirectUriMatches } from './redirectUris.js';
import { OAuthStore, StoreKeyError, summarize, type Grant, type GrantSummary } from './store.js';
import { createAccessTokens, type AccessTokens } from './tokens.js';
import { createUpstream, UpstreamRevokedError, UpstreamUnavailableError, type HaTokens, type Upstream } from './upstream.js';

/** A refresh token not used for this long dies (a new sign-in is needed). */
export const REFRESH_IDLE_MS = 30 * 86_400_000;
/** Home Assistant access tokens are renewed this long before they expire. */
const HA_RENEW_MARGIN_MS = 120_000;
const SWEEP_MS = 10 * 60_000;
const MAX_GRANTS = 10;
export const BROWSER_COOKIE = 'mcp_ha_oauth';

export type PageResult =
  // The browser cookie is left to expire (10 min): another tab may be signing in with it.
  | { kind: 'redirect'; location: string; setCookie?: string; clearCookie?: boolean }
  | { kind: 'page'; status: number; html: string; clearCookie?: boolean };

export interface JsonResult {
  status: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

type Params = Record<string, string | undefined>;

export interface OAuthServiceOptions {
  config: Config;
  oauth: OAuthConfig;
  logger: Logger;
  /** Home Assistant's external_url as last loaded from its config. */
  haExternalUrl: () => string | undefined;
  ca?: string[] | undefined;
  /** Tests: a clock and a shorter access token lifetime. */
  now?: () => number;
  accessTokenSeconds?: number;
}

export interface OAuthService {
  readonly urls: OAuthUrls;
  /** false until the store is open, and for good when its key is wrong. */
  readonly available: boolean;
  /** Opens (or creates) the store; a wrong key logs one line and leaves OAuth off. */
  start(): Promise<void>;
  authorize(q: Params, cookie: string | undefined): Promise<PageResult>;
  callback(q: Params, cookie: string | undefined): Promise<PageResult>;
  consent(form: Params, cookie: string | undefined): Promise<PageResult>;
  token(form: Params, basic: { id: string; secret: string } | undefined): Promise<JsonResult>;
  revoke(form: Params, basic: { id: string; secret: string } | undefined): Promise<JsonResult>;
  register(body: unknown): Promise<JsonResult>;
  /** Is this bearer token one of ours (by its issuer)? */
  isOurs(token: string): boolean;
  /** The caller behind one of our access tokens and its current Home Assistant token; throws AppError. */
  authenticate(token: string): Promise<{ caller: OAuthCaller; haToken: string }>;
  /** Home Assistant refused this grant's access token: renew it once, or end the grant. Returns the new token. */
  haRefused(grantId: string): Promise<string>;
  /** Internal API (the add-on's web page): grants and consents by user and client. */
  grants: {
    list(filter?: { userId?: string; clientId?: string }): GrantSummary[];
    revoke(grantId: string): Promise<boolean>;
    consents(filter?: { userId?: string; clientId?: string }): { user_id: string; user_name: string; client_id: string; client_name: string; scope: string; granted_at: string }[];
    /** Forgets a remembered consent and ends the grants made under it. */
    revokeConsent(userId: string, clientId: string): Promise<number>;
  };
  /** Tests: the in-memory Home Assistant refresh token of a grant (to revoke it in Home Assistant). */
  haRefreshTokenOf(grantId: string): string | undefined;
  close(): Promise<void>;
}

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const oauthJson = (e: OAuthError): JsonResult => ({
  status: e.status,
  body: { error: e.error, error_description: e.description },
  ...(e.error === 'invalid_client' && e.status === 401 ? { headers: { 'WWW-Authenticate': 'Basic realm="mcp-ha"' } } : {}),
});

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The scopes asked for, or SCOPE; undefined when one is unknown. */
function scopeOf(requested: string | undefined): string | undefined {
  if (requested === undefined || requested.trim() === '') return SCOPE;
  const words = requested.trim().split(/\s+/);
  return words.every((w) => w === SCOPE) ? SCOPE : undefined;
}

export function createOAuthService(opts: OAuthServiceOptions): OAuthService {
  const { config, oauth, logger } = opts;
  const now = opts.now ?? Date.now;
  const urls = oauthUrls(oauth.baseUrl, config.secretPath);
  const dir = join(config.dataDir, 'oauth');
  const fetcher: MetadataFetcher = createMetadataFetcher({ allowPrivate: oauth.allowPrivateAddresses, ca: opts.ca, now });
  const upstream: Upstream = createUpstream({ baseUrl: oauth.baseUrl, haInternalUrl: config.ha.userBase, ca: opts.ca, now });
  let store: OAuthStore | undefined;
  let clients: Clients | undefined;
  let tokens: AccessTokens | undefined;
  let available = false;
  let sweepTimer: NodeJS.Timeout | undefined;

  // A pending sign-in or code nobody finished leaves a Home Assistant refresh token behind: revoke it.
  const dropHa = (ha: { refreshToken: string } | undefined) => {
    if (ha) void upstream.revoke(ha.refreshToken);
  };
  const pending = new ExpiringMap<Pending>(PENDING_MS, now, (p) => dropHa(p.ha));
  const codes = new ExpiringMap<CodeGrant>(CODE_MS, now, (c) => dropHa(c.ha));
  /** Codes already exchanged, by hash -> grant id: a second use revokes what the first made (RFC 6749 4.1.2). */
  const spentCodes = new ExpiringMap<string>(10 * CODE_MS, now);
  const haSessions = new Map<string, HaTokens>();
  const renewing = new Map<string, Promise<HaTokens>>();

  const need = (): { store: OAuthStore; clients: Clients; tokens: AccessTokens } => {
    if (!available || !store || !clients || !tokens) throw new OAuthError('temporarily_unavailable', 'The OAuth store is not open (see the add-on log).', 503);
    return { store, clients, tokens };
  };

  async function endGrant(g: Grant, why: string): Promise<void> {
    store?.removeGrant(g.id);
    haSessions.delete(g.id);
    void upstream.revoke(g.ha_refresh_token);
    logger.info({ grant: g.id.slice(0, 8), user: g.user_name, client: g.client_name, why }, 'oauth grant ended');
    await store?.persist();
  }

  async function sweep(): Promise<void> {
    if (!store) return;
    pending.sweep();
    codes.sweep();
    const expired = store.expireGrants(now());
    for (const g of expired) void upstream.revoke(g.ha_refresh_token);
    const dropped = store.expireClients(now(), UNUSED_CLIENT_MS);
    if (expired.length || dropped) await store.persist().catch((err: Error) => logger.error({ err: err.message }, 'oauth store write failed'));
  }

  /** The grant's Home Assistant access token, renewed from its refresh token when missing or close to expiry. */
  function haAccess(g: Grant, force = false): Promise<HaTokens> {
    const current = haSessions.get(g.id);
    if (!force && current && current.expiresAt - HA_RENEW_MARGIN_MS > now()) return Promise.resolve(current);
    const inFlight = renewing.get(g.id);
    if (inFlight) return inFlight;
    const p = upstream
      .refresh(g.ha_refresh_token)
      .then((t) => {
        haSessions.set(g.id, t);
        return t;
      })
      .finally(() => renewing.delete(g.id));
    renewing.set(g.id, p);
    return p;
  }

  const unauthorized = (message: string, suggestion = 'Sign in again through the client (OAuth); its refresh token may still get a new access token.'): AppError =>
    new AppError('unauthorized', message, suggestion);

  async function haAccessOrFail(g: Grant, force = false): Promise<HaTokens> {
    try {
      return await haAccess(g, force);
    } catch (err) {
      if (err instanceof UpstreamRevokedError) {
        await endGrant(g, 'Home Assistant refused its refresh token');
        throw unauthorized('Home Assistant no longer accepts this sign-in (its token was revoked or the user removed).', 'Sign in again through the client.');
      }
      throw new AppError('ha_unreachable', 'Home Assistant could not renew the sign-in.', 'Retry in a few seconds.', { cause: err });
    }
  }

  function abilities(): string[] {
    const out = ['See your home: entities, states, areas, history and logbook'];
    if (config.policy.readOnly) out.push('Nothing else: the add-on is read-only');
    else if (config.toolsets.includes('write')) out.push('Control devices and run the services the add-on\'s policy allows, as this user (shown in the logbook)');
    if (config.toolsets.includes('admin')) out.push('Read the add-on\'s audit log and undo its own changes');
    if (config.toolsets.includes('config')) out.push('Edit automations, scripts, helpers and dashboards');
    return out;
  }

  function issueCode(p: Pending & { user: NonNullable<Pending['user']>; ha: NonNullable<Pending['ha']> }): PageResult {
    const code = randomToken();
    codes.set(codeKey(code), { clientId: p.client.clientId, client: p.client, redirectUri: p.redirectUri, challenge: p.challenge, resource: p.resource, scope: p.scope, user: p.user, ha: p.ha, expiresAt: now() + CODE_MS });
    pending.delete(p.id);
    return { kind: 'redirect', location: withParams(p.redirectUri, { code, state: p.state, iss: urls.issuer }) };
  }

  const page = (status: number, message: string, suggestion: string): PageResult => ({ kind: 'page', status, html: errorPage(message, suggestion) });

  /** The pending sign-in for this state/tx, if this browser started it. */
  function pendingFor(id: string | undefined, cookie: string | undefined): Pending | undefined {
    if (!id || id.length > 100) return undefined;
    const p = pending.get(id);
    if (!p || !cookie || !safeEqual(p.browser, sha256(cookie))) return undefined;
    return p;
  }

  async function clientAuth(form: Params, basic: { id: string; secret: string } | undefined): Promise<ResolvedClient> {
    const { clients: cs } = need();
    const id = basic?.id ?? form.client_id;
    if (!id) throw new OAuthError('invalid_client', 'client_id is missing', 401);
    if (basic && form.client_id && form.client_id !== basic.id) throw new OAuthError('invalid_request', 'client_id differs from the Basic credentials');
    let client: ResolvedClient;
    try {
      client = await cs.resolve(id);
    } catch (err) {
      if (err instanceof ClientError) throw new OAuthError('invalid_client', err.message, 401);
      throw err;
    }
    if (!cs.authenticate(client, basic?.secret ?? form.client_secret)) throw new OAuthError('invalid_client', 'client authentication failed', 401);
    return client;
  }

  async function tokenResponse(g: Grant, refreshToken: string): Promise<JsonResult> {
    const { tokens: ts } = need();
    const at = await ts.sign({ sub: g.user_id, client_id: g.client_id, grant: g.id, scope: g.scope }, g.resource);
    return {
      status: 200,
      body: { access_token: at.token, token_type: 'Bearer', expires_in: at.expiresIn, refresh_token: refreshToken, scope: g.scope },
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    };
  }

  async function codeGrant(form: Params, client: ResolvedClient): Promise<JsonResult> {
    const { store: st } = need();
    const code = form.code;
    if (!code) throw new OAuthError('invalid_request', 'code is missing');
    const key = codeKey(code);
    const c = codes.take(key);
    if (!c) {
      const made = spentCodes.take(key);
      const g = made ? st.grant(made) : undefined;
      if (g) await endGrant(g, 'authorization code used twice');
      throw new OAuthError('invalid_grant', 'the code is unknown, expired or already used');
    }
    if (c.clientId !== client.clientId) {
      dropHa(c.ha);
      throw new OAuthError('invalid_grant', 'the code was issued to another client');
    }
    if (form.redirect_uri !== c.redirectUri) {
      dropHa(c.ha);
      throw new OAuthError('invalid_grant', 'redirect_uri differs from the one of the authorization request');
    }
    if (!form.code_verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(form.code_verifier) || !safeEqual(pkceChallenge(form.code_verifier), c.challenge)) {
      dropHa(c.ha);
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge (PKCE S256)');
    }
    if (form.resource !== undefined && !urls.audiences.includes(form.resource)) {
      dropHa(c.ha);
      throw new OAuthError('invalid_target', `resource must be ${urls.resource}`);
    }
    if (form.resource !== undefined && form.resource !== c.resource) {
      dropHa(c.ha);
      throw new OAuthError('invalid_grant', 'resource differs from the one of the authorization request');
    }
    const refreshToken = randomToken();
    const t = now();
    const g: Grant = {
      id: randomToken(16),
      client_id: client.clientId,
      client_name: client.clientName,
      client_kind: client.kind,
      user_id: c.user.id,
      user_name: c.user.name,
      resource: c.resource,
      scope: c.scope,
      ha_refresh_token: c.ha.refreshToken,
      refresh_hash: sha256(refreshToken),
      spent_hashes: [],
      created_at: t,
      last_used_at: t,
      expires_at: t + REFRESH_IDLE_MS,
    };
    // Each sign-in is a grant; one user and client keep at most MAX_GRANTS (the oldest ends).
    const same = st.grants({ userId: g.user_id, clientId: g.client_id });
    if (same.length >= MAX_GRANTS) await endGrant(same.sort((x, y) => x.last_used_at - y.last_used_at)[0] as Grant, 'too many sign-ins of this user and client');
    st.addGrant(g);
    await st.persist();
    haSessions.set(g.id, { accessToken: c.ha.accessToken, expiresAt: c.ha.expiresAt });
    spentCodes.set(key, g.id);
    logger.info({ grant: g.id.slice(0, 8), user: g.user_name, client: g.client_name, kind: g.client_kind }, 'oauth grant made');
    return tokenResponse(g, refreshToken);
  }

  async function refreshGrant(form: Params, client: ResolvedClient): Promise<JsonResult> {
    const { store: st } = need();
    const presented = form.refresh_token;
    if (!presented) throw new OAuthError('invalid_request', 'refresh_token is missing');
    const found = st.grantByRefreshHash(sha256(presented));
    if (!found) throw new OAuthError('invalid_grant', 'the refresh token is unknown or revoked');
    const g = found.grant;
    if (found.spent) {
      // A spent refresh token came back: someone holds a copy. End the whole family.
      await endGrant(g, 'refresh token reused');
      throw new OAuthError('invalid_grant', 'the refresh token was already used; every token of this sign-in is revoked');
    }
    if (g.client_id !== client.clientId) throw new OAuthError('invalid_grant', 'the refresh token belongs to another client');
    if (g.expires_at <= now()) {
      await endGrant(g, 'refresh token expired');
      throw new OAuthError('invalid_grant', 'the refresh token expired');
    }
    if (form.resource !== undefined && !urls.audiences.includes(form.resource)) throw new OAuthError('invalid_target', `resource must be ${urls.resource}`);
    if (scopeOf(form.scope) === undefined) throw new OAuthError('invalid_scope', `the only scope is ${SCOPE}`);
    // The user must still exist in Home Assistant and its token there still be valid.
    try {
      await haAccess(g, true);
    } catch (err) {
      if (err instanceof UpstreamRevokedError) {
        await endGrant(g, 'Home Assistant refused its refresh token');
        throw new OAuthError('invalid_grant', 'Home Assistant no longer accepts this sign-in; sign in again');
      }
      throw new OAuthError('temporarily_unavailable', 'Home Assistant could not be reached; retry shortly', 503);
    }
    const next = randomToken();
    st.rotate(g, sha256(next), now(), REFRESH_IDLE_MS);
    await st.persist();
    return tokenResponse(g, next);
  }

  return {
    urls,
    get available() {
      return available;
    },

    async start() {
      try {
        const { key, source } = await loadStoreKey(dir, oauth.encryptionKey);
        const s = new OAuthStore(dir, key);
        await s.load();
        store = s;
        clients = createClients({ store: s, fetcher, listed: oauth.clients, now });
        tokens = createAccessTokens({ key, issuer: urls.issuer, audiences: urls.audiences, ttlSeconds: opts.accessTokenSeconds, now });
        available = true;
        await sweep();
        sweepTimer = setInterval(() => void sweep(), SWEEP_MS);
        sweepTimer.unref();
        logger.info({ issuer: urls.issuer, key: source, grants: s.grants().length }, 'oauth authorization server ready');
        const base = new URL(urls.issuer);
        if (base.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(base.hostname)) {
          logger.warn(`base_url ${urls.issuer} is not https: Claude.ai, ChatGPT and browsers refuse OAuth over plain http; put HTTPS in front (see DOCS.md).`);
        }
      } catch (err) {
        const msg =
          err instanceof StoreKeyError
            ? `OAuth is off: ${err.message}. Set OAUTH_ENCRYPTION_KEY to the key it was written with (or remove the file to start over); nothing was changed.`
            : `OAuth is off: the OAuth store could not be opened (${(err as Error).message}).`;
        logger.error(msg);
      }
    },

    async authorize(q, cookie) {
      if (!available) return page(503, 'Sign-in is not available right now.', 'The add-on log says why (usually OAUTH_ENCRYPTION_KEY).');
      const { clients: cs } = need();
      if (!q.client_id) return page(400, 'The request has no client_id.', 'Start the connection again from your AI client.');
      let client: ResolvedClient;
      try {
        client = await cs.resolve(q.client_id);
      } catch (err) {
        if (err instanceof ClientError) return page(400, `The client is not known: ${err.message}.`, 'Remove the connector in your AI client and add it again, so that it registers anew.');
        throw err;
      }
      const redirectUri = q.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
      if (!redirectUri || !redirectUriMatches(client.redirectUris, redirectUri)) {
        return page(400, 'The redirect_uri is not one this client registered.', 'Remove the connector in your AI client and add it again.');
      }
      // From here on, problems go back to the client by redirect (RFC 6749 4.1.2.1).
      const fail = (error: string, description: string): PageResult => ({ kind: 'redirect', location: withParams(redirectUri, { error, error_description: description, state: q.state, iss: urls.issuer }) });
      if (q.response_type !== 'code') return fail('unsupported_response_type', 'only response_type=code is supported');
      if (!q.code_challenge || !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge)) return fail('invalid_request', 'code_challenge (PKCE) is required');
      if (q.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
      const resource = q.resource ?? urls.resource;
      if (!urls.audiences.includes(resource)) return fail('invalid_target', `resource must be ${urls.resource}`);
      const scope = scopeOf(q.scope);
      if (!scope) return fail('invalid_scope', `the only scope is ${SCOPE}`);
      if (q.state !== undefined && q.state.length > 1000) return fail('invalid_request', 'state is longer than 1000 characters');
      const haUrl = (oauth.haExternalUrl ?? opts.haExternalUrl())?.replace(/\/+$/, '');
      if (!haUrl) return page(503, 'Home Assistant\'s address for browsers is not known.', 'Set Home Assistant\'s external URL (Settings > System > Network) or the add-on option ha_external_url.');
      const browser = cookie && cookie.length <= 100 ? cookie : randomToken();
      const p: Pending = { id: randomToken(), browser: sha256(browser), client, redirectUri, state: q.state, challenge: q.code_challenge, resource, scope, createdAt: now() };
      pending.set(p.id, p);
      return { kind: 'redirect', location: upstream.authorizeUrl(haUrl, p.id), setCookie: browser };
    },

    async callback(q, cookie) {
      const p = pendingFor(q.state, cookie);
      if (!p) return page(400, 'This sign-in is unknown or expired, or was started in another browser.', 'Start the connection again from your AI client, in this browser.');
      const back = (error: string, description: string): PageResult => {
        pending.delete(p.id);
        dropHa(p.ha);
        return { kind: 'redirect', location: withParams(p.redirectUri, { error, error_description: description, state: p.state, iss: urls.issuer }) };
      };
      if (!q.code || q.code.length > 200) return back('access_denied', 'the Home Assistant login was not completed');
      if (p.ha) return page(400, 'This sign-in already passed the Home Assistant login.', 'Use the consent page you were shown, or start again.');
      try {
        const ha = await upstream.exchangeCode(q.code);
        p.ha = ha;
        p.user = await upstream.currentUser(ha.accessToken);
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'oauth: the Home Assistant login could not be completed');
        if (err instanceof UpstreamRevokedError) return back('access_denied', 'Home Assistant refused the login');
        return page(502, 'Home Assistant could not complete the login.', 'Check that the add-on reaches Home Assistant, then try again.');
      }
      const { store: st } = need();
      const remembered = st.consent(p.user.id, p.client.clientId);
      if (remembered && remembered.scope === p.scope) return issueCode(p as Parameters<typeof issueCode>[0]);
      p.csrf = randomToken();
      return {
        kind: 'page',
        status: 200,
        html: consentPage({
          tx: p.id,
          csrf: p.csrf,
          clientName: p.client.clientName,
          clientId: p.client.clientId,
          redirectHost: new URL(p.redirectUri).host || p.redirectUri.split(':')[0] || '?',
          kind: p.client.kind,
          userName: p.user.name,
          abilities: abilities(),
        }),
      };
    },

    async consent(form, cookie) {
      const p = pendingFor(form.tx, cookie);
      if (!p || !p.user || !p.ha || !p.csrf || !form.csrf || !safeEqual(p.csrf, form.csrf)) {
        return page(400, 'This consent form is unknown or expired, or was opened in another browser.', 'Start the connection again from your AI client.');
      }
      if (form.decision !== 'allow') {
        pending.delete(p.id);
        dropHa(p.ha);
        return { kind: 'redirect', location: withParams(p.redirectUri, { error: 'access_denied', error_description: 'the user denied access', state: p.state, iss: urls.issuer }) };
      }
      const { store: st } = need();
      st.rememberConsent({ user_id: p.user.id, user_name: p.user.name, client_id: p.client.clientId, client_name: p.client.clientName, scope: p.scope, granted_at: now() });
      await st.persist();
      return issueCode(p as Parameters<typeof issueCode>[0]);
    },

    async token(form, basic) {
      try {
        const client = await clientAuth(form, basic);
        if (form.grant_type === 'authorization_code') return await codeGrant(form, client);
        if (form.grant_type === 'refresh_token') return await refreshGrant(form, client);
        throw new OAuthError(form.grant_type ? 'unsupported_grant_type' : 'invalid_request', form.grant_type ? `grant_type ${form.grant_type.slice(0, 50)} is not supported` : 'grant_type is missing');
      } catch (err) {
        if (err instanceof OAuthError) return oauthJson(err);
        throw err;
      }
    },

    async revoke(form, basic) {
      try {
        const client = await clientAuth(form, basic);
        const { store: st, tokens: ts } = need();
        const token = form.token;
        if (!token) throw new OAuthError('invalid_request', 'token is missing');
        let g: Grant | undefined;
        if (ts.isOurs(token)) {
          const v = await ts.verify(token);
          if (v.ok) g = st.grant(v.claims.grant);
        } else {
          g = st.grantByRefreshHash(sha256(token))?.grant;
        }
        // RFC 7009: 200 for unknown tokens too; another client's token is left alone.
        if (g && g.client_id === client.clientId) await endGrant(g, 'revoked by the client');
        return { status: 200 };
      } catch (err) {
        if (err instanceof OAuthError) return oauthJson(err);
        throw err;
      }
    },

    async register(body) {
      try {
        const { clients: cs } = need();
        return { status: 201, body: await cs.register(body, now()), headers: { 'Cache-Control': 'no-store' } };
      } catch (err) {
        if (err instanceof ClientError) return { status: err.error === 'temporarily_unavailable' ? 503 : 400, body: { error: err.error, error_description: err.message } };
        if (err instanceof OAuthError) return oauthJson(err);
        throw err;
      }
    },

    isOurs: (token) => available && tokens !== undefined && tokens.isOurs(token),

    async authenticate(token) {
      if (!available || !tokens || !store) throw new AppError('unauthorized', 'OAuth sign-in is not available right now.', 'The add-on log says why; API keys still work.');
      const v = await tokens.verify(token);
      if (!v.ok) {
        if (v.reason === 'expired') throw unauthorized('The access token expired.', 'Get a new one with the refresh token (grant_type=refresh_token).');
        if (v.reason === 'audience') throw unauthorized(`The access token was issued for another resource; this server is ${urls.resource}.`, 'Ask for a token with resource set to this server.');
        throw unauthorized('Invalid access token.');
      }
      const g = store.grant(v.claims.grant);
      if (!g) throw unauthorized('This sign-in was revoked.', 'Sign in again through the client.');
      const ha = await haAccessOrFail(g);
      const grantId = g.id;
      const caller: OAuthCaller = {
        kind: 'oauth',
        userId: g.user_id,
        userName: g.user_name,
        clientId: g.client_id,
        clientName: g.client_name,
        grantId,
        // Sessions keep their caller: always the grant's latest token.
        haToken: () => haSessions.get(grantId)?.accessToken ?? ha.accessToken,
      };
      return { caller, haToken: ha.accessToken };
    },

    async haRefused(grantId) {
      const g = store?.grant(grantId);
      if (!g) throw unauthorized('This sign-in was revoked.', 'Sign in again through the client.');
      return (await haAccessOrFail(g, true)).accessToken;
    },

    grants: {
      list: (filter) => (store ? store.grants(filter).map(summarize) : []),
      async revoke(grantId) {
        const g = store?.grant(grantId);
        if (!g) return false;
        await endGrant(g, 'revoked in the add-on');
        return true;
      },
      consents: (filter) => (store ? store.consents(filter).map((c) => ({ ...c, granted_at: new Date(c.granted_at).toISOString() })) : []),
      async revokeConsent(userId, clientId) {
        if (!store) return 0;
        const gone = store.removeConsent(userId, clientId);
        for (const g of gone) {
          haSessions.delete(g.id);
          void upstream.revoke(g.ha_refresh_token);
        }
        await store.persist();
        return gone.length;
      },
    },

    haRefreshTokenOf: (grantId) => store?.grant(grantId)?.ha_refresh_token,

    async close() {
      clearInterval(sweepTimer);
      await Promise.allSettled([fetcher.close(), upstream.close()]);
    },
  };
}

export { UpstreamUnavailableError };
