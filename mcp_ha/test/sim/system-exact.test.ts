// The system commands of ws-system.json / rest-system.json whose values do not depend on ids or
// times, compared with the recording value for value and key for key (the replay compares shapes);
// and a generated home's integrations agreeing with its registries.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { resolveHome } from '../../sim/homes/index.js';
import { startSimulator } from '../../sim/server.js';
import { connectAuthed, rest } from './client.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ha-capture');
type Dict = Record<string, unknown>;
const ws = JSON.parse(readFileSync(join(dir, 'ws-system.json'), 'utf8')) as { sessions: { name: string; frames: { dir: string; data?: Dict; raw?: string }[] }[] };

/** The recorded command and its answers (the result, then events of the same id) in a session. */
function recorded(session: string, id: number): { send: Dict; answers: Dict[]; raw: (string | undefined)[] } {
  const frames = ws.sessions.find((s) => s.name === session)!.frames;
  const send = frames.find((f) => f.dir === 'send' && f.data?.id === id)!.data!;
  const answers = frames.filter((f) => f.dir === 'recv' && f.data?.id === id);
  return { send, answers: answers.map((f) => f.data!), raw: answers.map((f) => f.raw) };
}

const LOGS = 'logs, repairs, integrations, manifests';
const stable = (v: unknown) => JSON.stringify(v);

t.test('demo home: recorded values, exactly', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const c = await connectAuthed(sim.wsUrl, sim.token);
  t.teardown(() => c.close());

  for (const id of [5, 6, 7, 8, 9, 10]) {
    const rec = recorded(LOGS, id);
    const ours = await c.command(rec.send);
    t.equal(stable(ours), stable(rec.answers[0]), `${String(rec.send.type)} ${stable(rec.send)}`);
  }
  // Everything loaded in the recording, except what the older demo capture had not loaded.
  const all = (await c.command({ id: 11, type: 'manifest/list' })).result as Dict[];
  const recAll = recorded(LOGS, 11).answers[0]!.result as Dict[];
  t.same(all, recAll.filter((m) => !['media_source', 'webhook'].includes(String(m.domain))), 'manifest/list: the loaded integrations, recorded order and values');
  t.equal(stable(all[0]), stable(recAll[0]), 'manifest/list: key order');

  // Config entries: the recorded ones, with the entry ids of the demo's registries and times of now.
  const entries = (await c.command({ id: 12, type: 'config_entries/get' })).result as Dict[];
  const recEntries = recorded(LOGS, 3).answers[0]!.result as Dict[];
  const strip = (e: Dict) => stable({ ...e, created_at: 0, entry_id: '', modified_at: 0 });
  t.same(entries.map(strip), recEntries.map(strip), 'config_entries/get: recorded entries apart from ids and times');
  const sunEntry = entries.find((e) => e.domain === 'sun')!;
  const sunEntity = sim.home.registryEntry('entity', 'sensor.sun_next_dawn');
  t.equal(sunEntry.entry_id, sunEntity?.config_entry_id, 'entry ids are the registries\' ones');
  t.ok(Number(sunEntry.created_at) < Date.now() / 1000 && Number(sunEntry.created_at) > Date.now() / 1000 - 7200, 'entries were created recently');
  const demoOnly = (await c.command({ id: 13, type: 'config_entries/get', domain: 'demo' })).result as Dict[];
  t.same(demoOnly.map((e) => e.domain), ['demo']);
  const services = (await c.command({ id: 14, type: 'config_entries/get', type_filter: 'service' })).result as Dict[];
  t.same(services.map((e) => e.domain), ['sun', 'backup'], 'type_filter: the manifests\' integration_type (a single string is a list)');
  const hubs = (await c.command({ id: 15, type: 'config_entries/get', type_filter: ['hub'] })).result as Dict[];
  t.same(hubs.map((e) => e.domain), ['demo', 'shopping_list'], 'integration_type defaults to hub');

  // system_health: the recorded sections, with this home's values where they are the home's.
  const health = recorded('system_health/info', 1);
  const result = await c.command({ id: 16, type: 'system_health/info' });
  t.equal(stable(result), stable({ ...health.answers[0], id: 16 }));
  const initial = await c.waitFor((f) => f.id === 16 && f.type === 'event' && (f.event as Dict).type === 'initial');
  const finish = await c.waitFor((f) => f.id === 16 && f.type === 'event' && (f.event as Dict).type === 'finish');
  const recData = structuredClone((health.answers[1]!.event as Dict).data) as Record<string, { info: Dict }>;
  const data = (initial.event as Dict).data as Record<string, { info: Dict }>;
  for (const k of ['oldest_recorder_run', 'current_recorder_run']) {
    t.match((data.recorder!.info[k] as Dict).value, k.startsWith('oldest') ? /^\d{4}-\d\d-\d\dT[\d:.]+$/ : /\+00:00$/, `${k}: as HA writes it`);
    recData.recorder!.info[k] = data.recorder!.info[k];
  }
  t.equal(stable(data), stable(recData), 'system_health: the recorded sections (the demo has the recorded time zone and dashboards)');
  t.equal(stable(finish), stable({ ...health.answers[2], id: 16 }));

  const b = await connectAuthed(sim.wsUrl, sim.token);
  t.teardown(() => b.close());
  for (let id = 2; id <= 8; id++) {
    const rec = recorded('backup, and hassio being absent', id);
    const ours = await b.command(rec.send);
    t.equal(JSON.stringify(ours), rec.raw[0] ?? stable(rec.answers[0]), `${String(rec.send.type)}: the recorded bytes`);
  }

  // Non-admin: backup is admin-only, manifests and config entries are not.
  sim.addToken('non-admin-system-token', { id: 'u1', name: 'MCP User', is_admin: false });
  const u = await connectAuthed(sim.wsUrl, 'non-admin-system-token');
  t.teardown(() => u.close());
  for (const id of [1, 2, 5]) {
    const rec = recorded('non-admin', id);
    t.equal(stable(await u.command(rec.send)), stable(rec.answers[0]), `non-admin ${String(rec.send.type)}`);
  }
  t.equal((await u.command({ id: 6, type: 'backup/details', backup_id: 'x' })).success, false);
});

t.test('REST: the shopping list and the absent routes, byte for byte', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const { exchanges } = JSON.parse(readFileSync(join(dir, 'rest-system.json'), 'utf8')) as { exchanges: { request: { method: string; path: string }; response: { status: number; body_raw?: string; body: unknown } }[] };
  for (const ex of exchanges) {
    if (ex.request.path.includes('check_config')) continue;
    const res = await rest(sim.url, sim.token, ex.request.method, ex.request.path);
    t.equal(res.status, ex.response.status, ex.request.path);
    t.equal(res.text, ex.response.body_raw ?? String(ex.response.body), `${ex.request.path}: body`);
  }
  t.equal((await rest(sim.url, sim.token, 'POST', '/api/shopping_list')).status, 405);
});

t.test('generated home: manifests for its integrations, an entry per registry entry id', async (t) => {
  const home = await resolveHome(300);
  const sim = await startSimulator({ port: 0, home });
  t.teardown(() => sim.close());
  const c = await connectAuthed(sim.wsUrl, sim.token);
  t.teardown(() => c.close());
  const components = (home.config.components as string[]).filter((x) => !x.includes('.'));
  const manifests = (await c.command({ id: 1, type: 'manifest/list' })).result as Dict[];
  t.same(new Set(manifests.map((m) => m.domain)), new Set(components), 'one manifest per loaded integration');
  for (const m of manifests) t.same(Object.keys(m).slice(0, 2), ['domain', 'name'], `${String(m.domain)}: manifest form`);
  const entries = (await c.command({ id: 2, type: 'config_entries/get' })).result as Dict[];
  const used = new Set<string>();
  for (const d of home.devices) if (typeof d.primary_config_entry === 'string') used.add(d.primary_config_entry);
  for (const e of home.entities) if (typeof e.config_entry_id === 'string') used.add(e.config_entry_id);
  t.same(new Set(entries.map((e) => e.entry_id)), used, 'the registries\' config entry ids');
  t.ok(entries.length > 3);
  const form = Object.keys((recorded(LOGS, 3).answers[0]!.result as Dict[])[0]!);
  for (const e of entries) t.same(Object.keys(e), form, `${String(e.domain)}: entry form`);
  const m = await c.command({ id: 3, type: 'manifest/get', integration: String(entries.at(-1)!.domain) });
  t.equal(m.success, true, 'manifest/get of an entry\'s integration');
});
