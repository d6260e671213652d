// Debian's real nginx in front of the server, configured like the Nginx Proxy Manager custom
// location that DOCS.md describes (location /mcp/ -> http://HOST:8099/ plus the advanced
// directives of the add-on we replace, copied from DOCS.md itself). Through it: /mcp/health,
// /mcp/messages, and a full MCP session at /mcp/mcp with a notification on the open stream; and
// the Host check (DNS rebinding) with and without the Host header passed to the server; and the
// whole OAuth sign-in with only /mcp/ forwarded (Home Assistant answering every other path).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import t from 'tap';
import { API_KEY, startStack } from '../helpers/stack.js';
import { freePort } from '../helpers/net.js';
import { startSimulator } from '../../sim/server.js';
import { ALICE, Browser, connectWithOAuth, lightState, MemoryProvider, startOAuthStack } from '../oauth/helpers.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const addonDir = fileURLToPath(new URL('../..', import.meta.url));

/** The ```nginx block of DOCS.md: what users paste into the custom location's advanced field. */
function advancedDirectives(): string {
  const docs = readFileSync(join(addonDir, 'DOCS.md'), 'utf8');
  const m = /```nginx\n([\s\S]*?)```/.exec(docs);
  if (!m) throw new Error('DOCS.md has no ```nginx block');
  return (m[1] as string).replace(/^ {3}/gm, '');
}

/**
 * A server block like the one Nginx Proxy Manager writes for a proxy host with one custom
 * location (its _location.conf template): Host and forwarding headers, proxy_pass with the
 * forward path "/", the advanced directives; "Websockets support" adds HTTP/1.1 upgrade headers.
 */
function nginxConf(dir: string, listen: number, upstream: number, websockets: boolean, passHost: boolean, homeAssistant?: number): string {
  const ws = websockets
    ? 'proxy_set_header Upgrade $http_upgrade;\n      proxy_set_header Connection $http_connection;\n      proxy_http_version 1.1;'
    : '';
  return `
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${listen};
    server_name _;
    ${homeAssistant ? `location / { proxy_set_header Host $host; proxy_pass http://127.0.0.1:${homeAssistant}; }` : 'location / { return 404 "home assistant would answer here\\n"; }'}
    location /mcp/ {
      # The SDK sends "X-Accel-Buffering: no"; ignoring it makes the stream rely on the
      # documented proxy_buffering off alone, as behind proxies that drop that header.
      proxy_ignore_headers X-Accel-Buffering;
      ${advancedDirectives()}
      ${passHost ? 'proxy_set_header Host $host;' : '# no Host passed: nginx sends its upstream, 127.0.0.1:PORT'}
      proxy_set_header X-Forwarded-Scheme $scheme;
      proxy_set_header X-Forwarded-Proto  $scheme;
      proxy_set_header X-Forwarded-For    $remote_addr;
      proxy_set_header X-Real-IP          $remote_addr;
      proxy_pass       http://127.0.0.1:${upstream}/;
      ${ws}
    }
  }
}
`;
}

/** `at`: listen on this port; `homeAssistant`: every path outside /mcp/ goes to this port (Home Assistant on the same domain). */
async function startNginx(upstream: number, websockets: boolean, passHost = true, more: { at?: number; homeAssistant?: number } = {}): Promise<{ url: string; stop(): Promise<void>; log(): string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-test-'));
  const port = more.at ?? (await freePort());
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConf(dir, port, upstream, websockets, passHost, more.homeAssistant));
  const check = spawnSync(NGINX as string, ['-t', '-q', '-e', join(dir, 'error.log'), '-p', dir, '-c', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t: ${check.stderr}`);
  const child: ChildProcess = spawn(NGINX as string, ['-e', join(dir, 'error.log'), '-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetch(url);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    log: () => stderr + (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (!NGINX) {
  t.skip('nginx is not installed (scripts/test installs it: apt-get install nginx)', async () => undefined);
} else {
  for (const websockets of [false, true]) {
    t.test(`through nginx, custom location /mcp/ (websockets support ${websockets ? 'on' : 'off'})`, async (t) => {
      const stack = await startStack();
      t.teardown(() => stack.close());
      const upstream = Number(new URL(stack.url).port);
      const nginx = await startNginx(upstream, websockets);
      t.teardown(() => nginx.stop());

      const health = await fetch(`${nginx.url}/mcp/health`);
      t.equal(health.status, 200, 'GET https://DOMAIN/mcp/health');
      const body = (await health.json()) as { status: string; home_assistant: { connected: boolean } };
      t.equal(body.status, 'healthy');
      t.equal(body.home_assistant.connected, true);

      const noToken = await fetch(`${nginx.url}/mcp/messages`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
      t.equal(noToken.status, 401, 'no token: 401 passes through');
      t.match(noToken.headers.get('www-authenticate') ?? '', /^Bearer/);

      const list = await fetch(`${nginx.url}/mcp/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      t.equal(list.status, 200, 'the Authorization header reaches the server (curl at /mcp/messages)');
      const tools = ((await list.json()) as { result: { tools: { name: string }[] } }).result.tools;
      t.ok(tools.length > 0);

      // A full MCP session with the SDK client at the external URL https://DOMAIN/mcp/mcp.
      const client = new Client({ name: 'nginx-test', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(`${nginx.url}/mcp/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${API_KEY}` } },
      });
      await client.connect(transport);
      t.teardown(() => client.close());
      t.ok(transport.sessionId, 'initialize: a session id came back through the proxy');
      const listed = await client.listTools();
      t.same(listed.tools.map((x) => x.name).sort(), tools.map((x) => x.name).sort(), 'tools/list');
      const name = listed.tools.find((x) => x.name === 'ha_get_state') ? 'ha_get_state' : (listed.tools[0]?.name as string);
      const entity = (stack.deps.ha.cache.states().next().value as { entity_id: string }).entity_id;
      const result = (await client.callTool({ name, arguments: name === 'ha_get_state' ? { entity_id: entity } : {} })) as CallToolResult;
      t.notOk(result.isError, `tools/call ${name}`);
      t.match(JSON.stringify(result.content), entity.split('.')[0] as string);

      // Streaming: a server-initiated notification travels the open SSE stream (GET /mcp/mcp)
      // while it stays open, which proxy_buffering off makes possible.
      let t0 = 0;
      const changed = new Promise<number>((resolve) => {
        client.setNotificationHandler(ResourceListChangedNotificationSchema, () => resolve(Date.now() - t0));
      });
      await new Promise((r) => setTimeout(r, 300)); // the client opens its GET stream after initialize
      t0 = Date.now();
      stack.sim.home.setState('input_boolean.nginx_streaming_test', 'on', { friendly_name: 'Nginx streaming test' });
      const ms = await Promise.race([changed, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
      t.ok(ms >= 0, ms >= 0 ? `notifications/resources/list_changed arrived through nginx in ${ms} ms` : 'the notification did not come through nginx within 5 s (buffered?)');
      t.notMatch(nginx.log(), /\[(error|crit|alert|emerg)\]/, 'nginx logged no error');
    });
  }
  /** POST /mcp/messages through nginx with this Host (and Origin), as a client of https://NAME/mcp/ would. */
  const viaNginx = (url: string, host: string, origin?: string): Promise<{ status: number; body: any }> =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const headers: Record<string, string> = { Host: host, Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' };
      if (origin) headers.Origin = origin;
      const req = request({ host: u.hostname, port: u.port, path: '/mcp/messages', method: 'POST', setHost: false, headers }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    });

  t.test('the Host check behind nginx, with and without the Host header passed', async (t) => {
    const stack = await startStack();
    t.teardown(() => stack.close());
    const upstream = Number(new URL(stack.url).port);
    const passing = await startNginx(upstream, false, true);
    t.teardown(() => passing.stop());
    const notPassing = await startNginx(upstream, false, false);
    t.teardown(() => notPassing.stop());
    const NAME = 'ha.example.test';

    // proxy_set_header Host $host (what Nginx Proxy Manager writes): the server sees the public name.
    const refused = await viaNginx(passing.url, NAME);
    t.equal(refused.status, 403, 'Host passed: a name the server does not know is refused');
    t.match(refused.body.suggestion, /allowed_hosts/, 'the 403 body names the option, through nginx');
    t.match(refused.body.suggestion, /public_url/);
    // Without it the server sees nginx's upstream address: an IP literal, accepted.
    t.equal((await viaNginx(notPassing.url, NAME)).status, 200, 'Host not passed: the upstream 127.0.0.1:PORT is accepted');
    t.equal((await viaNginx(notPassing.url, NAME, `https://${NAME}`)).status, 403, 'Host not passed: a page of the public name is cross-origin to the upstream name');

    // The usual set-up: the proxy's domain is Home Assistant's external URL.
    stack.sim.home.updateCoreConfig({ external_url: `https://${NAME}` });
    const deadline = Date.now() + 5000;
    while (stack.deps.ha.cache.config?.external_url !== `https://${NAME}` && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    t.equal((await viaNginx(passing.url, NAME)).status, 200, "Host passed: Home Assistant's external_url host is accepted");
    t.equal((await viaNginx(passing.url, NAME, `https://${NAME}`)).status, 200, 'and a page of that origin is same-origin ($host has no port)');
    t.equal((await viaNginx(passing.url, 'evil.example.com')).status, 403, 'other names still refused');
    t.notMatch(passing.log() + notPassing.log(), /\[(error|crit|alert|emerg)\]/, 'nginx logged no error');
  });

  // OAuth through Nginx Proxy Manager at /mcp/ on Home Assistant's own domain: every other path is
  // Home Assistant's (the simulator, which answers its own root /.well-known/oauth-authorization-server),
  // so discovery must find everything under the prefix: resource_metadata, then
  // <issuer>/.well-known/openid-configuration. The login form and the consent page go through nginx too.
  for (const kind of ['v1', 'v2'] as const) {
    t.test(`OAuth through nginx at /mcp/ (${kind} client): issuer and metadata carry the prefix`, async (t) => {
      const at = await freePort();
      const domain = `http://127.0.0.1:${at}`;
      const sim = await startSimulator({ port: 0, home: 'demo' });
      t.teardown(() => sim.close());
      sim.auth.addUser(ALICE.username, ALICE.password, ALICE.user);
      const stack = await startOAuthStack({ sim, env: { MCP_BASE_URL: `${domain}/mcp` }, options: { ha_external_url: domain } });
      t.teardown(() => stack.close());
      const nginx = await startNginx(stack.port, true, true, { at, homeAssistant: sim.port });
      t.teardown(() => nginx.stop());

      const res = await fetch(`${domain}/mcp/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      t.equal(res.status, 401);
      t.equal(res.headers.get('www-authenticate'), `Bearer resource_metadata="${domain}/mcp/.well-known/oauth-protected-resource/mcp", scope="mcp"`);
      const prm = (await (await fetch(`${domain}/mcp/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
      t.same(prm.authorization_servers, [`${domain}/mcp`]);
      t.equal(prm.resource, `${domain}/mcp/mcp`);
      const oidc = (await (await fetch(`${domain}/mcp/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      t.equal(oidc.issuer, `${domain}/mcp`);
      t.equal(oidc.token_endpoint, `${domain}/mcp/oauth/token`);
      const haRoot = (await (await fetch(`${domain}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      t.not(haRoot.issuer, `${domain}/mcp`, "the root document is Home Assistant's, not ours");

      await fetch(`${sim.url}/api/services/light/turn_off`, { method: 'POST', headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' }, body: '{"entity_id":"light.ceiling_lights"}' });
      const browser = new Browser();
      const client = await connectWithOAuth(kind, `${domain}/mcp/mcp`, new MemoryProvider(`nginx ${kind}`), browser);
      t.teardown(() => client.close());
      t.ok(browser.visited.some((u) => u.startsWith(`${domain}/auth/authorize?`)), "Home Assistant's login at its own root");
      t.match(stack.logs(), /"url":"\/\.well-known\/oauth-protected-resource\/mcp","status":200/, 'the client read the resource metadata under the prefix');
      t.match(stack.logs(), /"url":"\/\.well-known\/openid-configuration","status":200/, 'and <issuer>/.well-known/openid-configuration');
      t.ok(browser.visited.some((u) => u.startsWith(`${domain}/mcp/oauth/ha-callback?`)), 'our callback under the prefix');
      t.ok(browser.visited.some((u) => u === `${domain}/mcp/oauth/consent`), 'our consent page under the prefix');
      const { json } = await client.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.ceiling_lights' });
      t.equal(json.success, true, JSON.stringify(json));
      const light = await lightState(sim, 'light.ceiling_lights');
      t.equal(light.user, ALICE.user.id, 'as Alice');
      t.notMatch(nginx.log(), /\[(error|crit|alert|emerg)\]/, 'nginx logged no error');
    });
  }
}
