// Home Assistant's login (the "homeassistant" auth provider) and its OAuth2 tokens, as recorded in
// rest-auth-flow.json / ws-auth-flow.json: login flows, authorization codes (10 minutes, single
// use, bound to their client id), refresh tokens (128 hex, expire 90 days after their last use)
// and access tokens (HS256 JWTs {iss: refresh token id, iat, exp: iat + 1800} signed with the
// refresh token's own key, so two made in the same second are identical). Revoking a refresh
// token ends its access tokens and the sockets opened with them. HTTP lives in http/authFlow.ts.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimUser, TokenStore } from './auth.js';
import { hexId } from './util/ids.js';
import { verifyRedirectUri } from './util/indieauth.js';

export const ACCESS_TOKEN_SECONDS = 1800;
const CODE_MS = 10 * 60_000;
const REFRESH_TOKEN_MS = 90 * 86_400_000;
/** PyJWT's leeway in HA's validation. */
const LEEWAY_SECONDS = 10;
/** Flows nobody finished are dropped beyond this many (HA keeps them in memory too). */
const MAX_FLOWS = 1000;

export interface Login {
  username: string;
  password: string;
  user: SimUser;
}

export interface LoginFlow {
  flowId: string;
  redirectUri: string;
  ip: string;
}

export interface RefreshToken {
  id: string;
  token: string;
  jwtKey: string;
  clientId: string;
  user: SimUser;
  createdAt: number;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  expireAt: number;
  /** Every access token made from it (for closing their sockets on revoke). */
  accessTokens: Set<string>;
}

export type StepResult =
  | { kind: 'form'; error: 'invalid_auth' | null }
  | { kind: 'code'; code: string }
  | { kind: 'bad_redirect' };

export interface Grant {
  accessToken: string;
  refreshToken: RefreshToken;
}

/** HA's homeassistant provider matches user names stripped and case-folded. */
const normalize = (username: string): string => username.trim().toLowerCase();

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');
const JWT_HEADER = b64url('{"alg":"HS256","typ":"JWT"}');

export class OAuthStore {
  private logins = new Map<string, Login>();
  private flows = new Map<string, LoginFlow>();
  private codes = new Map<string, { created: number; user: SimUser }>();
  private byToken = new Map<string, RefreshToken>();
  private byId = new Map<string, RefreshToken>();
  private offsetMs = 0;
  /** When the simulator started (long-lived tokens count as made then). */
  readonly startedAt = Date.now();

  constructor(private readonly tokens: TokenStore) {
    tokens.addResolver((token) => this.validateAccessToken(token)?.user);
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves this store's clock (codes, access and refresh tokens expire by it). */
  advanceClock(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  addLogin(username: string, password: string, user: SimUser): void {
    this.logins.set(normalize(username), { username, password, user });
  }

  /** The login name of a user, if it has one (config/auth/list shows it). */
  usernameOf(userId: string): string | undefined {
    for (const l of this.logins.values()) if (l.user.id === userId) return l.username;
    return undefined;
  }

  startFlow(redirectUri: string, ip: string): LoginFlow {
    if (this.flows.size >= MAX_FLOWS) this.flows.delete(this.flows.keys().next().value!);
    const flow = { flowId: hexId(), redirectUri, ip };
    this.flows.set(flow.flowId, flow);
    return flow;
  }

  flow(flowId: string): LoginFlow | undefined {
    return this.flows.get(flowId);
  }

  abortFlow(flowId: string): boolean {
    return this.flows.delete(flowId);
  }

  /** The password step. A right password ends the flow, with a code or (another host) a refused redirect URI. */
  step(flow: LoginFlow, clientId: string, username: string, password: string): StepResult {
    const login = this.logins.get(normalize(username));
    if (!login || !safeEqual(login.password, password)) return { kind: 'form', error: 'invalid_auth' };
    this.flows.delete(flow.flowId);
    if (!verifyRedirectUri(clientId, flow.redirectUri)) return { kind: 'bad_redirect' };
    // Codes nobody came for are dropped once expired.
    for (const [key, c] of this.codes) if (this.now() - c.created >= CODE_MS) this.codes.delete(key);
    const code = hexId();
    this.codes.set(`${clientId}\n${code}`, { created: this.now(), user: login.user });
    return { kind: 'code', code };
  }

  /** grant_type=authorization_code: a code is used up by the right client id only; null = "Invalid code". */
  exchangeCode(clientId: string, code: string, ip: string): Grant | null {
    const key = `${clientId}\n${code}`;
    const entry = this.codes.get(key);
    if (!entry) return null;
    this.codes.delete(key);
    if (this.now() - entry.created >= CODE_MS) return null;
    const now = this.now();
    const refreshToken: RefreshToken = {
      id: hexId(),
      token: randomBytes(64).toString('hex'),
      jwtKey: randomBytes(64).toString('hex'),
      clientId,
      user: entry.user,
      createdAt: now,
      lastUsedAt: null,
      lastUsedIp: null,
      expireAt: now + REFRESH_TOKEN_MS,
      accessTokens: new Set(),
    };
    this.byToken.set(refreshToken.token, refreshToken);
    this.byId.set(refreshToken.id, refreshToken);
    return { accessToken: this.accessToken(refreshToken, ip), refreshToken };
  }

  /** A live refresh token by its secret. */
  refreshToken(token: string): RefreshToken | undefined {
    const rt = this.byToken.get(token);
    if (rt && rt.expireAt <= this.now()) {
      this.remove(rt);
      return undefined;
    }
    return rt;
  }

  /** A new access token; renews the refresh token's last use and expiry. */
  accessToken(rt: RefreshToken, ip: string): string {
    const now = this.now();
    rt.lastUsedAt = now;
    rt.lastUsedIp = ip;
    rt.expireAt = now + REFRESH_TOKEN_MS;
    const iat = Math.floor(now / 1000);
    const payload = b64url(`{"iss":"${rt.id}","iat":${iat},"exp":${iat + ACCESS_TOKEN_SECONDS}}`);
    const signature = createHmac('sha256', rt.jwtKey).update(`${JWT_HEADER}.${payload}`).digest('base64url');
    const token = `${JWT_HEADER}.${payload}.${signature}`;
    rt.accessTokens.add(token);
    return token;
  }

  /** The refresh token behind a valid access token (signature, expiry with HA's 10 s leeway). */
  validateAccessToken(token: string): RefreshToken | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== JWT_HEADER) return undefined;
    let claims: { iss?: unknown; iat?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return undefined;
    }
    const rt = typeof claims.iss === 'string' ? this.byId.get(claims.iss) : undefined;
    if (!rt || rt.expireAt <= this.now()) return undefined;
    const expected = createHmac('sha256', rt.jwtKey).update(`${parts[0]}.${parts[1]}`).digest('base64url');
    if (!safeEqual(expected, parts[2]!)) return undefined;
    const nowSec = this.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSec - LEEWAY_SECONDS) return undefined;
    if (typeof claims.iat !== 'number' || claims.iat > nowSec + LEEWAY_SECONDS) return undefined;
    return rt;
  }

  /** /auth/revoke: removes a refresh token (unknown ones are ignored, as HA does). */
  revoke(token: string): void {
    const rt = this.byToken.get(token);
    if (rt) this.remove(rt);
  }

  /** A user's refresh tokens, oldest first. */
  refreshTokensOf(userId: string): RefreshToken[] {
    return [...this.byId.values()].filter((rt) => rt.user.id === userId);
  }

  private remove(rt: RefreshToken): void {
    this.byToken.delete(rt.token);
    this.byId.delete(rt.id);
    // Closes the sockets authenticated with its access tokens (TokenStore's revoke listeners).
    for (const at of rt.accessTokens) this.tokens.revoke(at);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
