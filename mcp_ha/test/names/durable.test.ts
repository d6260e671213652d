// The household's names survive a restart and a kill -9 of the real server (src/main.ts in a
// child process) while names are being told, and the store stays within its bound, the weakest
// and oldest names forgotten first. Everything read back through MCP.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { MAX_NAMES } from '../../src/home/names/store.js';
import { freePort } from '../helpers/net.js';
import { API_KEY, startStack } from '../helpers/stack.js';

type Row = { name: string; entity_id: string; count: number; source: string };

t.test('a restart keeps learned and told names', async (t) => {
  const sim = await startSimulator({ port: 0, home: 'demo' });
  t.teardown(() => sim.close());
  const dataDir = join(mkdtempSync(join(tmpdir(), 'mcp-ha-names-')), 'data');
  const first = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
  await first.call('ha_search_entities', { query: 'big lamp' });
  await first.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.living_room_rgbww_lights' });
  await first.call('ha_names', { action: 'remember', name: 'the heater', entity_id: 'climate.ecobee' });
  await first.call('ha_names', { action: 'forget', name: 'heater' });
  await first.call('ha_names', { action: 'remember', name: 'telly', entity_id: 'media_player.living_room' });
  const before = (await first.call('ha_names', { action: 'list' })).json.names as Row[];
  await first.close();

  const second = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
  t.teardown(() => second.close());
  const after = (await second.call('ha_names', { action: 'list' })).json.names as Row[];
  t.same(after, before, 'the same names, counts and times');
  t.same(after.map((r) => r.name).sort(), ['big lamp', 'telly']);
  const { json } = await second.call('ha_search_entities', { query: 'big lamp' });
  t.match((json.results as unknown[])[0], { entity_id: 'light.living_room_rgbww_lights', learned: 0.5 });
});

t.test('kill -9 while names are told: every acknowledged one is there after the restart', async (t) => {
  const sim = await startSimulator({ port: 0, home: 'demo' });
  t.teardown(() => sim.close());
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-names-crash-'));
  const dataDir = join(dir, 'data');
  writeFileSync(join(dir, 'options.json'), JSON.stringify({ api_keys: [{ name: 'crash', key: API_KEY }] }));
  const port = await freePort();
  const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: sim.token, MCP_OPTIONS_FILE: join(dir, 'options.json'), MCP_DATA_DIR: dataDir, MCP_HOST: '127.0.0.1', MCP_PORT: String(port), LOG_LEVEL: 'error' },
    stdio: 'ignore',
  });
  t.teardown(() => void child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  for (let up = false; !up; ) {
    if (performance.now() - t0 > 60_000 || child.exitCode !== null) throw new Error('the server did not start');
    up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  const tell = (n: number) =>
    fetch(`${base}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: 'ha_names', arguments: { action: 'remember', name: `lamp ${n}`, entity_id: 'light.bed_light' } } }),
    }).then((r) => r.json() as Promise<{ result?: { isError?: boolean } }>, () => undefined);
  // Wait for the Home Assistant cache, then keep 4 in flight and kill mid-stream.
  for (let ready = false; !ready; ) {
    if (performance.now() - t0 > 60_000) throw new Error('Home Assistant cache never became ready');
    const res = await tell(0);
    ready = res?.result !== undefined && res.result.isError !== true;
    if (!ready) await new Promise((r) => setTimeout(r, 50));
  }
  const acknowledged = new Set<number>([0]);
  let n = 1;
  let stop = false;
  const pumps = [0, 1, 2, 3].map(async () => {
    while (!stop) {
      const i = n++;
      const res = await tell(i);
      if (res?.result && !res.result.isError) acknowledged.add(i);
    }
  });
  while (acknowledged.size < 40 && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  stop = true;
  await Promise.all(pumps);
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));

  const lines = readFileSync(join(dataDir, 'names', 'names.jsonl'), 'utf8').split('\n').filter(Boolean);
  t.equal(lines.filter((l) => { try { JSON.parse(l); return false; } catch { return true; } }).length, 0, `all ${lines.length} journal lines parse`);
  const stack = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
  t.teardown(() => stack.close());
  const names = new Set<string>();
  for (let offset = 0; ; offset += 50) {
    const { json } = await stack.call('ha_names', { action: 'list', offset });
    for (const r of json.names as Row[]) names.add(r.name);
    if (!json.has_more) break;
  }
  const lost = [...acknowledged].filter((i) => !names.has(`lamp ${i}`));
  t.same(lost, [], `${acknowledged.size} acknowledged before the kill, ${names.size} kept, none lost`);
  t.ok(names.size <= n, 'nothing invented');
});

t.test('the store stays within its bound: the weakest and oldest go first', async (t) => {
  const sim = await startSimulator({ port: 0, home: 'demo' });
  t.teardown(() => sim.close());
  const dataDir = join(mkdtempSync(join(tmpdir(), 'mcp-ha-names-bound-')), 'data');
  // A full store: MAX_NAMES names used once, the first ones long ago, one strong old one.
  const now = Date.now();
  const rows: unknown[] = [];
  for (let i = 0; i < MAX_NAMES; i++) rows.push([`name ${i}`, `name ${i}`, 'light.bed_light', i === 0 ? 50 : 1, now - (MAX_NAMES - i) * 3_600_000, 'search']);
  mkdirSync(join(dataDir, 'names'), { recursive: true });
  writeFileSync(join(dataDir, 'names', 'names.json'), JSON.stringify({ v: 1, seq: 0, names: rows }));

  const stack = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
  const total = async (s = stack) => (await s.call('ha_names', { action: 'list', entity_id: 'light.bed_light' })).json.total as number;
  t.equal(await total(), MAX_NAMES, 'loaded full');
  const { json } = await stack.call('ha_names', { action: 'remember', name: 'the new lamp', entity_id: 'light.bed_light' });
  t.equal(json.total, 1);
  const after = await total();
  t.ok(after <= MAX_NAMES && after >= MAX_NAMES * 0.9, `within the bound: ${after}`);
  const listName = async (name: string, s = stack) => (await s.call('ha_names', { action: 'list', name })).json.total as number;
  t.equal(await listName('new lamp'), 1, 'the new name is kept');
  t.equal(await listName('name 1'), 0, 'an old weak name went');
  t.equal(await listName('name 0'), 1, 'an old strong name stays');
  t.equal(await listName(`name ${MAX_NAMES - 1}`), 1, 'a recent one stays');
  await stack.close();

  const again = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
  t.teardown(() => again.close());
  t.equal(await total(again), after, 'the same after a restart');
  t.equal(await listName('name 1', again), 0);
});
