// The OAuth tests' stack: the simulator, our server on a port chosen before start (the base URL
// names it: Home Assistant's IndieAuth needs our redirect URI on our client id's host:port),
// a data folder that outlives a restart, a browser (plain HTTP with a cookie jar) that fills in
// the simulator's Home Assistant login form and our consent page, and the SDK clients' own OAuth
// client providers (v1 and v2).
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig } from '../../src/config/load.js';
import type { Options } from '../../src/config/schema.js';
import { createDeps } from '../../src/deps.js';
import { buildApp, type BuiltApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import type { AppDeps } from '../../src/tools/tool.js';
import { startSimulator, type Simulator } from '../../sim/server.js';
import { freePort } from '../helpers/net.js';

export const API_KEY = 'oauth-test-api-key-0123456789';
export const ALICE = { username: 'alice', password: 'alice-password-123', user: { id: '0123456789abcdef0123456789abcdef', name: 'Alice', is_admin: false } };

export interface OAuthStackOptions {
  sim?: Simulator;
  /** Keep the data folder (and port) of an earlier stack: a restart. */
  dataDir?: string;
  port?: number;
  options?: Options;
  env?: NodeJS.ProcessEnv;
  authCacheMs?: number;
  now?: () => number;
  accessTokenSeconds?: number;
}

export interface OAuthStack {
  sim: Simulator;
  deps: AppDeps;
  built: BuiltApp;
  url: string;
  mcpUrl: string;
  port: number;
  dataDir: string;
  logs(): string;
  close(): Promise<void>;
}

export async function startOAuthStack(opts: OAuthStackOptions = {}): Promise<OAuthStack> {
  const sim = opts.sim ?? (await startSimulator({ port: 0, home: 'demo' }));
  if (!opts.sim) sim.auth.addUser(ALICE.username, ALICE.password, ALICE.user);
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'mcp-ha-oauth-'));
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const optionsFile = join(dir, 'options.json');
  writeFileSync(optionsFile, JSON.stringify({ ha_external_url: sim.url, ...opts.options, api_keys: [{ name: 'test', key: API_KEY }] }));
  const config = loadConfig({
    HOMEASSISTANT_URL: sim.url,
    HOMEASSISTANT_TOKEN: sim.token,
    MCP_OPTIONS_FILE: optionsFile,
    MCP_DATA_DIR: join(dir, 'data'),
    MCP_BASE_URL: url,
    ...opts.env,
  });
  let logText = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  const deps = createDeps(config, createLogger('debug', sink), { ha: { backoff: { initialMs: 50, maxMs: 500 }, heartbeatMs: 1000 } });
  const built = buildApp(deps, { authCacheMs: opts.authCacheMs, oauth: { now: opts.now, accessTokenSeconds: opts.accessTokenSeconds } });
  await built.app.listen({ host: '127.0.0.1', port });
  await deps.ha.start();
  await deps.ha.waitReady(10_000);
  return {
    sim,
    deps,
    built,
    url,
    mcpUrl: `${url}${config.secretPath}`,
    port,
    dataDir: dir,
    logs: () => logText,
    async close() {
      await built.app.close();
      await deps.ha.close();
      if (!opts.sim) await sim.close();
    },
  };
}

/** A browser as far as the sign-in needs one: GETs and form POSTs, redirects by hand, cookies per origin. */
export class Browser {
  private cookies = new Map<string, Map<string, string>>();
  /** Every URL visited, in order. */
  readonly visited: string[] = [];

  constructor(private readonly login = ALICE) {}

  private cookieHeader(url: URL): string | undefined {
    const jar = this.cookies.get(url.origin);
    return jar && jar.size ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private keep(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, i).trim();
      const value = (pair as string).slice(i + 1).trim();
      const jar = this.cookies.get(url.origin) ?? new Map<string, string>();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
      this.cookies.set(url.origin, jar);
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ url: string; status: number; text: string; location: string | undefined }> {
    const u = new URL(url);
    this.visited.push(url);
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(u);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = u.origin;
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(u, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.keep(u, res);
    const location = res.headers.get('location') ?? undefined;
    return { url, status: res.status, text: await res.text(), location: location ? new URL(location, u).toString() : undefined };
  }

  /**
   * Follows a sign-in from our /oauth/authorize to the client's redirect URI: the Home Assistant
   * login form (filled in), then our consent page (answered with `decision`) unless remembered.
   * Returns the final redirect (to the client), and whether a consent page was shown.
   */
  async signIn(authorizationUrl: string, decision: 'allow' | 'deny' = 'allow', clientRedirectPrefix?: string): Promise<{ redirect: URL; consentPage: string | undefined }> {
    let r = await this.request(authorizationUrl);
    let consentPage: string | undefined;
    for (let hops = 0; hops < 10; hops++) {
      if (r.status === 302 && r.location) {
        if (clientRedirectPrefix ? r.location.startsWith(clientRedirectPrefix) : !r.location.includes('/auth/authorize') && !r.location.includes('/oauth/')) return { redirect: new URL(r.location), consentPage };
        r = await this.request(r.location);
        continue;
      }
      if (r.status !== 200) throw new Error(`sign-in stopped at ${r.url}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
      const action = /<form method="post" action="([^"]*)"/.exec(r.text)?.[1];
      if (!action) throw new Error(`sign-in stopped at ${r.url}: no form: ${r.text.slice(0, 300)}`);
      const fields = Object.fromEntries([...r.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] as string, unescape(m[2] as string)]));
      const target = new URL(action.replace(/&amp;/g, '&'), r.url).toString();
      if (r.text.includes('name="password"')) r = await this.request(target, { form: { ...fields, username: this.login.username, password: this.login.password } });
      else {
        consentPage = r.text;
        r = await this.request(target, { form: { ...fields, decision } });
      }
    }
    throw new Error('sign-in did not end in 10 steps');
  }
}

const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** An OAuth client provider in memory, as the SDK (v1 and v2) asks for one; the browser runs the redirect. */
export class MemoryProvider {
  info: Record<string, unknown> | undefined;
  saved: { access_token: string; refresh_token?: string; expires_in?: number; token_type: string } | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  readonly redirectUrl: string;

  constructor(
    readonly name: string,
    opts: { metadataUrl?: string; redirectUrl?: string } = {},
  ) {
    this.redirectUrl = opts.redirectUrl ?? 'http://127.0.0.1:9/callback';
    if (opts.metadataUrl) this.clientMetadataUrl = opts.metadataUrl;
  }

  clientMetadataUrl?: string;
  get clientMetadata() {
    return { client_name: this.name, redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return this.info as never;
  }
  saveClientInformation(info: Record<string, unknown>) {
    this.info = info;
  }
  tokens() {
    return this.saved as never;
  }
  saveTokens(t: typeof this.saved) {
    this.saved = t;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  discovery: unknown;
  saveDiscoveryState(state: unknown) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery as never;
  }
}

export interface SignedInClient {
  call(name: string, args: Record<string, unknown>): Promise<{ result: CallToolResult; json: Record<string, unknown> }>;
  close(): Promise<void>;
  provider: MemoryProvider;
  consentPage: string | undefined;
}

/**
 * The SDK client's own OAuth flow against mcpUrl: connect -> 401 -> discovery, registration (or
 * the metadata document), PKCE, redirect -> the browser signs in -> finishAuth -> connect again.
 */
export async function connectWithOAuth(kind: 'v1' | 'v2', mcpUrl: string, provider: MemoryProvider, browser = new Browser()): Promise<SignedInClient> {
  const url = new URL(mcpUrl);
  if (kind === 'v1') {
    const first = new StreamableHTTPClientTransport(url, { authProvider: provider as never });
    const c1 = new Client({ name: provider.name, version: '1.0.0' });
    await c1.connect(first).then(
      () => {
        throw new Error('connected without signing in');
      },
      (err: unknown) => {
        if (!(err instanceof UnauthorizedError)) throw err;
      },
    );
    if (!provider.authorizationUrl) throw new Error('the client was not sent to sign in');
    const { redirect, consentPage } = await browser.signIn(provider.authorizationUrl.toString(), 'allow', provider.redirectUrl);
    const code = redirect.searchParams.get('code');
    if (!code) throw new Error(`no code in ${redirect}`);
    await first.finishAuth(code);
    const client = new Client({ name: provider.name, version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider as never }));
    return { provider, consentPage, call: (n, a) => callTool(client, n, a), close: () => client.close() };
  }
  const first = new TransportV2(url, { authProvider: provider as never });
  const c1 = new ClientV2({ name: provider.name, version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await c1.connect(first).then(
    () => {
      throw new Error('connected without signing in');
    },
    (err: unknown) => {
      if ((err as Error).name !== 'UnauthorizedError' && !provider.authorizationUrl) throw err;
    },
  );
  if (!provider.authorizationUrl) throw new Error('the client was not sent to sign in');
  const { redirect, consentPage } = await browser.signIn(provider.authorizationUrl.toString(), 'allow', provider.redirectUrl);
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${redirect}`);
  await first.finishAuth(code, redirect.searchParams.get('iss') ?? undefined);
  const client = new ClientV2({ name: provider.name, version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new TransportV2(url, { authProvider: provider as never }));
  return { provider, consentPage, call: (n, a) => callTool(client as unknown as Client, n, a), close: () => client.close() };
}

async function callTool(client: Client, name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.find((p) => p.type === 'text');
  const json = text && text.type === 'text' ? (JSON.parse(text.text) as Record<string, unknown>) : {};
  return { result, json };
}

/** The bed light's state and who changed it last (Home Assistant's context.user_id). */
export async function lightState(sim: Simulator, entityId: string): Promise<{ state: string; user: string | null }> {
  const res = await fetch(`${sim.url}/api/states/${entityId}`, { headers: { authorization: `Bearer ${sim.token}` } });
  const s = (await res.json()) as { state: string; context: { user_id: string | null } };
  return { state: s.state, user: s.context.user_id };
}

export const REDIRECT = 'http://127.0.0.1:9/callback';

/** POST a form to one of our endpoints; JSON answer. */
export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

export async function register(stack: { url: string }, name = 'Manual client', extra: Record<string, unknown> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${stack.url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', ...extra }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A sign-in by hand: authorize (PKCE) -> browser -> code; and the code's exchange unless `exchange: false`. */
export async function signInByHand(
  stack: { url: string; mcpUrl: string },
  clientId: string,
  opts: { browser?: Browser; resource?: string; state?: string } = {},
): Promise<{ code: string; verifier: string; redirect: URL; tokens: () => ReturnType<typeof postForm> }> {
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: opts.state ?? 'st-1', resource: opts.resource ?? stack.mcpUrl, scope: 'mcp' });
  const { redirect } = await (opts.browser ?? new Browser()).signIn(`${stack.url}/oauth/authorize?${q}`, 'allow', REDIRECT);
  const code = redirect.searchParams.get('code') ?? '';
  return {
    code,
    verifier,
    redirect,
    tokens: () => postForm(`${stack.url}/oauth/token`, { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: verifier, resource: opts.resource ?? stack.mcpUrl }),
  };
}

/** tools/list over plain JSON-RPC with a bearer token: the status and WWW-Authenticate. */
export async function probe(stack: { url: string }, token: string): Promise<{ status: number; challenge: string | null; body: Record<string, unknown> }> {
  const res = await fetch(`${stack.url}/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: (await res.json()) as Record<string, unknown> };
}
