// Home Assistant's login and OAuth2 (IndieAuth) in the simulator, over real ports. First the two
// recordings are replayed like replay.test.ts does (status, headers and their order, exact bodies
// and key order), with the values a run makes itself (flow ids, the code, tokens) learned from
// earlier answers; then the flow end to end (login flow -> code -> token -> the API as that user
// -> refresh -> revoke -> 401), expiry, the HTML login form, the error paths the recording does
// not show, other logins and the CLI flags.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import WebSocket from 'ws';
import { startSimulator, type Simulator } from '../../sim/server.js';
import { connectRaw } from './client.js';
import { compareShape } from './shape.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures', 'ha-capture');
const root = join(here, '..', '..');

const CLIENT_ID = 'http://127.0.0.1:18555/';
const REDIRECT_URI = 'http://127.0.0.1:18555/oauth/ha-callback';
const PASSWORD = 'owner-password-for-the-replay';
const USER_TOKEN = 'non-admin-user-token-0123456789';
const FORM = 'application/x-www-form-urlencoded';

interface Answer {
  status: number;
  /** Header names and values in wire order. */
  headers: [string, string][];
  text: string;
  json: any;
}

/** One HTTP request over a fresh connection; keeps the raw header order. */
function http(sim: Simulator, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}${path}`, { method, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: pairs, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const header = (a: Answer, name: string): string | undefined => a.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const postForm = (sim: Simulator, path: string, fields: Record<string, string> | string) =>
  http(sim, 'POST', path, { 'Content-Type': FORM }, typeof fields === 'string' ? fields : form(fields));
const postJson = (sim: Simulator, path: string, body: unknown) => http(sim, 'POST', path, { 'Content-Type': 'application/json' }, JSON.stringify(body));

/** login_flow -> code -> tokens, the way a web app does it without a browser. */
async function login(sim: Simulator, opts: { username?: string; password?: string; clientId?: string; redirectUri?: string } = {}) {
  const clientId = opts.clientId ?? CLIENT_ID;
  const start = await postJson(sim, '/auth/login_flow', { client_id: clientId, handler: ['homeassistant', null], redirect_uri: opts.redirectUri ?? REDIRECT_URI });
  const step = await postJson(sim, `/auth/login_flow/${start.json.flow_id}`, { username: opts.username ?? sim.auth.username, password: opts.password ?? sim.auth.password, client_id: clientId });
  const token = await postForm(sim, '/auth/token', { grant_type: 'authorization_code', client_id: clientId, code: step.json.result });
  return { start, step, token, access: token.json.access_token as string, refresh: token.json.refresh_token as string };
}

// ---- the recordings ----

interface Exchange {
  name: string;
  request: { method: string; path: string; headers: Record<string, string>; body?: unknown };
  response: { status: number; headers: Record<string, string>; body_kind: string; body: unknown; body_raw?: string; body_length: number };
}

// Headers whose values change per request or per run.
const VOLATILE_HEADERS = new Set(['date', 'etag', 'last-modified']);
/** Node adds Connection (and Keep-Alive) where aiohttp sends none (sim/README.md); aiohttp's own 500 has Connection: close. */
const NODE_ADDED = new Set(['connection', 'keep-alive']);
// Values a run makes itself: learned from the first answer that has them, then expected unchanged.
const LEARNED_KEYS = new Set(['flow_id', 'result', 'access_token', 'refresh_token']);

function learn(subs: Map<string, string>, rec: unknown, ours: unknown): void {
  if (!rec || !ours || typeof rec !== 'object' || typeof ours !== 'object') return;
  for (const [k, v] of Object.entries(rec as Record<string, unknown>)) {
    const o = (ours as Record<string, unknown>)[k];
    if (LEARNED_KEYS.has(k) && typeof v === 'string' && typeof o === 'string' && !subs.has(v)) subs.set(v, o);
    else learn(subs, v, o);
  }
}

const substitute = (text: string, subs: Map<string, string>): string => {
  let out = text;
  for (const [from, to] of subs) out = out.split(from).join(to);
  return out;
};

/** Access tokens are compared by form only: two made in the same second are identical, a second later not. */
function maskAccessTokens(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(maskAccessTokens);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, k === 'access_token' && typeof x === 'string' ? `JWT(${x.length}, ${x.split('.')[0]})` : maskAccessTokens(x)]),
  );
}

t.test('rest-auth-flow.json replays exactly', async (t) => {
  const sim = await startSimulator({ port: 0, user: 'owner', password: PASSWORD });
  t.teardown(() => sim.close());
  const { exchanges } = JSON.parse(readFileSync(join(fixtures, 'rest-auth-flow.json'), 'utf8')) as { exchanges: Exchange[] };
  const subs = new Map<string, string>([
    ['<PASSWORD>', PASSWORD],
    ['<TOKEN>', sim.token],
    ['http://127.0.0.1:8123', sim.url],
  ]);
  t.ok(exchanges.length >= 40, `${exchanges.length} exchanges`);
  for (const ex of exchanges) {
    const what = `${ex.name}: ${ex.request.method} ${ex.request.path}`;
    const rb = ex.request.body;
    // Form bodies and broken JSON are recorded as the raw string; objects are JSON.
    const body = rb === undefined ? undefined : substitute(typeof rb === 'string' ? rb : JSON.stringify(rb), subs);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(ex.request.headers)) headers[k] = substitute(v, subs);
    const res = await http(sim, ex.request.method, substitute(ex.request.path, subs), headers, body);
    const rec = ex.response;
    t.equal(res.status, rec.status, `${what}: status`);

    // Headers: the same names in the same order, the same values except the volatile ones.
    const recorded = new Set(Object.keys(rec.headers).map((k) => k.toLowerCase()));
    const ours = res.headers.filter(([k]) => !NODE_ADDED.has(k.toLowerCase()) || recorded.has(k.toLowerCase()));
    t.same(ours.map(([k]) => k.toLowerCase()), Object.keys(rec.headers).map((k) => k.toLowerCase()), `${what}: header names and order`);
    for (const [k, v] of Object.entries(rec.headers)) {
      if (VOLATILE_HEADERS.has(k.toLowerCase()) || k === 'Content-Length') continue;
      t.equal(header(res, k), v, `${what}: header ${k}`);
    }
    t.equal(header(res, 'Content-Length'), String(Buffer.byteLength(res.text)), `${what}: Content-Length`);

    const loginPage = ex.request.path.startsWith('/auth/authorize');
    if (ex.request.path.startsWith('/auth/') && !loginPage) t.equal(Number(header(res, 'Content-Length')), rec.body_length, `${what}: as many bytes as recorded`);
    if (rec.body_kind === 'empty') {
      t.equal(res.text, '', `${what}: empty body`);
    } else if (rec.body_kind === 'text') {
      if (loginPage) {
        // Known difference: HA's page is its frontend's script (here a placeholder); ours is a form.
        if (ex.request.path.includes('client_id=')) t.match(res.text, /<form method="post" action="\/auth\/authorize">/, `${what}: the login form`);
        else t.match(res.text, /Invalid client id/, `${what}: says what is missing`);
      } else t.equal(res.text, rec.body, `${what}: text body`);
    } else {
      t.ok(res.json !== undefined, `${what}: JSON`);
      t.equal(JSON.stringify(res.json), res.text, `${what}: compact JSON`);
      t.same(compareShape(rec.body, res.json), [], `${what}: shape and key order`);
      learn(subs, rec.body, res.json);
      if (ex.request.path === '/api/config') continue; // another home than the recorded instance's
      const expected = JSON.parse(substitute(rec.body_raw ?? JSON.stringify(rec.body), subs)) as unknown;
      t.strictSame(maskAccessTokens(res.json), maskAccessTokens(expected), `${what}: body`);
    }
  }
  t.ok(subs.has('<CODE>') && subs.has('<ACCESS_TOKEN>') && subs.has('<ACCESS_TOKEN_REFRESHED>') && subs.has('<REFRESH_TOKEN>'), 'every placeholder met');
  t.equal(subs.get('<ACCESS_TOKEN>')!.length, 183, 'access tokens are as long as HA\'s JWTs');
  t.match(subs.get('<REFRESH_TOKEN>'), /^[0-9a-f]{128}$/);
  t.match(subs.get('<CODE>'), /^[0-9a-f]{32}$/);
});

interface Frame {
  dir: 'open' | 'send' | 'recv' | 'note' | 'client_close' | 'close';
  data?: any;
  raw?: string;
}

function frameProblems(rec: any, ours: any): string[] {
  const problems = compareShape(rec, ours);
  for (const k of ['id', 'type', 'success', 'ha_version', 'message']) {
    if (k in rec && JSON.stringify(rec[k]) !== JSON.stringify(ours?.[k])) problems.push(`${k}: got ${JSON.stringify(ours?.[k])}, recorded ${JSON.stringify(rec[k])}`);
  }
  if (rec.error && JSON.stringify(rec.error) !== JSON.stringify(ours?.error)) problems.push(`error: got ${JSON.stringify(ours?.error)}`);
  if (ours && JSON.stringify(Object.keys(ours)) !== JSON.stringify(Object.keys(rec))) problems.push(`envelope key order ${Object.keys(ours).join(',')}`);
  return problems;
}

t.test('ws-auth-flow.json replays: an OAuth access token on the WebSocket, a non-admin user, a revoked token', async (t) => {
  const sim = await startSimulator({ port: 0, user: 'owner', password: PASSWORD });
  t.teardown(() => sim.close());
  sim.addToken(USER_TOKEN, { id: 'b3c1d8e2f4a54f0e9d6c7b8a9e0f1a2b', name: 'MCP User', is_admin: false });
  const { access, refresh } = await login(sim);
  const subs = new Map([
    ['<ACCESS_TOKEN>', access],
    ['<USER_TOKEN>', USER_TOKEN],
    ['<TOKEN>', sim.token],
  ]);
  // What the recording did between its sessions (REST, outside the sockets).
  const before: Record<string, () => Promise<unknown>> = { 'revoked access token': () => postForm(sim, '/auth/revoke', { token: refresh }) };
  const { sessions } = JSON.parse(readFileSync(join(fixtures, 'ws-auth-flow.json'), 'utf8')) as { sessions: { name: string; frames: Frame[] }[] };
  t.equal(sessions.length, 3);
  const received: Record<string, any[]> = {};
  for (const session of sessions) {
    await before[session.name]?.();
    const ws = new WebSocket(sim.wsUrl);
    const got: any[] = (received[session.name] = []);
    let closed = false;
    const closedP = new Promise<void>((r) => ws.on('close', () => ((closed = true), r())));
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    let cursor = 0;
    const frames = session.frames;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      if (f.dir === 'send') ws.send(substitute(f.raw ?? JSON.stringify(f.data), subs));
      else if (f.dir === 'client_close') ws.close();
      else if (f.dir === 'close') {
        await Promise.race([closedP, new Promise((r) => setTimeout(r, 3000))]);
        t.ok(closed, `${session.name}: connection closed`);
      }
      const expected: Frame[] = [];
      for (let j = i + 1; j < frames.length && frames[j]!.dir === 'recv'; j++) expected.push(frames[j]!);
      const deadline = Date.now() + 3000;
      while (got.length < cursor + expected.length && Date.now() < deadline && !closed) await new Promise((r) => setTimeout(r, 10));
      for (const rec of expected) {
        const label = `${session.name}: ${(rec.raw ?? JSON.stringify(rec.data)).slice(0, 80)}`;
        t.same(frameProblems(rec.data, got[cursor++]), [], label);
      }
      i += expected.length;
    }
    t.equal(got.length, cursor, `${session.name}: no unexpected frames`);
    ws.terminate();
  }
  // The new refresh token in auth/refresh_tokens, as recorded: this client, current, 90 days ahead.
  const list = received['OAuth access token']![3].result as any[];
  const mine = list.find((r) => r.client_id === CLIENT_ID);
  t.match(mine, { auth_provider_type: 'homeassistant', type: 'normal', is_current: true, client_name: null, client_icon: null, last_used_ip: '127.0.0.1' });
  t.equal(Date.parse(mine.expire_at) - Date.parse(mine.last_used_at), 90 * 86_400_000, 'expire_at = last use + 90 days');
  t.match(mine.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  const longLived = list.find((r) => r.type === 'long_lived_access_token');
  t.match(longLived, { expire_at: null, is_current: false, client_id: null });
  t.notOk(list.some((r) => r.client_id === CLIENT_ID && r.type === 'long_lived_access_token'));
});

// ---- the flow end to end ----

t.test('login flow -> code -> token -> REST and WebSocket as the owner -> refresh -> revoke -> 401', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  t.equal(sim.auth.username, 'demo', 'the demo owner logs in as "demo"');
  t.match(sim.auth.password, /^\S{12,}$/, 'with a random password unless one is given');

  // Who the owner is, seen with the simulator's long-lived token.
  const llat = await connectRaw(sim.wsUrl);
  llat.send({ type: 'auth', access_token: sim.token });
  await llat.waitFor((f) => f.type === 'auth_ok');
  const owner = (await llat.command({ id: 1, type: 'auth/current_user' })).result as { id: string; is_owner: boolean };
  t.ok(owner.is_owner);
  const users = (await llat.command({ id: 2, type: 'config/auth/list' })).result as { id: string; username: string | null }[];
  t.equal(users.find((u) => u.id === owner.id)?.username, 'demo', 'config/auth/list shows the login name');
  await llat.close();

  const { start, step, token, access, refresh } = await login(sim);
  t.equal(start.json.type, 'form');
  t.equal(step.json.type, 'create_entry');
  t.equal(token.status, 200);
  t.match(token.json, { token_type: 'Bearer', expires_in: 1800, ha_auth_provider: 'homeassistant' });

  // REST as that user: a service call's context carries the owner's user id.
  sim.home.setState('light.bed_light', 'off');
  const bearer = (tok: string) => ({ Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' });
  const call = await http(sim, 'POST', '/api/services/light/turn_on', bearer(access), JSON.stringify({ entity_id: 'light.bed_light' }));
  t.equal(call.status, 200);
  t.equal(call.json[0]?.context?.user_id, owner.id, 'the call was made as the owner');
  t.equal((await http(sim, 'POST', '/api/template', bearer(access), JSON.stringify({ template: '{{ 1 + 1 }}' }))).text, '2', 'an admin-only endpoint answers');

  // WebSocket as that user.
  const ws = await connectRaw(sim.wsUrl);
  ws.send({ type: 'auth', access_token: access });
  await ws.waitFor((f) => f.type === 'auth_ok');
  t.equal(((await ws.command({ id: 1, type: 'auth/current_user' })).result as { id: string }).id, owner.id);

  // Refresh: a new access token (a second later, so a different one); both work.
  sim.auth.advanceClock(2);
  const refreshed = await postForm(sim, '/auth/token', { grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: refresh });
  t.equal(refreshed.status, 200);
  t.same(Object.keys(refreshed.json), ['access_token', 'token_type', 'expires_in'], 'no new refresh token');
  const access2 = refreshed.json.access_token as string;
  t.not(access2, access);
  for (const tok of [access, access2]) t.equal((await http(sim, 'GET', '/api/', bearer(tok))).status, 200);

  // Revoke the refresh token: both access tokens are dead on REST and WS, the open socket is closed.
  const revoked = await postForm(sim, '/auth/revoke', { token: refresh });
  t.equal(revoked.status, 200);
  t.equal(revoked.text, '');
  const { code } = await ws.closed;
  t.equal(code, 1000, 'the socket opened with its access token is closed');
  for (const tok of [access, access2]) {
    const r = await http(sim, 'GET', '/api/', bearer(tok));
    t.equal(r.status, 401);
    t.equal(r.text, '401: Unauthorized');
  }
  const again = await connectRaw(sim.wsUrl);
  again.send({ type: 'auth', access_token: access2 });
  t.same(await again.waitFor((f) => f.type === 'auth_invalid'), { type: 'auth_invalid', message: 'Invalid access token or password' });
  await again.closed;
  t.same((await postForm(sim, '/auth/token', { grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: refresh })).json, { error: 'invalid_grant' });
  t.equal((await http(sim, 'GET', '/api/', bearer(sim.token))).status, 200, 'the long-lived token is untouched');
});

t.test('access tokens expire after expires_in (with HA\'s 10 s leeway), codes after 10 minutes; refresh keeps working', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const { access, refresh } = await login(sim);
  const get = (tok: string) => http(sim, 'GET', '/api/', { Authorization: `Bearer ${tok}` });
  sim.auth.advanceClock(1800 + 5);
  t.equal((await get(access)).status, 200, 'inside the leeway');
  sim.auth.advanceClock(6);
  t.equal((await get(access)).status, 401, 'expired');
  const ws = await connectRaw(sim.wsUrl);
  ws.send({ type: 'auth', access_token: access });
  t.equal((await ws.waitFor((f) => f.type !== 'auth_required')).type, 'auth_invalid');
  await ws.closed;
  const refreshed = await postForm(sim, '/auth/token', { grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: refresh });
  t.equal((await get(refreshed.json.access_token)).status, 200, 'a refreshed token works');

  const start = await postJson(sim, '/auth/login_flow', { client_id: CLIENT_ID, handler: ['homeassistant', null], redirect_uri: REDIRECT_URI });
  const step = await postJson(sim, `/auth/login_flow/${start.json.flow_id}`, { username: 'demo', password: sim.auth.password, client_id: CLIENT_ID });
  sim.auth.advanceClock(600);
  t.same((await postForm(sim, '/auth/token', { grant_type: 'authorization_code', client_id: CLIENT_ID, code: step.json.result })).json, {
    error: 'invalid_request',
    error_description: 'Invalid code',
  });

  // A refresh token unused for 90 days is gone.
  sim.auth.advanceClock(90 * 86_400 + 1);
  t.same((await postForm(sim, '/auth/token', { grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: refresh })).json, { error: 'invalid_grant' });
});

// ---- the login page ----

/** The page's form: its action and fields, as a browser would submit them. */
function parseForm(html: string): { action: string; fields: Record<string, string> } {
  const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const action = /<form method="post" action="([^"]*)">/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(m[1]!)?.[1];
    if (name) fields[name] = decode(/value="([^"]*)"/.exec(m[1]!)?.[1] ?? '');
  }
  return { action: decode(action), fields };
}

t.test('GET /auth/authorize: a login form a person or a test can submit; it redirects with code and state', async (t) => {
  const sim = await startSimulator({ port: 0, user: 'owner', password: PASSWORD });
  t.teardown(() => sim.close());
  const state = 'a"<b>&c d';
  const query = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, state }).toString();
  const page = await http(sim, 'GET', `/auth/authorize?${query}`);
  t.equal(page.status, 200);
  t.equal(header(page, 'Content-Type'), 'text/html');
  t.notMatch(page.text, /a"<b>/, 'the state is escaped in the page');
  t.match(page.text, /You're about to give <strong>http:\/\/127\.0\.0\.1:18555\/<\/strong> access/);
  const { action, fields } = parseForm(page.text);
  t.equal(action, '/auth/authorize');
  t.same(fields, { response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, state, username: '', password: '' });

  // A wrong password: the form again with the error, the user name kept, no redirect.
  const wrong = await postForm(sim, action, { ...fields, username: 'owner', password: 'nope' });
  t.equal(wrong.status, 200);
  t.equal(header(wrong, 'Location'), undefined);
  t.match(wrong.text, /role="alert">Invalid username or password</);
  t.same(parseForm(wrong.text).fields, { ...fields, username: 'owner' });

  // The right one: 302 to redirect_uri?code=…&state=…, and the code is good for a token.
  const ok = await postForm(sim, action, { ...parseForm(wrong.text).fields, password: PASSWORD });
  t.equal(ok.status, 302);
  const location = new URL(header(ok, 'Location')!);
  t.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
  t.match(location.searchParams.get('code'), /^[0-9a-f]{32}$/);
  t.equal(location.searchParams.get('state'), state);
  t.equal(header(ok, 'Location'), `${REDIRECT_URI}?code=${location.searchParams.get('code')}&state=${encodeURIComponent(state)}`, 'as the frontend builds it');
  const token = await postForm(sim, '/auth/token', { grant_type: 'authorization_code', client_id: CLIENT_ID, code: location.searchParams.get('code')! });
  t.equal(token.status, 200);
  t.equal((await http(sim, 'GET', '/api/', { Authorization: `Bearer ${token.json.access_token}` })).status, 200);

  // redirect_uri keeps its own query; no state, no state parameter.
  const withQuery = await postForm(sim, '/auth/authorize', { client_id: CLIENT_ID, redirect_uri: `${REDIRECT_URI}?app=1`, username: 'owner', password: PASSWORD });
  t.match(header(withQuery, 'Location'), new RegExp(`^${REDIRECT_URI.replace(/[.?]/g, '\\$&')}\\?app=1&code=[0-9a-f]{32}$`));
});

t.test('the login page refuses what Home Assistant refuses', async (t) => {
  const sim = await startSimulator({ port: 0, user: 'owner', password: PASSWORD });
  t.teardown(() => sim.close());
  const bare = await http(sim, 'GET', '/auth/authorize');
  t.equal(bare.status, 200, 'the page itself always loads, as HA\'s static page does');
  t.match(bare.text, /Invalid client id/);
  t.notMatch(bare.text, /<form/);
  const noRedirect = await http(sim, 'GET', `/auth/authorize?client_id=${encodeURIComponent(CLIENT_ID)}`);
  t.match(noRedirect.text, /Missing redirect_uri/);
  const publicIp = await http(sim, 'GET', `/auth/authorize?client_id=${encodeURIComponent('http://8.8.8.8/')}&redirect_uri=x`);
  t.match(publicIp.text, /Invalid client id/);

  const badClient = await postForm(sim, '/auth/authorize', { client_id: 'not-a-url', redirect_uri: REDIRECT_URI, username: 'owner', password: PASSWORD });
  t.equal(badClient.status, 400);
  t.match(badClient.text, /Invalid client id/);
  // Another host than the client id's: only after the right password, as in the login flow.
  const otherHost = { client_id: CLIENT_ID, redirect_uri: 'http://evil.example:18555/oauth/ha-callback' };
  const otherPage = await http(sim, 'GET', `/auth/authorize?${form(otherHost)}`);
  t.match(otherPage.text, /<form/);
  t.match((await postForm(sim, '/auth/authorize', { ...otherHost, username: 'owner', password: 'nope' })).text, /Invalid username or password/);
  const refused = await postForm(sim, '/auth/authorize', { ...otherHost, username: 'owner', password: PASSWORD });
  t.equal(refused.status, 403);
  t.equal(header(refused, 'Location'), undefined);
  t.match(refused.text, /Invalid redirect URI/);
  const missing = await postForm(sim, '/auth/authorize', { client_id: CLIENT_ID, username: 'owner', password: PASSWORD });
  t.equal(missing.status, 400);
  t.match(missing.text, /required key not provided @ data\[&#39;redirect_uri&#39;\]/);
});

// ---- error paths the recording does not show ----

t.test('login flow schema errors in voluptuous words; IndieAuth client ids', async (t) => {
  const sim = await startSimulator({ port: 0, user: 'owner', password: PASSWORD });
  t.teardown(() => sim.close());
  const start = (body: unknown) => postJson(sim, '/auth/login_flow', body);
  const ok = { client_id: CLIENT_ID, handler: ['homeassistant', null], redirect_uri: REDIRECT_URI };
  const cases: [unknown, string][] = [
    [{ ...ok, remember_me: true }, "Message format incorrect: extra keys not allowed @ data['remember_me']"],
    [{ ...ok, client_id: 7 }, "Message format incorrect: expected str for dictionary value @ data['client_id']"],
    [{ redirect_uri: REDIRECT_URI, handler: ['homeassistant', null] }, "Message format incorrect: required key not provided @ data['client_id']"],
    [{ ...ok, handler: 'homeassistant' }, "Message format incorrect: expected a list for dictionary value @ data['handler']"],
    [{ ...ok, handler: ['homeassistant'] }, "Message format incorrect: length of value must be at least 2 for dictionary value @ data['handler']"],
    [['not', 'a', 'dict'], 'Message format incorrect: expected a dictionary'],
    [{ ...ok, client_id: 'ftp://127.0.0.1/' }, 'Invalid client id'],
    [{ ...ok, client_id: 'http://127.0.0.1/../x' }, 'Invalid client id'],
    [{ ...ok, client_id: 'http://user@127.0.0.1/' }, 'Invalid client id'],
    [{ ...ok, client_id: 'http://127.0.0.1/#frag' }, 'Invalid client id'],
  ];
  for (const [body, msg] of cases) {
    const r = await start(body);
    t.equal(r.status, 400, msg);
    t.same(r.json, { message: msg });
  }
  for (const good of ['http://localhost:3000/', 'https://app.example.com', 'http://192.168.1.20/', 'http://[::1]:8080/']) {
    t.equal((await start({ ...ok, client_id: good, redirect_uri: `${good.replace(/\/$/, '')}/cb` })).status, 200, `${good} is a valid client id`);
  }

  const flow = (await start(ok)).json.flow_id as string;
  const step = (body: unknown) => postJson(sim, `/auth/login_flow/${flow}`, body);
  t.same((await step({ username: 'owner', password: PASSWORD, client_id: 'nope' })).json, { message: 'Invalid client id' });
  t.same((await step({ username: 'owner', password: PASSWORD, client_id: CLIENT_ID, remember: true })).json, { message: 'User input malformed' });
  t.same((await step({ username: 'owner', password: 5, client_id: CLIENT_ID })).json, { message: 'User input malformed' });
  t.same((await http(sim, 'DELETE', '/auth/login_flow/0123456789abcdef0123456789abcdef')).json, { message: 'Invalid flow specified' });
  // User names match stripped and case-folded, passwords exactly.
  t.equal((await step({ username: 'owner', password: PASSWORD.toUpperCase(), client_id: CLIENT_ID })).json.errors.base, 'invalid_auth');
  t.equal((await step({ username: '  OWNER ', password: PASSWORD, client_id: CLIENT_ID })).json.type, 'create_entry');
  t.same((await step({ username: 'owner', password: PASSWORD, client_id: CLIENT_ID })).json, { message: 'Invalid flow specified' }, 'a finished flow is gone');
});

t.test('token endpoint: grants and revocation only from form bodies; errors', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const wrongMethod = await http(sim, 'GET', '/auth/token');
  t.equal(wrongMethod.status, 405);
  t.equal(header(wrongMethod, 'Allow'), 'OPTIONS,POST');
  t.equal(wrongMethod.text, '405: Method Not Allowed');

  const { access, refresh } = await login(sim);
  const alive = async () => (await http(sim, 'GET', '/api/', { Authorization: `Bearer ${access}` })).status === 200;
  t.same((await postForm(sim, '/auth/token', { grant_type: 'refresh_token', client_id: 'not-a-url', refresh_token: refresh })).json, {
    error: 'invalid_request',
    error_description: 'Invalid client id',
  });
  t.same((await postForm(sim, '/auth/token', { grant_type: 'authorization_code', client_id: CLIENT_ID, code: '' })).json, {
    error: 'invalid_request',
    error_description: 'Invalid code',
  });
  // A form body without a Content-Type is not read (aiohttp's request.post()).
  t.same((await http(sim, 'POST', '/auth/token', {}, form({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: refresh }))).json, { error: 'unsupported_grant_type' });
  // Revoking with a JSON body reads nothing: the token lives on. An access token is not a refresh token.
  await postJson(sim, '/auth/revoke', { token: refresh });
  await postForm(sim, '/auth/revoke', { token: access });
  t.ok(await alive(), 'still valid');
  // The old action=revoke on /auth/token really revokes.
  const old = await postForm(sim, '/auth/token', { action: 'revoke', token: refresh });
  t.equal(old.status, 200);
  t.equal(old.text, '');
  t.notOk(await alive(), 'revoked through action=revoke');
});

t.test('OAuth metadata names this server; providers; another login (non-admin) gets only what a non-admin may', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const meta = await http(sim, 'GET', '/.well-known/oauth-authorization-server');
  t.match(meta.json, { authorization_endpoint: `${sim.url}/auth/authorize`, token_endpoint: `${sim.url}/auth/token`, revocation_endpoint: `${sim.url}/auth/revoke`, issuer: sim.url });
  const proxied = await http(sim, 'GET', '/.well-known/oauth-authorization-server', { Host: 'homeassistant.local:8123' });
  t.equal(proxied.json.issuer, 'http://homeassistant.local:8123', 'from the Host the request came to');
  t.same((await http(sim, 'GET', '/auth/providers')).json, { providers: [{ name: 'Home Assistant Local', id: null, type: 'homeassistant' }], preselect_remember_me: true });

  sim.auth.addUser('kid', 'kid-password', { id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', name: 'Kid', is_admin: false });
  const { access } = await login(sim, { username: 'kid', password: 'kid-password' });
  const h = { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' };
  t.equal((await http(sim, 'GET', '/api/states/sun.sun', h)).status, 200);
  t.equal((await http(sim, 'POST', '/api/template', h, '{"template":"x"}')).status, 401, 'admin-only REST is refused');
  const ws = await connectRaw(sim.wsUrl);
  ws.send({ type: 'auth', access_token: access });
  await ws.waitFor((f) => f.type === 'auth_ok');
  t.match((await ws.command({ id: 1, type: 'auth/current_user' })).result, { id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', name: 'Kid', is_admin: false });
  t.match((await ws.command({ id: 2, type: 'config/auth/list' })).error, { code: 'unauthorized' });
  const list = (await ws.command({ id: 3, type: 'auth/refresh_tokens' })).result as any[];
  t.same(list.map((r) => r.type), ['normal'], 'only its own tokens');
  await ws.close();
});

t.test('sim/cli.ts: --user and --password, printed with the URL', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', '--port', '0', '--user', 'alice', '--password', 'wonder-land-42'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no login printed: ${out}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /URL:\s+(http\S+)/.exec(out);
      if (m && out.includes('Login:')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  t.match(out, /Login:\s+alice \/ wonder-land-42/);
  const start = await fetch(`${url}/auth/login_flow`, { method: 'POST', body: JSON.stringify({ client_id: CLIENT_ID, handler: ['homeassistant', null], redirect_uri: REDIRECT_URI }) });
  const flow = ((await start.json()) as { flow_id: string }).flow_id;
  const step = await fetch(`${url}/auth/login_flow/${flow}`, { method: 'POST', body: JSON.stringify({ username: 'alice', password: 'wonder-land-42', client_id: CLIENT_ID }) });
  t.equal(((await step.json()) as { type: string }).type, 'create_entry');
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  t.equal(await exited, 0);

  const bad = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', '--password', ''], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  bad.stderr.on('data', (d: Buffer) => (err += d.toString()));
  t.equal(await new Promise<number | null>((r) => bad.on('exit', (c) => r(c))), 2);
  t.match(err, /--password must not be empty/);
});
