// Backups of previous versions live in the data folder: bounded by config_backups (oldest dropped
// first), still there after a restart, and whole after a kill -9 of the real server mid-edit,
// where the next server undoes the last edit from them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startSimulator, type Simulator } from '../../sim/server.js';
import { API_KEY, startStack } from '../helpers/stack.js';
import { freePort } from '../helpers/net.js';
import type { Obj } from '../tools-home/helpers.js';

const CONFIG = { alias: 'v0', triggers: [{ trigger: 'state', entity_id: 'binary_sensor.movement_backyard', to: 'on' }], actions: [{ action: 'light.turn_on', target: { entity_id: 'light.bed_light' } }] };

const backupFiles = (dataDir: string): string[] => {
  const dir = join(dataDir, 'config-backups');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};
const readBackup = (dataDir: string, name: string): Obj => JSON.parse(readFileSync(join(dataDir, 'config-backups', name), 'utf8')) as Obj;

async function haConfig(sim: Simulator, id: string): Promise<Obj> {
  const res = await fetch(`${sim.url}/api/config/automation/config/${id}`, { headers: { Authorization: `Bearer ${sim.token}` } });
  return (await res.json()) as Obj;
}

t.test('bounded by config_backups, and kept across a restart', async (t) => {
  const sim = await startSimulator({ port: 0, home: 'demo' });
  t.teardown(() => sim.close());
  const dataDir = join(mkdtempSync(join(tmpdir(), 'mcp-ha-backups-')), 'data');
  const options = { toolsets: ['read' as const, 'write' as const, 'config' as const], config_backups: 3 };
  const a = await startStack({ sim, env: { MCP_DATA_DIR: dataDir }, options });
  const created = await a.call('ha_config', { kind: 'automation', action: 'create', id: 'bk', config: CONFIG });
  let version = created.json.version as string;
  for (let i = 1; i <= 5; i++) {
    const { json } = await a.call('ha_config', { kind: 'automation', action: 'update', id: 'bk', version, config: { ...CONFIG, alias: `v${i}` } });
    version = json.version as string;
  }
  await a.close();
  const files = backupFiles(dataDir);
  t.equal(files.length, 3, 'three kept');
  t.same(files.map((f) => (readBackup(dataDir, f).config as Obj).alias), ['v2', 'v3', 'v4'], 'the oldest dropped first');

  const b = await startStack({ sim, env: { MCP_DATA_DIR: dataDir }, options });
  t.teardown(() => b.close());
  const undone = await b.call('ha_undo', {});
  t.match(undone.json, { restored: 1, actions: [{ change: { action: 'update', status: 'restored' } }] });
  t.match(await haConfig(sim, 'bk'), { alias: 'v4' }, 'the previous version, from the backup, after a restart');
});

t.test('kill -9 mid-edit: backups whole, the next server undoes from them', async (t) => {
  const sim = await startSimulator({ port: 0, home: 'demo' });
  t.teardown(() => sim.close());
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-backups-kill-'));
  const dataDir = join(dir, 'data');
  writeFileSync(join(dir, 'options.json'), JSON.stringify({ api_keys: [{ name: 'crash', key: API_KEY }], toolsets: ['read', 'write', 'config'], config_backups: 5 }));
  const port = await freePort();
  const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: sim.token, MCP_OPTIONS_FILE: join(dir, 'options.json'), MCP_DATA_DIR: dataDir, MCP_HOST: '127.0.0.1', MCP_PORT: String(port), LOG_LEVEL: 'error' },
    stdio: 'ignore',
  });
  t.teardown(() => void child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  let rpcId = 0;
  const tool = async (args: Obj): Promise<{ isError?: boolean; json?: Obj } | undefined> => {
    const res = await fetch(`${base}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method: 'tools/call', params: { name: 'ha_config', arguments: args } }),
    }).then((r) => r.json() as Promise<{ result?: { isError?: boolean; content: { text: string }[] } }>, () => undefined);
    if (!res?.result) return undefined;
    return { isError: res.result.isError === true, json: JSON.parse(res.result.content[0]!.text) as Obj };
  };
  // Generous: a cold tsx start on a busy 2-core machine can take seconds.
  for (let up = false; !up; ) {
    if (performance.now() - t0 > 60_000 || child.exitCode !== null) throw new Error('the server did not start');
    up = (await tool({ kind: 'automation', action: 'list' }))?.isError === false;
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  const created = await tool({ kind: 'automation', action: 'create', id: 'kill', config: CONFIG });
  t.equal(created?.isError, false, JSON.stringify(created?.json));
  let version = created!.json!.version as string;
  let done = 0;
  let stop = false;
  // One editor, edit after edit; the kill lands while one is in flight.
  const pump = (async () => {
    for (let i = 1; !stop; i++) {
      const r = await tool({ kind: 'automation', action: 'update', id: 'kill', version, config: { ...CONFIG, alias: `v${i}` } });
      if (r?.isError === false) {
        version = r.json!.version as string;
        done++;
      }
    }
  })();
  while (done < 8 && performance.now() - t0 < 90_000) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  stop = true;
  await pump;
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
  t.ok(done >= 8, `${done} edits before the kill`);

  const files = backupFiles(dataDir).filter((f) => f.endsWith('.json'));
  t.ok(files.length >= 1 && files.length <= 5, `${files.length} backups kept (at most 5)`);
  for (const f of files) t.match(readBackup(dataDir, f), { v: 1, kind: 'automation', id: 'kill', config: { alias: /^v\d+$/ } }, `${f} is whole`);

  const stack = await startStack({ sim, env: { MCP_DATA_DIR: dataDir }, options: { toolsets: ['read', 'write', 'config'], config_backups: 5 } });
  t.teardown(() => stack.close());
  const log = (await stack.call('ha_audit_log', { limit: 100 })).json;
  const updates = (log.records as Obj[] | undefined) ?? (log.entries as Obj[] | undefined) ?? [];
  t.ok(updates.length > 0, 'the audit log is readable');
  // The newest edit with a backup (a done one, or one the kill cut off): undo it by id.
  const newest = readBackup(dataDir, files.at(-1)!);
  const undone = await stack.call('ha_undo', { id: newest.audit_id as string });
  t.notOk(undone.result.isError, JSON.stringify(undone.json));
  const change = ((undone.json.actions as Obj[])[0]!.change ?? {}) as Obj;
  t.ok(change.status === 'restored' || change.status === 'unchanged', `undo: ${JSON.stringify(change)}`);
  t.same(await haConfig(sim, 'kill'), newest.config, 'Home Assistant has the version from the backup');
  t.notOk(backupFiles(dataDir).some((f) => f.startsWith('.tmp-')), 'no temporary file left after the next start');
});
