// The page's JSON API over real sockets: bearer auth on /ui/api (401 without a token, 403 for a
// Home Assistant token's action), the ingress listener (other sources refused, user from the proxy's
// headers, 403 for a non-admin's action), Test All through MCP, API keys written through a fake
// Supervisor's options API, and OAuth grants from a real sign-in listed and revoked by an admin.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { buildIngressApp } from '../../src/ui/ingress.js';
import { API_KEY, USER_TOKEN } from '../helpers/stack.js';
import { ALICE, postForm, probe, REDIRECT, register, signInByHand } from '../oauth/helpers.js';
import { ADMIN, NON_ADMIN, startOAuthUiStack } from './helpers.js';
import { startUiStack } from './helpers.js';

const stack = await startUiStack({ options: { page_approvals: true } });
t.teardown(() => stack.close());

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, redirect: 'manual' });
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

t.test('/ui: the page loads without a token, its API needs one', async (t) => {
  const page = await get(`${stack.url}/ui/`);
  t.equal(page.status, 200);
  t.match(page.headers.get('content-type'), /text\/html/);
  t.match(page.headers.get('content-security-policy'), /script-src 'self'/);
  const html = await page.text();
  t.notMatch(html, /(src|href)="\//, 'no absolute URL in the page');
  const js = await get(`${stack.url}/ui/app.js`);
  t.equal(js.status, 200);
  t.notMatch(await js.text(), /fetch\(["'`]\//, 'the script fetches relative URLs only');

  const redirect = await get(`${stack.url}/ui`);
  t.equal(redirect.status, 302);
  t.equal(redirect.headers.get('location'), 'ui/', 'a relative redirect works under any prefix');

  const none = await get(`${stack.url}/ui/api/status`);
  t.equal(none.status, 401);
  t.equal(((await none.json()) as any).error, 'unauthorized');
  const wrong = await get(`${stack.url}/ui/api/status`, bearer('not-a-valid-token-at-all'));
  t.equal(wrong.status, 401);

  const ok = await get(`${stack.url}/ui/api/status`, bearer(API_KEY));
  t.equal(ok.status, 200);
  const s = (await ok.json()) as any;
  t.equal(s.home_assistant.connected, true);
  t.equal(s.home_assistant.entities, stack.deps.ha.cache.size);
  t.type(s.home_assistant.version, 'string');
  t.type(s.home_assistant.last_resync, 'string');
  t.type(s.server.uptime_s, 'number');
});

t.test('status counts sessions by client and the revisions in use', async (t) => {
  const c = await stack.client();
  const s = (await (await get(`${stack.url}/ui/api/status`, bearer(API_KEY))).json()) as any;
  if (stack.clientKind === 'v1') {
    t.ok(s.mcp.by_client.some((x: any) => x.client === 'stack-test 1.0.0' && x.sessions >= 1), 'the v1 client has a session');
  }
  t.ok(s.mcp.protocols.length >= 1, 'a revision is listed');
  await c.close();
});

t.test('a Home Assistant token may look but not act', async (t) => {
  const who = (await (await get(`${stack.url}/ui/api/whoami`, bearer(USER_TOKEN))).json()) as any;
  t.equal(who.admin, false);
  const undo = await post(`${stack.url}/ui/api/audit/abc/undo`, {}, bearer(USER_TOKEN));
  t.equal(undo.status, 403);
  t.equal(((await undo.json()) as any).error, 'forbidden');
  const approve = await post(`${stack.url}/ui/api/approvals/abc`, { approve: true }, bearer(USER_TOKEN));
  t.equal(approve.status, 403);
  const key = await post(`${stack.url}/ui/api/keys`, { name: 'x' }, bearer(USER_TOKEN));
  t.equal(key.status, 403);
  // Looking is fine.
  t.equal((await get(`${stack.url}/ui/api/audit`, bearer(USER_TOKEN))).status, 200);
});

t.test('a POST must be JSON (no cross-site form)', async (t) => {
  const r = await fetch(`${stack.url}/ui/api/approvals/abc`, { method: 'POST', headers: { ...bearer(API_KEY), 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'approve=true' });
  t.equal(r.status, 415);
});

t.test('the ingress listener answers only the Supervisor proxy address', async (t) => {
  const strict = buildIngressApp(stack.built.ui, ['172.30.32.2']);
  await strict.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => strict.close());
  const url = `http://127.0.0.1:${(strict.server.address() as AddressInfo).port}`;
  for (const path of ['/', '/app.js', '/api/status']) {
    const r = await get(`${url}${path}`, { 'x-remote-user-id': ADMIN.id });
    t.equal(r.status, 403, `${path} refused from 127.0.0.1`);
    t.equal(((await r.json()) as any).error, 'forbidden');
  }
  // From an allowed source without the proxy's user header: no user, no API.
  const anon = await get(`${stack.ingressUrl}/api/status`);
  t.equal(anon.status, 401);
  t.equal((await get(`${stack.ingressUrl}/`)).status, 200, 'the page itself loads');
});

t.test('through the ingress proxy: the user from its headers, admin from Home Assistant', async (t) => {
  const admin = (await (await get(`${stack.pageUrl(ADMIN)}api/whoami`)).json()) as any;
  t.same(admin, { via: 'ingress', name: ADMIN.display, admin: true, reason: null, ingress_path: `/api/hassio_ingress/${ADMIN.token}` });
  const user = (await (await get(`${stack.pageUrl(NON_ADMIN)}api/whoami`)).json()) as any;
  t.equal(user.admin, false);
  t.equal(user.name, NON_ADMIN.display);

  const denied = await post(`${stack.pageUrl(NON_ADMIN)}api/approvals/nothing`, { approve: true });
  t.equal(denied.status, 403, 'a non-admin cannot decide');
  const undo = await post(`${stack.pageUrl(NON_ADMIN)}api/audit/nothing/undo`, {});
  t.equal(undo.status, 403, 'a non-admin cannot undo');
  const gone = await post(`${stack.pageUrl(ADMIN)}api/approvals/nothing`, { approve: true });
  t.equal(gone.status, 404, 'an admin gets past the check (nothing is waiting)');
  t.equal((await get(`${stack.pageUrl(NON_ADMIN)}api/status`)).status, 200, 'a non-admin sees the status');
});

t.test('Test All runs every read tool through MCP and all answer', async (t) => {
  const r = await post(`${stack.pageUrl(NON_ADMIN)}api/test-all`, {});
  t.equal(r.status, 200);
  const { results } = (await r.json()) as any;
  const reads = stack.built.ui.runner.readTools().map((x) => x.name);
  t.same(results.map((x: any) => x.tool), reads);
  for (const x of results) {
    t.equal(x.ok, true, `${x.tool} ok${x.ok ? '' : `: ${JSON.stringify(x.result).slice(0, 200)}`}`);
    t.type(x.ms, 'number');
    t.ok(x.tokens > 0, `${x.tool} answer has tokens`);
  }
  t.ok(results.find((x: any) => x.tool === 'ha_list_states').items > 0, 'ha_list_states returned items');

  const bad = await post(`${stack.pageUrl(ADMIN)}api/run`, { tool: 'ha_get_state', arguments: { entity_id: 'light.nope_not_here' } });
  const one = (await bad.json()) as any;
  t.equal(one.ok, false);
  t.equal(one.result.error, 'entity_not_found', 'the structured error comes back');
  const write = await post(`${stack.pageUrl(ADMIN)}api/run`, { tool: 'ha_call_service', arguments: {} });
  t.equal(write.status, 400, 'only read tools run from the page');
});

t.test('an API key is written to the add-on options through the Supervisor', async (t) => {
  let options: Record<string, unknown> = { api_keys: [{ name: 'old', key: 'old-key-0123456789abcdef' }], log_level: 'info' };
  const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  const sup = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/addons/self/info') return res.end(JSON.stringify({ result: 'ok', data: { slug: 'mcp_ha', options } }));
      if (req.method === 'POST' && req.url === '/addons/self/options') {
        options = (JSON.parse(body) as { options: Record<string, unknown> }).options;
        return res.end(JSON.stringify({ result: 'ok', data: {} }));
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ result: 'error', message: 'not found' }));
    });
  });
  await new Promise<void>((r) => sup.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => sup.close(() => r())));
  const config = stack.deps.config as { supervisor?: { url: string; token: string } };
  config.supervisor = { url: `http://127.0.0.1:${(sup.address() as AddressInfo).port}`, token: 'supervisor-token-0123456789' };
  t.teardown(() => void (config.supervisor = undefined));

  t.equal((await post(`${stack.pageUrl(NON_ADMIN)}api/keys`, { name: 'laptop' })).status, 403);
  t.equal(seen.length, 0, 'a non-admin never reaches the Supervisor');
  const r = await post(`${stack.pageUrl(ADMIN)}api/keys`, { name: 'laptop' });
  t.equal(r.status, 200);
  const made = (await r.json()) as any;
  t.equal(made.name, 'laptop');
  t.ok(made.key.length >= 32);
  t.same(options.api_keys, [{ name: 'old', key: 'old-key-0123456789abcdef' }, { name: 'laptop', key: made.key }], 'the key was added, the others kept');
  t.equal(options.log_level, 'info', 'other options kept');
  t.equal(seen[1]?.auth, 'Bearer supervisor-token-0123456789');
  t.equal((await post(`${stack.pageUrl(ADMIN)}api/keys`, { name: 'laptop' })).status, 409, 'names are unique');
  t.equal((await post(`${stack.pageUrl(ADMIN)}api/keys`, { name: '<b>' })).status, 400);
  t.notMatch(stack.logs(), made.key, 'the key is not logged');
  const access = (await (await get(`${stack.pageUrl(ADMIN)}api/access`)).json()) as any;
  t.notMatch(JSON.stringify(access), API_KEY, 'access shows names, never keys');
  t.ok(access.api_keys.includes('test'));
});

t.test('configuration: the ingress port inside Home Assistant, the sources, page_approvals', async (t) => {
  const { loadConfig } = await import('../../src/config/load.js');
  const outside = loadConfig({ HOMEASSISTANT_URL: 'http://ha:8123', HOMEASSISTANT_TOKEN: 'x' });
  t.same(outside.ui, { ingressPort: undefined, ingressSources: ['172.30.32.2'], pageApprovals: false }, 'no ingress listener outside Home Assistant');
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-ui-'));
  writeFileSync(join(dir, 'options.json'), '{}');
  const inside = loadConfig({ SUPERVISOR_TOKEN: 'supervisor-token-0123456789', MCP_OPTIONS_FILE: join(dir, 'options.json'), HOMEASSISTANT_URL: 'http://ha:8123', HOMEASSISTANT_TOKEN: 'x' });
  t.equal(inside.ui.ingressPort, 8100, "config.yaml's ingress_port");
  const custom = loadConfig({ HOMEASSISTANT_URL: 'http://ha:8123', HOMEASSISTANT_TOKEN: 'x', MCP_INGRESS_PORT: '9000', MCP_INGRESS_SOURCES: '127.0.0.1,::1' });
  t.same([custom.ui.ingressPort, custom.ui.ingressSources], [9000, ['127.0.0.1', '::1']]);
  t.throws(() => loadConfig({ HOMEASSISTANT_URL: 'http://ha:8123', HOMEASSISTANT_TOKEN: 'x', MCP_INGRESS_SOURCES: 'any host' }), /MCP_INGRESS_SOURCES/);
  t.equal(stack.deps.config.ui.pageApprovals, true);
});

t.test('OAuth off: the Access section says how to turn it on; its actions check who asks first', async (t) => {
  const access = (await (await get(`${stack.pageUrl(NON_ADMIN)}api/access`)).json()) as any;
  t.equal(access.oauth.enabled, false);
  t.same(access.oauth.clients, []);
  t.match(access.oauth.how_to_enable, /base_url/, 'names the option that turns OAuth on');
  for (const [path, body] of [['oauth/grants/abc/revoke', {}], ['oauth/consents/forget', { user_id: ALICE.user.id, client_id: 'x' }]] as const) {
    t.equal((await post(`${stack.url}/ui/api/${path}`, body)).status, 401, `${path}: 401 without a token`);
    t.equal((await post(`${stack.url}/ui/api/${path}`, body, bearer(USER_TOKEN))).status, 403, `${path}: 403 for a Home Assistant token`);
    t.equal((await post(`${stack.pageUrl(NON_ADMIN)}api/${path}`, body)).status, 403, `${path}: 403 for a non-admin`);
    const off = await post(`${stack.pageUrl(ADMIN)}api/${path}`, body);
    t.equal(off.status, 404, `${path}: an admin learns OAuth is off`);
    t.match(((await off.json()) as any).suggestion, /base_url/);
  }
});

t.test('OAuth grants: a real sign-in listed by user and client, revoked by an admin only, its tokens then refused', async (t) => {
  const o = await startOAuthUiStack({ options: { oauth_clients: [{ client_id: 'my-assistant', client_name: 'My Assistant', redirect_uris: [REDIRECT] }] } });
  t.teardown(() => o.close());
  const accessOf = async () => ((await (await get(`${o.pageUrl(ADMIN)}api/access`)).json()) as any).oauth;
  t.same(await accessOf(), { enabled: true, available: true, how_to_enable: null, clients: [], has_more: false }, 'nobody signed in yet');

  // Alice signs in through the simulator's Home Assistant login and our consent page.
  const clientId = (await register(o, 'Grant test client')).json.client_id as string;
  const first = await (await signInByHand(o, clientId)).tokens();
  t.equal(first.status, 200);
  const access = first.json.access_token as string;
  const refresh = first.json.refresh_token as string;
  t.equal((await probe(o, access)).status, 200, 'the client works');

  const oauth = await accessOf();
  t.equal(oauth.clients.length, 1);
  const row = oauth.clients[0];
  t.match(row, { user_id: ALICE.user.id, user_name: ALICE.user.name, client_id: clientId, client_name: 'Grant test client', how_registered: 'dynamic client registration', scope: 'mcp' });
  t.type(row.consented_at, 'string', 'the consent is remembered');
  t.equal(row.grants.length, 1);
  t.type(row.last_used_at, 'string');
  const grantId = row.grants[0].id as string;
  t.equal(grantId, o.built.oauth!.grants.list({ clientId })[0]?.id, 'the grant of the OAuth service');
  const text = JSON.stringify(oauth);
  t.notOk(text.includes(access) || text.includes(refresh), 'no token in the listing');

  // Who may revoke: nobody without a token, not the OAuth client itself, not a non-admin.
  const path = `oauth/grants/${grantId}/revoke`;
  t.equal((await post(`${o.url}/ui/api/${path}`, {})).status, 401, '401 without a token');
  const self = await post(`${o.url}/ui/api/${path}`, {}, bearer(access));
  t.equal(self.status, 403, 'an OAuth token may look but not act');
  t.equal((await post(`${o.pageUrl(NON_ADMIN)}api/${path}`, {})).status, 403, '403 for a non-admin');
  t.equal((await fetch(`${o.pageUrl(ADMIN)}api/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x=1' })).status, 415, 'JSON only');
  t.equal((await post(`${o.pageUrl(ADMIN)}api/oauth/grants/${'x'.repeat(65)}/revoke`, {})).status, 400, 'a bounded id');
  t.equal((await probe(o, access)).status, 200, 'still signed in');

  const revoked = await post(`${o.pageUrl(ADMIN)}api/${path}`, {});
  t.equal(revoked.status, 200);
  t.same(await revoked.json(), { revoked: true });
  const after = await probe(o, access);
  t.equal(after.status, 401, 'the access token is refused at once');
  t.match(after.challenge, /error="invalid_token"/);
  const renewed = await postForm(`${o.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refresh, client_id: clientId });
  t.equal(renewed.json.error, 'invalid_grant', 'and so is its refresh token');
  t.equal((await post(`${o.pageUrl(ADMIN)}api/${path}`, {})).status, 404, 'revoked already');
  const kept = (await accessOf()).clients[0];
  t.same([kept?.client_id, kept?.grants], [clientId, []], 'the consent stays, without a sign-in');

  // A second sign-in skips the consent page; forgetting the consent ends it and asks again next time.
  const second = await (await signInByHand(o, clientId)).tokens();
  t.equal((await probe(o, second.json.access_token as string)).status, 200);
  const listed = await (await signInByHand(o, 'my-assistant')).tokens();
  const mine = (await accessOf()).clients.find((c: any) => c.client_id === 'my-assistant');
  t.match(mine, { client_name: 'My Assistant', how_registered: 'listed in the add-on options', redirect_host: '127.0.0.1:9' });
  const forget = { user_id: ALICE.user.id, client_id: clientId };
  t.equal((await post(`${o.url}/ui/api/oauth/consents/forget`, forget)).status, 401);
  t.equal((await post(`${o.pageUrl(NON_ADMIN)}api/oauth/consents/forget`, forget)).status, 403);
  t.equal((await post(`${o.pageUrl(ADMIN)}api/oauth/consents/forget`, { user_id: ALICE.user.id })).status, 400, 'both ids needed');
  const forgot = await post(`${o.pageUrl(ADMIN)}api/oauth/consents/forget`, forget);
  t.same(await forgot.json(), { forgotten: true, ended_grants: 1 });
  t.equal((await probe(o, second.json.access_token as string)).status, 401, 'its sign-in ended');
  t.equal((await probe(o, listed.json.access_token as string)).status, 200, 'the other client is untouched');
  t.same((await accessOf()).clients.map((c: any) => c.client_id), ['my-assistant']);
  t.same(o.built.oauth!.grants.consents({ clientId }), [], 'the consent is gone');
  t.equal((await post(`${o.pageUrl(ADMIN)}api/oauth/consents/forget`, forget)).status, 404, 'nothing left to forget');
  for (const secret of [access, refresh, second.json.access_token as string]) t.notOk(o.logs().includes(secret), 'no token in the logs');
  t.match(o.logs(), /oauth grant revoked from the page/);
});
