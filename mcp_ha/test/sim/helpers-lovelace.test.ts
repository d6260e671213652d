// Helper storage collections and Lovelace in the simulator, with exact values (the replay of
// ws-helpers.json / ws-lovelace.json compares shapes and error texts): stored items in Home
// Assistant's key order, the entity and registry entry behind each helper, the events.
import t from 'tap';
import { startSimulator, type Simulator } from '../../sim/server.js';
import { connectAuthed, type RawClient } from './client.js';

let nextId = 1;
const cmd = (ws: RawClient, type: string, extra: Record<string, unknown> = {}) => ws.command({ id: nextId++, type, ...extra });

async function setup(t: { teardown(fn: () => Promise<void>): void }): Promise<{ sim: Simulator; ws: RawClient }> {
  const sim = await startSimulator({ port: 0 });
  const ws = await connectAuthed(sim.wsUrl, sim.token);
  t.teardown(async () => {
    await ws.close();
    await sim.close();
  });
  return { sim, ws };
}

t.test('each helper type: create fills defaults in order, makes an entity and a registry entry; delete removes both', async (t) => {
  const { sim, ws } = await setup(t);
  const reg = await cmd(ws, 'subscribe_events', { event_type: 'entity_registry_updated' });
  t.equal(reg.success, true);
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ['input_boolean', { name: 'Guest mode', initial: 'on' }, { id: 'guest_mode', name: 'Guest mode', initial: true }, 'on'],
    ['input_number', { name: 'Target', min: 0, max: 30 }, { id: 'target', name: 'Target', min: 0, max: 30, step: 1, mode: 'slider' }, '0.0'],
    ['input_select', { name: 'Mode', options: ['a', 'b'] }, { id: 'mode', name: 'Mode', options: ['a', 'b'] }, 'a'],
    ['input_text', { name: 'Note', initial: 'hi' }, { id: 'note', name: 'Note', initial: 'hi', min: 0, max: 100, mode: 'text' }, 'hi'],
    ['input_datetime', { name: 'Alarm', has_time: true, initial: '07:30' }, { id: 'alarm', name: 'Alarm', has_time: true, initial: '07:30', has_date: false }, '07:30:00'],
    ['input_button', { name: 'Ring', icon: 'mdi:bell' }, { id: 'ring', name: 'Ring', icon: 'mdi:bell' }, 'unknown'],
    ['counter', { name: 'Visits', step: 2 }, { id: 'visits', name: 'Visits', step: 2, minimum: null, initial: 0, restore: true, maximum: null }, '0'],
    ['timer', { name: 'Tea', duration: 150 }, { id: 'tea', name: 'Tea', duration: '0:02:30', restore: false }, 'idle'],
  ];
  for (const [domain, input, stored, state] of cases) {
    const r = await cmd(ws, `${domain}/create`, input);
    t.same(r.result, stored, `${domain}: stored item`);
    t.same(Object.keys(r.result as object), Object.keys(stored), `${domain}: key order`);
    const entityId = `${domain}.${stored.id as string}`;
    t.equal(sim.home.getState(entityId)?.state, state, `${domain}: state`);
    t.equal(sim.home.getState(entityId)?.attributes.editable, true);
    t.equal(sim.home.getState(entityId)?.attributes.friendly_name, input.name);
    const entry = sim.home.registryEntry('entity', entityId)!;
    t.match(entry, { platform: domain, unique_id: stored.id, original_name: input.name, area_id: null }, `${domain}: registry entry`);
    const list = await cmd(ws, `${domain}/list`);
    t.same(list.result, [stored]);
  }
  const events = ws.frames.filter((f) => (f as { event?: { event_type?: string } }).event?.event_type === 'entity_registry_updated');
  t.equal(events.length, cases.length, 'one registry create event per helper');
  t.same((events[0] as { event: { data: unknown } }).event.data, { action: 'create', entity_id: 'input_boolean.guest_mode' });

  const del = await cmd(ws, 'counter/delete', { counter_id: 'visits' });
  t.equal(del.success, true);
  t.notOk(sim.home.getState('counter.visits'), 'state removed');
  t.notOk(sim.home.registryEntry('entity', 'counter.visits'), 'registry entry removed');
});

t.test('update replaces the item and the entity follows; ids clash with YAML helpers too', async (t) => {
  const { sim, ws } = await setup(t);
  const sub = await cmd(ws, 'input_select/subscribe');
  t.equal(sub.success, true);
  await cmd(ws, 'input_select/create', { name: 'Scene', options: ['day', 'night'], initial: 'night' });
  const u = await cmd(ws, 'input_select/update', { input_select_id: 'scene', name: 'Scene picker', options: ['night', 'party'] });
  t.same(u.result, { id: 'scene', name: 'Scene picker', options: ['night', 'party'] });
  t.same(sim.home.getState('input_select.scene')!.attributes, { options: ['night', 'party'], editable: true, friendly_name: 'Scene picker' });
  t.equal(sim.home.getState('input_select.scene')!.state, 'night', 'a still valid value is kept');
  const changes = ws.frames.filter((f) => (f as { id?: number; type?: string }).id === sub.id && (f as { type?: string }).type === 'event');
  t.same(
    changes.map((c) => (c as { event: { change_type: string }[] }).event.map((e) => e.change_type)),
    [[], ['added'], ['updated']],
    'subscribe: initial list, then each change',
  );
  // input_boolean.mcp_test_toggle is a YAML helper of the recorded home.
  const yaml = await cmd(ws, 'input_boolean/create', { name: 'MCP test toggle' });
  t.equal((yaml.result as { id: string }).id, 'mcp_test_toggle_2');
  const nf = await cmd(ws, 'input_boolean/update', { input_boolean_id: 'mcp_test_toggle', name: 'x' });
  t.same(nf.error, { code: 'not_found', message: 'Unable to find input_boolean_id mcp_test_toggle' });
  const errors = await cmd(ws, 'input_number/create', { name: 'N', min: 0, max: 5, initial: 9, step: 0.5 });
  t.equal(errors.error && (errors.error as { message: string }).message, "Initial value 9.0 not in range 0.0-5.0. Got {'name': 'N', 'min': 0.0, 'max': 5.0, 'initial': 9.0, 'step': 0.5, 'mode': 'slider'}");
  const dt = await cmd(ws, 'input_datetime/create', { name: 'Nothing' });
  t.match(dt.error, { code: 'invalid_format', message: /^Entity needs at least a date or a time\. Got \{'name': 'Nothing'/ });
});

t.test('helpers: create/update/delete are admin-only', async (t) => {
  const { sim } = await setup(t);
  sim.addToken('user-token-helpers', { id: 'u1', name: 'User', is_admin: false });
  const user = await connectAuthed(sim.wsUrl, 'user-token-helpers');
  t.teardown(() => user.close());
  t.same((await cmd(user, 'timer/create', { name: 'x' })).error, { code: 'unauthorized', message: 'Unauthorized' });
  t.same((await cmd(user, 'timer/list')).result, []);
});

t.test('lovelace: a dashboard config round-trip, lovelace_updated before each result, delete drops the config', async (t) => {
  const { ws } = await setup(t);
  await cmd(ws, 'subscribe_events', { event_type: 'lovelace_updated' });
  const created = await cmd(ws, 'lovelace/dashboards/create', { url_path: 'energy-view', title: 'Energy' });
  t.same(created.result, { id: 'energy_view', url_path: 'energy-view', title: 'Energy', show_in_sidebar: true, mode: 'storage', require_admin: false });
  const config = { views: [{ title: 'A', path: 'a', cards: [] }, { title: 'B', path: 'b', cards: [{ type: 'entity', entity: 'sensor.x' }] }] };
  const before = ws.frames.length;
  const saved = await cmd(ws, 'lovelace/config/save', { url_path: 'energy-view', config });
  t.equal(saved.success, true);
  const after = ws.frames.slice(before) as { type: string; event?: { data: unknown } }[];
  t.same(after.map((f) => f.type), ['event', 'result'], 'the event comes first');
  t.same(after[0]!.event!.data, { url_path: 'energy-view' });
  t.same((await cmd(ws, 'lovelace/config', { url_path: 'energy-view' })).result, config);
  const upd = await cmd(ws, 'lovelace/dashboards/update', { dashboard_id: 'energy_view', title: 'Energy (kWh)', icon: 'mdi:flash' });
  t.same(upd.result, { id: 'energy_view', url_path: 'energy-view', title: 'Energy (kWh)', show_in_sidebar: true, mode: 'storage', require_admin: false, icon: 'mdi:flash' });
  const list = await cmd(ws, 'lovelace/dashboards/list');
  t.same((list.result as { url_path: string }[]).map((d) => d.url_path), ['map', 'energy-view']);
  t.equal((await cmd(ws, 'lovelace/dashboards/delete', { dashboard_id: 'energy_view' })).success, true);
  t.same((await cmd(ws, 'lovelace/config', { url_path: 'energy-view' })).error, { code: 'config_not_found', message: 'Unknown config specified: energy-view' });
  // Recreated under the same url, it starts without a config.
  await cmd(ws, 'lovelace/dashboards/create', { url_path: 'energy-view', title: 'Energy' });
  t.same((await cmd(ws, 'lovelace/config', { url_path: 'energy-view' })).error, { code: 'config_not_found', message: 'No config found.' });
});
