// The real server (src/main.ts in a child process) is killed with SIGKILL while AI writes stream
// in; a new server over the same data folder then reads every record through MCP, marks the
// writes the kill cut off 'unknown' (none stays pending), and undoes only a done one.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import type { RecoveringAuditLog } from '../../src/audit/recover.js';
import { API_KEY, startStack } from '../helpers/stack.js';
import { freePort } from '../helpers/net.js';

t.test('kill -9 while writing: every record intact, readable and undoable by the next server', async (t) => {
  const sim = await startSimulator({ port: 0, home: 'demo' });
  t.teardown(() => sim.close());
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-crash-'));
  const dataDir = join(dir, 'data');
  writeFileSync(join(dir, 'options.json'), JSON.stringify({ api_keys: [{ name: 'crash', key: API_KEY }] }));
  const port = await freePort();
  const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: sim.token, MCP_OPTIONS_FILE: join(dir, 'options.json'), MCP_DATA_DIR: dataDir, MCP_HOST: '127.0.0.1', MCP_PORT: String(port), LOG_LEVEL: 'error' },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const mark = (what: string) => t.comment(`${what} at ${Math.round(performance.now() - t0)} ms`);
  // Generous: a cold tsx start on a busy 2-core machine can take seconds.
  for (let up = false; !up; ) {
    if (performance.now() - t0 > 60_000 || child.exitCode !== null) throw new Error('the server did not start');
    up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  const write = (n: number) =>
    fetch(`${base}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: 'ha_call_service', arguments: { domain: 'input_number', service: 'set_value', entity_id: 'input_number.mcp_test_number', service_data: { value: n % 100 } } } }),
    }).then((r) => r.json() as Promise<{ result?: { isError?: boolean } }>, () => undefined);
  mark('health');
  // Wait for the Home Assistant cache, then keep 4 writes in flight and kill mid-stream.
  for (let ready = false; !ready; ) {
    if (performance.now() - t0 > 60_000) throw new Error('Home Assistant cache never became ready');
    const res = await write(0);
    ready = res?.result !== undefined && res.result.isError !== true;
    if (!ready) await new Promise((r) => setTimeout(r, 50));
  }
  mark('first write');
  let n = 1;
  let done = 0;
  let stop = false;
  const pumps = [0, 1, 2, 3].map(async () => {
    while (!stop) if ((await write(n++))?.result) done++;
  });
  // Kill once enough writes went through (by count, not time: the machine may be busy).
  while (done < 20 && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  stop = true;
  await Promise.all(pumps);
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));

  const lines = readdirSync(join(dataDir, 'audit')).flatMap((f) => readFileSync(join(dataDir, 'audit', f), 'utf8').split('\n').filter(Boolean));
  t.ok(lines.length > 10, `${lines.length} lines written before the kill`);
  t.equal(lines.filter((l) => { try { JSON.parse(l); return false; } catch { return true; } }).length, 0, 'every line parses');
  const ids = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));

  mark('killed');
  const stack = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
  t.teardown(() => stack.close());
  const marked = await (stack.deps.audit as RecoveringAuditLog).recovered;
  const { json } = await stack.call('ha_audit_log', { limit: 200 });
  t.equal(json.total, ids.size, 'one record per id, none lost');
  const stats = json.stats as { by_outcome: Record<string, number> };
  t.equal(stats.by_outcome.refused, 0);
  t.ok(stats.by_outcome.success! > 10, `${stats.by_outcome.success} succeeded, ${stats.by_outcome.unknown} cut off mid-call, ${stats.by_outcome.failed} failed before Home Assistant was ready`);
  t.equal(stats.by_outcome.pending, 0, 'none is left pending');
  t.equal(stats.by_outcome.unknown, marked.length, 'the writes cut off are marked unknown');
  mark('new server');
  const undone = await stack.call('ha_undo', { all_callers: true });
  t.notOk(undone.result.isError, JSON.stringify(undone.json));
  const [action] = undone.json.actions as { id: string }[];
  t.equal((await stack.deps.audit.readAll()).find((r) => r.id === action?.id)?.outcome, 'success', 'the action undone is a done one');
});
