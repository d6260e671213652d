// DNS-rebinding protection without configuration: over real sockets, with raw Host, Origin and
// X-Forwarded-Host headers (node:http, so that the test and not the client decides the Host).
import { request } from 'node:http';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import t, { type Test } from 'tap';
import { API_KEY, startStack, type Stack } from '../helpers/stack.js';

interface Answer {
  status: number;
  body: any;
}

const PING = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'rebinding-test', version: '1.0.0' } },
});

/** One request with exactly these headers (Host included: nothing is added but Content-Length). */
function send(stack: Stack, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', setHost: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // an SSE answer stays text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /messages ping with the API key and these headers. */
const ping = (stack: Stack, headers: Record<string, string>): Promise<Answer> =>
  send(stack, '/messages', { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json', ...headers }, PING);

/** POST /mcp initialize the way the conformance scenario dns-rebinding-protection sends it (no token). */
const conformanceInit = (stack: Stack, host: string): Promise<Answer> =>
  send(stack, '/mcp', { Host: host, Origin: `http://${host}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-11-25' }, INIT);

function refusedHost(t: Test, a: Answer, name: string, what: string): void {
  t.equal(a.status, 403, `${what}: 403`);
  t.equal(a.body?.error, 'forbidden', `${what}: forbidden`);
  t.match(a.body?.message, name, `${what}: the message names ${name}`);
  t.match(a.body?.suggestion, /allowed_hosts/, `${what}: the suggestion names allowed_hosts`);
}

t.test('default options', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const port = new URL(stack.url).port;
  const machine = hostname().toLowerCase();

  t.test('names the server is known by are accepted, with or without port', async (t) => {
    const accepted = [
      `127.0.0.1:${port}`, '127.0.0.1', `localhost:${port}`, `LocalHost:${port}`, 'localhost.', `mcp.localhost:${port}`,
      `[::1]:${port}`, '[::1]', '[fe80::1%25eth0]:8099', '192.168.1.10:8099', '10.0.0.7', '[2001:db8::5]:8099',
      'homeassistant:8099', 'homeassistant.local:8099', 'HOMEASSISTANT.LOCAL', machine, `${machine}:8099`, `${machine}.local.hass.io:8099`,
    ];
    for (const host of accepted) {
      const a = await ping(stack, { Host: host });
      t.equal(a.status, 200, `Host ${host}`);
      t.same(a.body?.result, {}, `Host ${host}: ping answered`);
    }
  });

  t.test('other names are refused with 403 naming allowed_hosts', async (t) => {
    const refused: [string, string][] = [
      ['evil.example.com', 'evil.example.com'],
      [`evil.example.com:${port}`, 'evil.example.com'],
      ['homeassistant.evil.example', 'homeassistant.evil.example'],
      ['homeassistant.local.evil.example', 'homeassistant.local.evil.example'],
      [`localhost.evil.example:${port}`, 'localhost.evil.example'],
      ['127.0.0.1.nip.io', '127.0.0.1.nip.io'],
      [`${machine}.evil.example`, `${machine}.evil.example`],
      ['a b', 'malformed'],
      ['[::1', 'malformed'],
      ['[not-v6]:80', 'malformed'],
    ];
    for (const [host, name] of refused) refusedHost(t, await ping(stack, { Host: host }), name, `Host ${host}`);
  });

  t.test('the check runs before authentication: a foreign Host without token gets 403, a known one 401', async (t) => {
    refusedHost(t, await send(stack, '/messages', { Host: 'evil.example.com', 'Content-Type': 'application/json' }, PING), 'evil.example.com', 'no token');
    t.equal((await send(stack, '/messages', { Host: `localhost:${port}`, 'Content-Type': 'application/json' }, PING)).status, 401, 'known Host, no token: 401');
  });

  t.test('every route but /health: GET /mcp, DELETE /mcp, unknown paths', async (t) => {
    for (const [method, path] of [['GET', '/mcp'], ['DELETE', '/mcp'], ['GET', '/nowhere']] as const) {
      const a = await new Promise<Answer>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method, setHost: false, headers: { Host: 'evil.example.com', Authorization: `Bearer ${API_KEY}` } }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.end();
      });
      refusedHost(t, a, 'evil.example.com', `${method} ${path}`);
    }
    const health = await send(stack, '/health', { Host: 'evil.example.com' });
    t.equal(health.status, 200, '/health stays open (the Supervisor watchdog)');
  });

  t.test('no Host header at all (HTTP/1.0) is refused', async (t) => {
    const raw = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(port), '127.0.0.1', () => {
        s.end(`POST /messages HTTP/1.0\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${PING.length}\r\n\r\n${PING}`);
      });
      let text = '';
      s.on('data', (d) => (text += d));
      s.on('end', () => resolve(text));
      s.on('error', reject);
    });
    t.match(raw, /^HTTP\/1\.[01] 403/);
    t.match(raw, /"error":"forbidden"/);
    t.match(raw, /Host header is missing/);
    t.match(raw, /allowed_hosts/);
  });

  t.test('the conformance scenario dns-rebinding-protection', async (t) => {
    const evil = await conformanceInit(stack, 'evil.example.com');
    refusedHost(t, evil, 'evil.example.com', 'Host and Origin evil.example.com');
    // The valid half: Host 127.0.0.1:PORT / localhost:PORT and the same Origin pass the check
    // (the scenario sends no token; with one, initialize succeeds).
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      t.equal((await conformanceInit(stack, host)).status, 401, `Host ${host} passes the check (then needs a token)`);
      const ok = await send(stack, '/messages', { Host: host, Origin: `http://${host}`, Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' }, PING);
      t.equal(ok.status, 200, `Host and Origin ${host} with a token: 200`);
    }
  });

  t.test('Origin: same origin passes, another site is refused naming allowed_origins', async (t) => {
    const host = `127.0.0.1:${port}`;
    const cases: [Record<string, string>, number, string][] = [
      [{ Host: host, Origin: `http://${host}` }, 200, 'same origin'],
      [{ Host: host, Origin: `https://${host}` }, 200, 'same host and port, other scheme (TLS ends at a proxy)'],
      [{ Host: `localhost:${port}`, Origin: `http://LOCALHOST:${port}` }, 200, 'same origin, other case'],
      [{ Host: `[::1]:${port}`, Origin: `http://[::1]:${port}` }, 200, 'same origin, IPv6'],
      [{ Host: 'homeassistant.local', Origin: 'https://homeassistant.local:8443' }, 200, 'Host without port (a proxy dropped it): any port of that name'],
      [{ Host: 'homeassistant.local:80', Origin: 'http://homeassistant.local' }, 200, 'default port written out'],
      [{ Host: host, Origin: `http://127.0.0.1:${Number(port) + 1}` }, 403, 'same name, another port'],
      [{ Host: host, Origin: 'http://evil.example' }, 403, 'another site'],
      [{ Host: host, Origin: 'http://localhost:3000' }, 403, 'a local page on another port'],
      [{ Host: host, Origin: 'null' }, 403, 'Origin null (sandboxed page, file://)'],
      [{ Host: host, Origin: 'https://ha.example.com', 'X-Forwarded-Host': 'ha.example.com' }, 200, 'X-Forwarded-Host of a proxy that kept its upstream Host'],
      [{ Host: host, Origin: 'https://ha.example.com', 'X-Forwarded-Host': 'ha.example.com, other.example' }, 200, 'the first X-Forwarded-Host counts'],
      [{ Host: host, Origin: 'https://ha.example.com', 'X-Forwarded-Host': 'other.example' }, 403, 'X-Forwarded-Host of another name'],
    ];
    for (const [headers, status, what] of cases) {
      const a = await ping(stack, headers);
      t.equal(a.status, status, what);
      if (status === 403) {
        t.match(a.body?.message, headers.Origin as string, `${what}: the message names the origin`);
        t.match(a.body?.suggestion, /allowed_origins/, `${what}: the suggestion names allowed_origins`);
      }
    }
  });

  t.test('X-Forwarded-Host never makes a foreign Host acceptable', async (t) => {
    refusedHost(t, await ping(stack, { Host: 'evil.example.com', 'X-Forwarded-Host': `localhost:${port}` }), 'evil.example.com', 'known X-Forwarded-Host');
    refusedHost(t, await ping(stack, { Host: 'evil.example.com', Origin: 'http://evil.example.com', 'X-Forwarded-Host': 'evil.example.com' }), 'evil.example.com', 'all three evil');
  });
});

t.test("Home Assistant's internal_url and external_url, as the simulator serves them and when they change", async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  t.equal(stack.deps.ha.cache.config?.internal_url, 'http://127.0.0.1:8123', 'internal_url as recorded (GET /api/config, get_config)');
  t.equal(stack.deps.ha.cache.config?.external_url, null, 'external_url as recorded');
  const rest = await stack.deps.ha.rest('GET', '/api/config');
  t.match(rest.body, { internal_url: 'http://127.0.0.1:8123', external_url: null }, 'REST /api/config serves the same');

  refusedHost(t, await ping(stack, { Host: 'myhome.example.org' }), 'myhome.example.org', 'before external_url is set');
  refusedHost(t, await ping(stack, { Host: 'ha-box.lan:8099' }), 'ha-box.lan', 'before internal_url is set');

  const configChanged = async (key: 'internal_url' | 'external_url', value: string | null): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (stack.deps.ha.cache.config?.[key] !== value) {
      if (Date.now() > deadline) throw new Error(`${key} did not reach the cache`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  stack.sim.home.updateCoreConfig({ external_url: 'https://MyHome.example.org', internal_url: 'http://ha-box.lan:8123' });
  await configChanged('internal_url', 'http://ha-box.lan:8123');
  t.equal((await ping(stack, { Host: 'myhome.example.org' })).status, 200, 'external_url host, any port');
  t.equal((await ping(stack, { Host: 'myhome.example.org:443', Origin: 'https://myhome.example.org' })).status, 200, 'external_url host with a same-origin page');
  t.equal((await ping(stack, { Host: 'ha-box.lan:8099' })).status, 200, 'internal_url host on our port');
  refusedHost(t, await ping(stack, { Host: 'evil.example.com' }), 'evil.example.com', 'others still refused');

  stack.sim.home.updateCoreConfig({ external_url: null });
  await configChanged('external_url', null);
  refusedHost(t, await ping(stack, { Host: 'myhome.example.org' }), 'myhome.example.org', 'external_url removed at runtime');
  t.equal((await ping(stack, { Host: 'ha-box.lan' })).status, 200, 'internal_url kept');

  // After a reconnect the config is loaded again (a change while we were away is picked up).
  stack.sim.faults.refuseConnections(true);
  stack.sim.faults.dropWebSockets();
  stack.sim.home.updateCoreConfig({ external_url: 'https://later.example.org' });
  await new Promise((r) => setTimeout(r, 100));
  t.equal(stack.deps.ha.cache.config?.external_url, null, 'not seen while disconnected');
  stack.sim.faults.refuseConnections(false);
  await configChanged('external_url', 'https://later.example.org');
  t.equal((await ping(stack, { Host: 'later.example.org' })).status, 200, 'external_url after a reconnect');
});

t.test('public_url and allowed_hosts add names; allowed_origins adds other sites', async (t) => {
  const stack = await startStack({
    options: {
      public_url: 'https://mcp.example.net/mcp/',
      allowed_hosts: ['Proxy.Example.COM', 'other.example.com:8443', 'https://typo.example.com/', '[2001:db8::1]'],
      allowed_origins: ['https://app.example.com/', 'http://localhost:3000'],
    },
  });
  t.teardown(() => stack.close());
  const port = new URL(stack.url).port;

  for (const host of ['mcp.example.net', 'mcp.example.net:443', 'proxy.example.com', 'PROXY.example.com:8099', 'other.example.com', 'typo.example.com', `localhost:${port}`, '127.0.0.1']) {
    t.equal((await ping(stack, { Host: host })).status, 200, `Host ${host}`);
  }
  refusedHost(t, await ping(stack, { Host: 'example.net' }), 'example.net', 'the parent domain of public_url');
  refusedHost(t, await ping(stack, { Host: 'sub.proxy.example.com' }), 'sub.proxy.example.com', 'a subdomain of an allowed host');

  const cases: [Record<string, string>, number, string][] = [
    [{ Host: `127.0.0.1:${port}`, Origin: 'https://mcp.example.net' }, 200, "public_url's origin is the server's own (a proxy that does not pass Host)"],
    [{ Host: `127.0.0.1:${port}`, Origin: 'http://mcp.example.net' }, 403, "public_url's host on another port (http: 80)"],
    [{ Host: `127.0.0.1:${port}`, Origin: 'https://app.example.com' }, 200, 'allowed_origins entry (trailing slash in the option)'],
    [{ Host: `127.0.0.1:${port}`, Origin: 'https://APP.example.com:443' }, 200, 'allowed_origins entry, default port and case'],
    [{ Host: `127.0.0.1:${port}`, Origin: 'http://app.example.com' }, 403, 'allowed_origins: another scheme is another origin'],
    [{ Host: `127.0.0.1:${port}`, Origin: 'https://app.example.com:8443' }, 403, 'allowed_origins: another port is another origin'],
    [{ Host: `127.0.0.1:${port}`, Origin: 'http://localhost:3000' }, 200, 'a local development page, listed'],
    [{ Host: 'evil.example.com', Origin: 'https://app.example.com' }, 403, 'an allowed origin does not make a foreign Host acceptable'],
  ];
  for (const [headers, status, what] of cases) t.equal((await ping(stack, headers)).status, status, what);
});
