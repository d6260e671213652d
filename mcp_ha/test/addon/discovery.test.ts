// Add-on discovery against a fake Supervisor on a real port: the request Home Assistant's
// Supervisor expects (POST /discovery, Bearer SUPERVISOR_TOKEN, {"service":"mcp","config":{"url"}}),
// retries with backoff on 503/429/network errors while the server keeps serving, one warning
// when it gives up or is refused, and never the token in a log line.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { announce, DISCOVERY_SERVICE, discoveryUrl, startDiscovery } from '../../src/addon/discovery.js';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { freePort } from '../helpers/net.js';
import { API_KEY, startStack } from '../helpers/stack.js';

const SUPERVISOR_TOKEN = 'supervisor-token-do-not-log-0123456789';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
  at: number;
}

/** A fake Supervisor: `answers` are played in order for POST /discovery (the last one repeats). */
async function fakeSupervisor(answers: { status: number; body: unknown; headers?: Record<string, string> }[]) {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body, at: Date.now() });
      if (req.method !== 'POST' || req.url !== '/discovery') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"result":"error","message":"not found"}');
        return;
      }
      const a = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function captureLogger() {
  let text = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { logger: createLogger('debug', sink), lines: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>), text: () => text };
}

const BUSY = { status: 503, body: { result: 'error', message: 'System is not ready with state: setup' } };
const OK = { status: 200, body: { result: 'ok', data: { uuid: 'c3a1f0d2e7b94b1c9b2f7e3e1d0a9c88' } } };

t.test('config.yaml declares the service the add-on announces', async (t) => {
  const config = parse(readFileSync(new URL('../../config.yaml', import.meta.url), 'utf8')) as { discovery?: string[] };
  t.same(config.discovery, [DISCOVERY_SERVICE]);
  t.equal(DISCOVERY_SERVICE, 'mcp');
});

t.test('only inside Home Assistant (SUPERVISOR_TOKEN); the URL is this container host name, port and MCP path', async (t) => {
  const outside = loadConfig({ HOMEASSISTANT_URL: 'http://127.0.0.1:8123', HOMEASSISTANT_TOKEN: 'x' });
  t.equal(outside.supervisor, undefined);
  t.equal(startDiscovery(outside, captureLogger().logger), undefined, 'nothing is started outside Home Assistant');
  const dir = mkdtempSync(join(tmpdir(), 'discovery-'));
  writeFileSync(join(dir, 'options.json'), '{}');
  const inside = loadConfig({ SUPERVISOR_TOKEN, MCP_OPTIONS_FILE: join(dir, 'options.json') });
  t.equal(inside.ha.mode, 'supervisor');
  t.same(inside.supervisor, { url: 'http://supervisor', token: SUPERVISOR_TOKEN });
  t.equal(discoveryUrl(inside), `http://${hostname()}:8099/mcp`);
  t.equal(discoveryUrl({ port: 9000, secretPath: '/s3cr3t/mcp' }, 'abc123-mcp-ha'), 'http://abc123-mcp-ha:9000/s3cr3t/mcp');
  // Explicit URL and token (a remote Home Assistant) still announce to the local Supervisor.
  const remote = loadConfig({ SUPERVISOR_TOKEN, HOMEASSISTANT_URL: 'http://10.0.0.2:8123', HOMEASSISTANT_TOKEN: 'x' });
  t.equal(remote.ha.mode, 'direct');
  t.ok(remote.supervisor);
});

t.test('503 twice, then ok: the exact request each time, backoff between, the server serving all along', async (t) => {
  const sup = await fakeSupervisor([BUSY, BUSY, OK]);
  t.teardown(sup.close);
  const stack = await startStack({ env: { SUPERVISOR_TOKEN } });
  t.teardown(stack.close);
  const config = stack.deps.config;
  t.ok(config.supervisor, 'the stack runs as inside Home Assistant');

  const t0 = Date.now();
  const handle = startDiscovery(config, stack.deps.logger, { supervisorUrl: sup.url, baseDelayMs: 400, random: () => 0.999 })!;
  t.ok(handle, 'started');

  // While the announcement waits for the Supervisor, the server answers at once.
  let served = 0;
  while (sup.seen.length < 3 && Date.now() - t0 < 5000) {
    const s0 = Date.now();
    const health = await fetch(`${stack.url}/health`);
    t.equal(health.status, 200);
    await health.arrayBuffer();
    const rpc = await stack.rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, API_KEY);
    t.equal(rpc.status, 200);
    t.ok(Date.now() - s0 < 1000, 'answered promptly during a retry pause');
    served++;
    await new Promise((r) => setTimeout(r, 50));
  }
  const outcome = await handle.done;
  t.same(outcome, { ok: true, uuid: OK.body.data.uuid, attempts: 3 });
  t.ok(served >= 3, `the server answered ${served} rounds while discovery was retrying`);

  t.equal(sup.seen.length, 3, 'two retries, no more');
  const url = `http://${hostname()}:${config.port}${config.secretPath}`;
  for (const s of sup.seen) {
    t.equal(s.method, 'POST');
    t.equal(s.url, '/discovery');
    t.equal(s.authorization, `Bearer ${SUPERVISOR_TOKEN}`);
    t.equal(s.contentType, 'application/json');
    t.equal(s.body, JSON.stringify({ service: 'mcp', config: { url } }));
  }
  // random 0.999 of the capped doubling: ~400 ms, then ~800 ms.
  const gap1 = sup.seen[1]!.at - sup.seen[0]!.at;
  const gap2 = sup.seen[2]!.at - sup.seen[1]!.at;
  t.ok(gap1 >= 350 && gap1 < 1500, `first pause ${gap1} ms`);
  t.ok(gap2 >= 750 && gap2 < 2500, `second pause doubles: ${gap2} ms`);
  t.ok(gap2 > gap1, 'exponential');

  const logs = stack.logs();
  t.notMatch(logs, SUPERVISOR_TOKEN, 'the token is never logged');
  t.match(logs, /announced to Home Assistant/);
  t.notMatch(logs, /"level":40[^\n]*discovery/, 'no warning when it succeeded');
});

t.test('a Supervisor that stays busy: bounded tries, then one warning', async (t) => {
  const sup = await fakeSupervisor([BUSY]);
  t.teardown(sup.close);
  const log = captureLogger();
  const outcome = await announce({ supervisorUrl: sup.url, token: SUPERVISOR_TOKEN, mcpUrl: 'http://h:8099/mcp', logger: log.logger, maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40 }).done;
  t.same(outcome, { ok: false, attempts: 4, reason: 'HTTP 503: System is not ready with state: setup' });
  t.equal(sup.seen.length, 4);
  const warns = log.lines().filter((l) => l.level === 40);
  t.equal(warns.length, 1, 'warned once');
  t.match(warns[0]!.msg, /add-on discovery failed/);
  t.notMatch(log.text(), SUPERVISOR_TOKEN);
});

t.test('the default is about ten tries', async (t) => {
  const sup = await fakeSupervisor([{ status: 500, body: { result: 'error', message: 'boom' } }]);
  t.teardown(sup.close);
  const log = captureLogger();
  const outcome = await announce({ supervisorUrl: sup.url, token: SUPERVISOR_TOKEN, mcpUrl: 'http://h:8099/mcp', logger: log.logger, baseDelayMs: 1, maxDelayMs: 5 }).done;
  t.equal(outcome.attempts, 10);
  t.equal(sup.seen.length, 10);
});

t.test('429 is retried no sooner than Retry-After; 403 (service not declared) is not retried', async (t) => {
  const sup = await fakeSupervisor([{ status: 429, body: { result: 'error', message: 'slow down' }, headers: { 'Retry-After': '1' } }, OK]);
  t.teardown(sup.close);
  const log = captureLogger();
  const outcome = await announce({ supervisorUrl: sup.url, token: SUPERVISOR_TOKEN, mcpUrl: 'http://h:8099/mcp', logger: log.logger, baseDelayMs: 10, random: () => 0 }).done;
  t.equal(outcome.ok, true);
  t.ok(sup.seen[1]!.at - sup.seen[0]!.at >= 950, 'waited for Retry-After');

  const refused = await fakeSupervisor([{ status: 403, body: { result: 'error', message: 'Add-ons must list services they provide via discovery in their config!' } }]);
  t.teardown(refused.close);
  const log2 = captureLogger();
  const out2 = await announce({ supervisorUrl: refused.url, token: SUPERVISOR_TOKEN, mcpUrl: 'http://h:8099/mcp', logger: log2.logger, baseDelayMs: 10 }).done;
  t.same(out2, { ok: false, attempts: 1, reason: 'HTTP 403: Add-ons must list services they provide via discovery in their config!' });
  t.equal(refused.seen.length, 1);
  t.equal(log2.lines().filter((l) => l.level === 40).length, 1);
});

t.test('a Supervisor not listening yet (connection refused) is retried until it is', async (t) => {
  const port = await freePort();
  const log = captureLogger();
  const handle = announce({ supervisorUrl: `http://127.0.0.1:${port}`, token: SUPERVISOR_TOKEN, mcpUrl: 'http://h:8099/mcp', logger: log.logger, baseDelayMs: 100, maxDelayMs: 200, random: () => 0.999 });
  await new Promise((r) => setTimeout(r, 250));
  let seen = 0;
  const server = createServer((req, res) => {
    req.resume();
    seen++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(OK.body));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const outcome = await handle.done;
  t.equal(outcome.ok, true);
  t.ok(outcome.attempts >= 2, `connected on try ${outcome.attempts}`);
  t.equal(seen, 1);
  t.match(log.text(), /ECONNREFUSED/, 'the retries say why (debug)');
});

t.test('stop() ends a pending retry at once (shutdown)', async (t) => {
  const sup = await fakeSupervisor([BUSY]);
  t.teardown(sup.close);
  const log = captureLogger();
  const handle = announce({ supervisorUrl: sup.url, token: SUPERVISOR_TOKEN, mcpUrl: 'http://h:8099/mcp', logger: log.logger, baseDelayMs: 60_000, random: () => 0.999 });
  while (sup.seen.length < 1) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 20));
  const t0 = Date.now();
  handle.stop();
  const outcome = await handle.done;
  t.same(outcome, { ok: false, attempts: 1, reason: 'stopped' });
  t.ok(Date.now() - t0 < 500);
  t.equal(log.lines().filter((l) => l.level === 40).length, 0, 'no warning for a shutdown');
});
