// The real entry point as a process: start-up errors are one line, SIGTERM ends in exit 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { freePort } from '../helpers/net.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

t.test('a bad setting stops start-up with one line naming it, never the secret', async (t) => {
  const p = run({ HOMEASSISTANT_URL: 'http://127.0.0.1:1', HOMEASSISTANT_TOKEN: 'super-secret-token-xyz', MCP_PORT: 'eighty' });
  const { code } = await p.exited;
  t.equal(code, 1);
  t.match(p.output(), /MCP_PORT/);
  t.notMatch(p.output(), /super-secret-token-xyz/);
  t.equal(p.output().trim().split('\n').length, 1);
});

t.test('SIGTERM closes sessions and the Home Assistant socket and exits 0 within 5 s', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const port = await freePort();
  const key = 'process-test-key-0123456789';
  const dir = mkdtempSync(join(tmpdir(), 'proc-'));
  const optionsFile = join(dir, 'options.json');
  writeFileSync(optionsFile, JSON.stringify({ api_keys: [{ name: 'proc', key }] }));
  const p = run({ HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: sim.token, MCP_PORT: String(port), MCP_OPTIONS_FILE: optionsFile, MCP_DATA_DIR: `${dir}/data` });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  let connected = false;
  while (Date.now() < deadline && !connected) {
    try {
      const h = (await (await fetch(`${base}/health`)).json()) as any;
      connected = h.home_assistant.connected;
    } catch {
      // not listening yet
    }
    if (!connected) await new Promise((r) => setTimeout(r, 100));
  }
  t.ok(connected, 'server up and connected to Home Assistant');
  // An open session with a server-to-client stream must not hold the shutdown up.
  const hdrs = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  const init = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: hdrs,
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'p', version: '1' } } }),
  });
  const sid = init.headers.get('mcp-session-id') as string;
  await init.body?.cancel();
  const stream = await fetch(`${base}/mcp`, { method: 'GET', headers: { ...hdrs, 'mcp-session-id': sid } });
  t.equal(stream.status, 200);

  const t0 = Date.now();
  p.child.kill('SIGTERM');
  const { code } = await p.exited;
  t.equal(code, 0, 'exit code 0');
  t.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`);
  t.match(p.output(), /shutting down/);
  await stream.body?.cancel().catch(() => undefined);
});
