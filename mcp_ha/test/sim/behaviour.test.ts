// Service calls change states the way Home Assistant's demo entities do, and fail the way HA fails.
import t from 'tap';
import { startSimulator, type Simulator } from '../../sim/server.js';
import { connectAuthed, rest, type RawClient } from './client.js';

let nextId = 1;
async function call(ws: RawClient, domain: string, service: string, target: Record<string, unknown>, data?: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return ws.command({ id: nextId++, type: 'call_service', domain, service, target, ...(data ? { service_data: data } : {}), ...extra });
}

async function setup(t: { teardown(fn: () => Promise<void>): void }): Promise<{ sim: Simulator; ws: RawClient }> {
  const sim = await startSimulator({ port: 0 });
  const ws = await connectAuthed(sim.wsUrl, sim.token);
  t.teardown(async () => {
    await ws.close();
    await sim.close();
  });
  return { sim, ws };
}

const attrs = (sim: Simulator, id: string): Record<string, unknown> => sim.home.getState(id)!.attributes;

t.test('lights: brightness, colour, colour temperature, off and back on', async (t) => {
  const { sim, ws } = await setup(t);
  await call(ws, 'light', 'turn_on', { entity_id: 'light.bed_light' }, { rgb_color: [0, 0, 255] });
  t.match(attrs(sim, 'light.bed_light'), { color_mode: 'hs', rgb_color: [0, 0, 255], hs_color: [240, 100] });
  await call(ws, 'light', 'turn_on', { entity_id: 'light.bed_light' }, { color_temp_kelvin: 3000, brightness: 10 });
  t.match(attrs(sim, 'light.bed_light'), { color_mode: 'color_temp', color_temp_kelvin: 3000, color_temp: 333, brightness: 10 });
  await call(ws, 'light', 'turn_off', { entity_id: 'light.bed_light' });
  t.equal(sim.home.getState('light.bed_light')!.state, 'off');
  t.match(attrs(sim, 'light.bed_light'), { brightness: null, color_mode: null, color_temp_kelvin: null });
  await call(ws, 'light', 'toggle', { entity_id: 'light.bed_light' });
  t.match(attrs(sim, 'light.bed_light'), { brightness: 10, color_temp_kelvin: 3000 }, 'restores what it had');
  await call(ws, 'light', 'turn_on', { entity_id: 'light.bed_light' }, { brightness: 0 });
  t.equal(sim.home.getState('light.bed_light')!.state, 'off', 'brightness 0 turns it off');
  const bad = await call(ws, 'light', 'turn_on', { entity_id: 'light.bed_light' }, { brightness: 300 });
  t.same(bad.error, { code: 'invalid_format', message: "value must be at most 255 for dictionary value @ data['brightness']" });
  const extra = await call(ws, 'light', 'turn_on', { entity_id: 'light.bed_light' }, { sparkle: true });
  t.same(extra.error, { code: 'invalid_format', message: "extra keys not allowed @ data['sparkle']" });
  const area = await rest(sim.url, sim.token, 'POST', '/api/services/light/turn_off', { entity_id: 'all' });
  t.ok((area.json as unknown[]).length >= 3, 'entity_id all reaches every light');
});

t.test('covers move to a position over time', async (t) => {
  const { sim, ws } = await setup(t);
  sim.home.setState('cover.hall_window', 'open', { ...attrs(sim, 'cover.hall_window'), current_position: 10 });
  await call(ws, 'cover', 'set_cover_position', { entity_id: 'cover.hall_window' }, { position: 60 });
  t.equal(sim.home.getState('cover.hall_window')!.state, 'opening');
  await ws.command({ id: nextId++, type: 'subscribe_trigger', trigger: { trigger: 'state', entity_id: 'cover.hall_window', to: 'open' } });
  const done = await ws.waitFor((f) => f.type === 'event' && 'variables' in (f.event as object), 3000);
  t.match(done, { event: { variables: { trigger: { to_state: { state: 'open', attributes: { current_position: 60 } } } } } });
  await call(ws, 'cover', 'close_cover', { entity_id: 'cover.garage_door' });
  t.equal(sim.home.getState('cover.garage_door')!.state, 'closed', 'no position: at once');
  const missing = await call(ws, 'cover', 'set_cover_position', { entity_id: 'cover.hall_window' });
  t.same(missing.error, { code: 'invalid_format', message: "required key not provided @ data['position']" });
});

t.test('climate targets, modes and HA validation errors', async (t) => {
  const { sim, ws } = await setup(t);
  await call(ws, 'climate', 'set_temperature', { entity_id: 'climate.hvac' }, { temperature: 20.5, hvac_mode: 'heat' });
  t.equal(sim.home.getState('climate.hvac')!.state, 'heat');
  t.equal(attrs(sim, 'climate.hvac').temperature, 20.5);
  await call(ws, 'climate', 'set_fan_mode', { entity_id: 'climate.hvac' }, { fan_mode: 'auto_low' });
  t.equal(attrs(sim, 'climate.hvac').fan_mode, 'auto_low');
  const badFan = await call(ws, 'climate', 'set_fan_mode', { entity_id: 'climate.hvac' }, { fan_mode: 'turbo' });
  t.match(badFan.error, { code: 'service_validation_error', translation_key: 'not_valid_fan_mode' });
  const cold = await call(ws, 'climate', 'set_temperature', { entity_id: 'climate.heatpump' }, { temperature: 2 });
  t.match(cold.error, { code: 'service_validation_error', translation_key: 'temp_out_of_range', translation_placeholders: { check_temp: '2.0' } });
  const rest500 = await rest(sim.url, sim.token, 'POST', '/api/services/climate/set_hvac_mode', { entity_id: 'climate.heatpump', hvac_mode: 'cool' });
  t.equal(rest500.status, 500);
  t.equal(rest500.headers.get('server'), 'Python/3.13 aiohttp/3.11.16');
  await call(ws, 'climate', 'turn_off', { entity_id: 'climate.ecobee' });
  t.equal(sim.home.getState('climate.ecobee')!.state, 'off');
});

t.test('fans, media players, locks, switches', async (t) => {
  const { sim, ws } = await setup(t);
  await call(ws, 'fan', 'set_percentage', { entity_id: 'fan.living_room_fan' }, { percentage: 66 });
  t.match(sim.home.getState('fan.living_room_fan'), { state: 'on', attributes: { percentage: 66 } });
  await call(ws, 'fan', 'turn_off', { entity_id: 'fan.living_room_fan' });
  t.match(sim.home.getState('fan.living_room_fan'), { state: 'off', attributes: { percentage: 0 } });
  await call(ws, 'fan', 'oscillate', { entity_id: 'fan.living_room_fan' }, { oscillating: true });
  t.equal(attrs(sim, 'fan.living_room_fan').oscillating, true);
  await call(ws, 'media_player', 'media_pause', { entity_id: 'media_player.bedroom' });
  t.equal(sim.home.getState('media_player.bedroom')!.state, 'paused');
  await call(ws, 'media_player', 'volume_set', { entity_id: 'media_player.bedroom' }, { volume_level: 0.25 });
  t.equal(attrs(sim, 'media_player.bedroom').volume_level, 0.25);
  const loud = await call(ws, 'media_player', 'volume_set', { entity_id: 'media_player.bedroom' }, { volume_level: 2 });
  t.equal((loud.error as { code: string }).code, 'invalid_format');
  await call(ws, 'lock', 'lock', { entity_id: 'lock.kitchen_door' });
  t.equal(sim.home.getState('lock.kitchen_door')!.state, 'locked');
  await call(ws, 'switch', 'toggle', { entity_id: 'switch.decorative_lights' });
  t.equal(sim.home.getState('switch.decorative_lights')!.state, 'on');
  await call(ws, 'homeassistant', 'turn_off', { entity_id: ['switch.decorative_lights', 'light.kitchen_lights'] });
  t.equal(sim.home.getState('switch.decorative_lights')!.state, 'off');
  t.equal(sim.home.getState('light.kitchen_lights')!.state, 'off');
  const none = await call(ws, 'light', 'turn_on', { entity_id: 'light.nope' });
  t.equal(none.success, true, 'a missing entity is not an error');
});

t.test('helpers: input_number, input_select, input_text, input_boolean', async (t) => {
  const { sim, ws } = await setup(t);
  await call(ws, 'input_number', 'set_value', { entity_id: 'input_number.mcp_test_number' }, { value: 42 });
  t.equal(sim.home.getState('input_number.mcp_test_number')!.state, '42.0');
  await call(ws, 'input_number', 'increment', { entity_id: 'input_number.mcp_test_number' });
  t.equal(sim.home.getState('input_number.mcp_test_number')!.state, '43.0');
  const over = await call(ws, 'input_number', 'set_value', { entity_id: 'input_number.mcp_test_number' }, { value: 1000 });
  t.same(over.error, { code: 'invalid_format', message: 'Invalid value for input_number.mcp_test_number: 1000.0 (range 0.0 - 100.0)' });
  sim.home.setState('input_select.mode', 'home', { options: ['home', 'away', 'night'], friendly_name: 'Mode' });
  await call(ws, 'input_select', 'select_option', { entity_id: 'input_select.mode' }, { option: 'night' });
  t.equal(sim.home.getState('input_select.mode')!.state, 'night');
  await call(ws, 'input_select', 'select_next', { entity_id: 'input_select.mode' });
  t.equal(sim.home.getState('input_select.mode')!.state, 'home', 'cycles');
  const badOption = await call(ws, 'input_select', 'select_option', { entity_id: 'input_select.mode' }, { option: 'moon' });
  t.equal((badOption.error as { code: string }).code, 'service_validation_error');
  sim.home.setState('input_text.note', '', { min: 0, max: 5, pattern: null, mode: 'text' });
  await call(ws, 'input_text', 'set_value', { entity_id: 'input_text.note' }, { value: 'hi' });
  t.equal(sim.home.getState('input_text.note')!.state, 'hi');
  const long = await call(ws, 'input_text', 'set_value', { entity_id: 'input_text.note' }, { value: 'too long' });
  t.equal((long.error as { code: string }).code, 'invalid_format');
});

t.test('scenes, scripts and automations', async (t) => {
  const { sim, ws } = await setup(t);
  sim.home.setState('scene.movie', 'unknown', { friendly_name: 'Movie' });
  await call(ws, 'scene', 'turn_on', { entity_id: 'scene.movie' });
  t.match(sim.home.getState('scene.movie')!.state, /^\d{4}-\d\d-\d\dT/);

  // The recorded script turns the ceiling lights off.
  await call(ws, 'light', 'turn_on', { entity_id: 'light.ceiling_lights' });
  await call(ws, 'script', 'turn_on', { entity_id: 'script.mcp_test_script' });
  t.equal(sim.home.getState('light.ceiling_lights')!.state, 'off');
  t.equal(sim.home.getState('script.mcp_test_script')!.state, 'off');
  const direct = await ws.command({ id: nextId++, type: 'call_service', domain: 'script', service: 'mcp_test_script' });
  t.equal(direct.success, true);

  // The recorded automation toggles the bed light when the test toggle changes.
  const before = sim.home.getState('light.bed_light')!.state;
  await ws.command({ id: nextId++, type: 'subscribe_trigger', trigger: { trigger: 'state', entity_id: 'light.bed_light' } });
  await call(ws, 'input_boolean', 'toggle', { entity_id: 'input_boolean.mcp_test_toggle' });
  const fired = await ws.waitFor((f) => f.type === 'event' && 'variables' in (f.event as object));
  t.not((fired.event as { variables: { trigger: { to_state: { state: string } } } }).variables.trigger.to_state.state, before);
  t.ok(sim.home.getState('light.bed_light')!.context.parent_id, 'runs in a child context');
  await call(ws, 'automation', 'turn_off', { entity_id: 'automation.mcp_test_automation' });
  const after = sim.home.getState('light.bed_light')!.state;
  await call(ws, 'input_boolean', 'toggle', { entity_id: 'input_boolean.mcp_test_toggle' });
  await new Promise((r) => setTimeout(r, 50));
  t.equal(sim.home.getState('light.bed_light')!.state, after, 'a disabled automation does not run');

  const script = await ws.command({
    id: nextId++,
    type: 'execute_script',
    sequence: [{ action: 'weather.get_forecasts', target: { entity_id: 'weather.demo_weather_south' }, data: { type: 'daily' }, response_variable: 'fc' }, { stop: 'done', response_variable: 'fc' }],
  });
  t.ok((script.result as { response: Record<string, { forecast: unknown[] }> }).response['weather.demo_weather_south']!.forecast.length > 0);
});

t.test('registries fire their update events; sim.home controls do too', async (t) => {
  const { sim, ws } = await setup(t);
  await ws.command({ id: nextId++, type: 'subscribe_events' });
  const created = await ws.command({ id: nextId++, type: 'config/area_registry/create', name: 'Attic' });
  t.match(created.result, { area_id: 'attic', name: 'Attic' });
  await ws.waitFor((f) => (f.event as { event_type?: string } | undefined)?.event_type === 'area_registry_updated');
  sim.home.updateArea('attic', { name: 'Loft' });
  const upd = await ws.waitFor((f) => JSON.stringify(f).includes('"action":"update","area_id":"attic"'));
  t.ok(upd);
  sim.home.updateEntityRegistry('light.bed_light', { name: 'Bedside' });
  const ent = await ws.waitFor((f) => (f.event as { event_type?: string } | undefined)?.event_type === 'entity_registry_updated');
  t.match(ent.event, { data: { action: 'update', entity_id: 'light.bed_light', changes: { name: null } } });
  t.equal(attrs(sim, 'light.bed_light').friendly_name, 'Bedside');
  const renamed = await ws.command({ id: nextId++, type: 'config/entity_registry/update', entity_id: 'switch.ac', new_entity_id: 'switch.aircon' });
  t.match(renamed.result, { entity_entry: { entity_id: 'switch.aircon' } });
  t.ok(sim.home.getState('switch.aircon'));
  t.notOk(sim.home.getState('switch.ac'));
  sim.home.renameEntity('switch.aircon', 'switch.cooler');
  t.ok(sim.home.getState('switch.cooler'));
  const label = await ws.command({ id: nextId++, type: 'config/label_registry/create', name: 'Important', color: 'red' });
  t.match(label.result, { label_id: 'important' });
  const dup = await ws.command({ id: nextId++, type: 'config/label_registry/create', name: 'important' });
  t.equal((dup.error as { code: string }).code, 'invalid_info');
  sim.home.removeState('sensor.outside_temperature');
  t.equal((await rest(sim.url, sim.token, 'GET', '/api/states/sensor.outside_temperature')).status, 404);
});

t.test('coalescing and batching', async (t) => {
  const { ws } = await setup(t);
  await ws.command({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } });
  const before = ws.frames.length;
  ws.send([{ id: 2, type: 'ping' }, { id: 3, type: 'ping' }]);
  await ws.waitFor((f) => f.id === 3);
  t.equal(ws.frames.length, before + 1, 'one frame');
  t.same(ws.frames.at(-1), [{ id: 2, type: 'pong' }, { id: 3, type: 'pong' }]);
});

t.test('generated-style homes get statistics for sensors with a state_class', async (t) => {
  const now = new Date().toISOString().replace('Z', '000+00:00');
  const sensor = (id: string, state: string, attributes: Record<string, unknown>) => ({
    entity_id: id, state, attributes, last_changed: now, last_reported: now, last_updated: now,
    context: { id: '01JZ0000000000000000000000', parent_id: null, user_id: null },
  });
  const sim = await startSimulator({
    port: 0,
    home: {
      config: {}, services: {}, areas: [], floors: [], labels: [], devices: [], entities: [], energyPrefs: {}, automationConfigs: {}, scriptConfigs: {},
      states: [
        sensor('sensor.temp', '21.5', { state_class: 'measurement', unit_of_measurement: '°C', device_class: 'temperature' }),
        sensor('sensor.meter', '1234', { state_class: 'total_increasing', unit_of_measurement: 'kWh', device_class: 'energy' }),
        sensor('sensor.text', 'hello', {}),
      ],
    },
  });
  sim.addToken('viewer', { id: 'v', name: 'Viewer', is_admin: false });
  const ws = await connectAuthed(sim.wsUrl, sim.token);
  const viewer = await connectAuthed(sim.wsUrl, 'viewer');
  t.teardown(async () => {
    await ws.close();
    await viewer.close();
    await sim.close();
  });
  const ids = await ws.command({ id: 1, type: 'recorder/list_statistic_ids' });
  t.same((ids.result as { statistic_id: string }[]).map((s) => s.statistic_id), ['sensor.temp', 'sensor.meter']);
  const start = new Date(Date.now() - 6 * 3600_000).toISOString();
  const stats = await ws.command({ id: 2, type: 'recorder/statistics_during_period', start_time: start, period: 'hour', statistic_ids: ['sensor.temp', 'sensor.meter'] });
  const rows = stats.result as Record<string, { start: number; mean: number | null; state: number | null }[]>;
  t.ok(rows['sensor.temp']!.length >= 5);
  t.equal(rows['sensor.temp']![0]!.mean, 21.5);
  t.equal(rows['sensor.meter']![0]!.state, 1234);
  t.ok(Number.isInteger(rows['sensor.temp']![0]!.start), 'epoch milliseconds');
  // Non-admins may follow state_changed but not every event.
  t.equal((await viewer.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' })).success, true);
  t.same((await viewer.command({ id: 2, type: 'subscribe_events' })).error, { code: 'unauthorized', message: 'Unauthorized' });
});
