// The Home Assistant client against the simulator, over real sockets: the cache load, live
// updates, service calls on both paths, templates, subscriptions and error mapping.
import t from 'tap';
import type { HaState } from '../../src/ha/schemas.js';
import { startSimulator } from '../../sim/server.js';
import { haConfig, nextEvent, testClient, until } from './helpers.js';
import { failure } from '../helpers/net.js';

const USER_TOKEN = 'user-token-for-ha-client-tests-0123';

const sim = await startSimulator({ port: 0 });
sim.addToken(USER_TOKEN, { id: 'user-ha-test', name: 'HA Test User', is_admin: true });
const started = performance.now();
const client = testClient(haConfig(sim.url, sim.token));
const { ha } = client;
await ha.start();
const loadMs = performance.now() - started;
t.teardown(async () => {
  await ha.close();
  await sim.close();
});

t.test('connects and loads the demo home', async (t) => {
  t.equal(ha.status, 'connected');
  t.equal(ha.version, '2026.2.0.dev0');
  t.ok(ha.cache.ready);
  t.equal(ha.cache.stale, false);
  t.equal(ha.cache.size, 120);
  t.equal(ha.cache.getState('light.bed_light')?.entity_id, 'light.bed_light');
  t.equal([...ha.cache.states()].length, 120);
  t.ok(ha.cache.areas.get('living_room'), 'areas');
  t.ok(ha.cache.devices.size > 0, 'devices');
  t.ok(ha.cache.entities.get('light.bed_light'), 'entity registry');
  t.ok(ha.cache.services.light?.turn_on, 'services');
  t.equal(ha.cache.config?.version, '2026.2.0.dev0');
  t.ok(ha.cache.lastUpdate !== undefined);
  t.comment(`demo home: start() to a loaded cache in ${loadMs.toFixed(0)} ms`);
});

t.test('cached states match the simulator, times to the microsecond', async (t) => {
  const differ: string[] = [];
  for (const mine of ha.cache.states()) {
    const theirs = sim.home.getState(mine.entity_id);
    const expected = theirs && {
      entity_id: theirs.entity_id,
      state: theirs.state,
      attributes: theirs.attributes,
      last_changed: theirs.last_changed,
      last_updated: theirs.last_updated,
      context: theirs.context,
    };
    if (JSON.stringify(mine) !== JSON.stringify(expected)) differ.push(mine.entity_id);
  }
  t.same(differ, [], 'every cached state equals the simulator\'s (last_reported is not in subscribe_entities)');
});

t.test('a state change reaches the cache, attributes added and removed', async (t) => {
  const before = ha.cache.getState('sensor.outside_temperature') as HaState;
  const event = nextEvent<[string, HaState | null, HaState | null]>(ha.cache, 'state');
  sim.home.setState('sensor.outside_temperature', '31.5', { unit_of_measurement: '°C', friendly_name: 'Outside', extra: 1 });
  const [id, next, prev] = await event;
  t.equal(id, 'sensor.outside_temperature');
  t.equal(prev, before, 'the old state object is passed unchanged');
  t.equal(next?.state, '31.5');
  t.same(next?.attributes, { unit_of_measurement: '°C', friendly_name: 'Outside', extra: 1 }, 'removed attributes are gone');
  t.equal(next?.last_changed, sim.home.getState('sensor.outside_temperature')?.last_changed);
  t.equal(ha.cache.getState('sensor.outside_temperature'), next);
});

t.test('entities added and removed', async (t) => {
  const added = nextEvent<[{ added: string[]; removed: string[] }]>(ha.cache, 'entities');
  sim.home.setState('sensor.ha_test_new', '7', { friendly_name: 'New one' });
  t.same((await added)[0], { added: ['sensor.ha_test_new'], removed: [] });
  t.equal(ha.cache.getState('sensor.ha_test_new')?.state, '7');
  t.equal(ha.cache.size, 121);

  const removed = nextEvent<[{ added: string[]; removed: string[] }]>(ha.cache, 'entities');
  sim.home.removeState('sensor.ha_test_new');
  t.same((await removed)[0], { added: [], removed: ['sensor.ha_test_new'] });
  t.equal(ha.cache.getState('sensor.ha_test_new'), undefined);
  t.equal(ha.cache.size, 120);
});

t.test('registry updates reach the cache', async (t) => {
  const area = nextEvent<[string]>(ha.cache, 'registry');
  sim.home.updateArea('living_room', { name: 'Lounge' });
  t.same(await area, ['area']);
  t.equal(ha.cache.areas.get('living_room')?.name, 'Lounge');

  sim.home.updateEntityRegistry('light.bed_light', { name: 'Bed lamp', labels: [] });
  await until(() => ha.cache.entities.get('light.bed_light')?.name === 'Bed lamp', 2_000, 'entity registry update');
  t.pass('entity registry entry renamed');
});

t.test('callService over the WebSocket: changed states of this call, and responses', async (t) => {
  const res = await ha.callService({
    domain: 'light',
    service: 'turn_on',
    target: { entity_id: ['light.bed_light'] },
    service_data: { brightness: 60 },
  });
  t.equal(res.changed_states.length, 1);
  t.equal(res.changed_states[0]?.entity_id, 'light.bed_light');
  t.equal(res.changed_states[0]?.attributes.brightness, 60);
  t.equal(res.changed_states[0]?.context.id, res.context?.id, 'the state carries the call context');
  t.equal(ha.cache.getState('light.bed_light')?.attributes.brightness, 60, 'the cache already has it');

  const same = await ha.callService({ domain: 'light', service: 'turn_on', target: { entity_id: ['light.bed_light'] }, service_data: { brightness: 60 } });
  t.same(same.changed_states, [], 'nothing changed, nothing listed');

  const missing = await ha.callService({ domain: 'light', service: 'turn_on', target: { entity_id: ['light.does_not_exist'] } });
  t.same(missing.changed_states, [], 'a missing entity is a success with no changes, as in Home Assistant');

  const forecast = await ha.callService({
    domain: 'weather',
    service: 'get_forecasts',
    target: { entity_id: ['weather.demo_weather_south'] },
    service_data: { type: 'daily' },
    return_response: true,
  });
  t.ok((forecast.response as Record<string, { forecast: unknown[] }>)['weather.demo_weather_south']?.forecast.length);
});

t.test('callService with a user token goes over REST as that user', async (t) => {
  const res = await ha.callService(
    { domain: 'light', service: 'turn_off', target: { entity_id: ['light.bed_light'] } },
    { token: USER_TOKEN },
  );
  t.equal(res.changed_states[0]?.entity_id, 'light.bed_light');
  t.equal(res.changed_states[0]?.state, 'off');
  t.equal(res.changed_states[0]?.context.user_id, 'user-ha-test', 'Home Assistant attributes the change to the user');

  const forecast = await ha.callService(
    { domain: 'weather', service: 'get_forecasts', target: { entity_id: ['weather.demo_weather_south'] }, service_data: { type: 'daily' }, return_response: true },
    { token: USER_TOKEN },
  );
  t.ok((forecast.response as Record<string, unknown>)['weather.demo_weather_south']);
  t.same(forecast.changed_states, []);
});

t.test('service errors over the WebSocket', async (t) => {
  const unknown = await failure(ha.callService({ domain: 'light', service: 'no_such_service' }));
  t.equal(unknown.code, 'service_not_found');
  t.equal(unknown.message, 'Service light.no_such_service not found.');

  const badData = await failure(
    ha.callService({ domain: 'light', service: 'turn_on', target: { entity_id: ['light.bed_light'] }, service_data: { brightness: 'bright' } }),
  );
  t.equal(badData.code, 'validation_error');
  t.match(badData.message, /brightness/, "carries Home Assistant's message");

  const range = await failure(
    ha.callService({ domain: 'climate', service: 'set_temperature', target: { entity_id: ['climate.hvac'] }, service_data: { temperature: 100 } }),
  );
  t.equal(range.code, 'validation_error');
  t.match(range.message, /Validation error: .*temperature/);
  t.equal(range.details?.translation_key, 'temp_out_of_range');

  const noResponse = await failure(
    ha.callService({ domain: 'light', service: 'turn_on', target: { entity_id: ['light.bed_light'] }, return_response: true }),
  );
  t.equal(noResponse.code, 'validation_error');

  const haError = await failure(
    ha.callService({ domain: 'camera', service: 'snapshot', target: { entity_id: ['camera.demo_camera'] }, service_data: { filename: '/nope/x.jpg' } }),
  );
  t.equal(haError.code, 'ha_error');
  t.match(haError.message, /allowlist_external_dirs/, "Home Assistant's text");
});

t.test('service errors over REST (user token)', async (t) => {
  const creds = { token: USER_TOKEN };
  const unknown = await failure(ha.callService({ domain: 'light', service: 'no_such_service' }, creds));
  t.equal(unknown.code, 'service_not_found', 'told apart from bad data with the cached services');

  const badData = await failure(
    ha.callService({ domain: 'light', service: 'turn_on', target: { entity_id: ['light.bed_light'] }, service_data: { brightness: 'bright' } }, creds),
  );
  t.equal(badData.code, 'validation_error');
  t.ok((badData.details?.fields as string[]).includes('brightness'), 'names the fields');

  const inService = await failure(
    ha.callService({ domain: 'climate', service: 'set_temperature', target: { entity_id: ['climate.hvac'] }, service_data: { temperature: 100 } }, creds),
  );
  t.equal(inService.code, 'ha_error', 'a 500 from the service');

  const missingEntity = await ha.callService({ domain: 'light', service: 'turn_on', target: { entity_id: ['light.does_not_exist'] } }, creds);
  t.same(missingEntity.changed_states, [], 'a missing entity is a success with no changes');

  const missingResponse = await failure(
    ha.callService({ domain: 'weather', service: 'get_forecasts', target: { entity_id: ['weather.demo_weather_south'] }, service_data: { type: 'daily' } }, creds),
  );
  t.equal(missingResponse.code, 'validation_error');
  t.match(missingResponse.message, /return_response/);

  const wrongToken = await failure(ha.callService({ domain: 'light', service: 'turn_on' }, { token: 'not-a-valid-token-000' }));
  t.equal(wrongToken.code, 'unauthorized');
  t.notMatch(wrongToken.message, /not-a-valid-token/);
});

t.test('templates', async (t) => {
  t.equal(await ha.renderTemplate("{{ states('sun.sun') }}"), sim.home.getState('sun.sun')?.state);
  t.equal(await ha.renderTemplate('{{ a + 1 }}', { a: 41 }, { token: USER_TOKEN }), '42');
  const syntax = await failure(ha.renderTemplate("{{ states('sun.sun' }}"));
  t.equal(syntax.code, 'template_error');
  t.match(syntax.message, /TemplateSyntaxError/);
  const runtime = await failure(ha.renderTemplate('{{ 1 / 0 }}'));
  t.equal(runtime.code, 'template_error');
});

t.test('commands and subscriptions', async (t) => {
  t.equal(((await ha.command<{ version: string }>({ type: 'get_config' })).version), '2026.2.0.dev0');
  const notFound = await failure(ha.command({ type: 'config/entity_registry/get', entity_id: 'light.nope' }));
  t.equal(notFound.code, 'not_found');
  const unknownCommand = await failure(ha.command({ type: 'no_such_command' }));
  t.equal(unknownCommand.code, 'ha_error');

  const events: unknown[] = [];
  const unsubscribe = await ha.subscribe({ type: 'subscribe_events', event_type: 'ha_test_event' }, (e) => events.push(e));
  sim.home.fireEvent('ha_test_event', { n: 1 });
  await until(() => events.length === 1, 2_000, 'custom event');
  t.match(events[0], { event_type: 'ha_test_event', data: { n: 1 } });
  await unsubscribe();
  sim.home.fireEvent('ha_test_event', { n: 2 });
  await ha.command({ type: 'ping' });
  t.equal(events.length, 1, 'no events after unsubscribe');
});

t.test('REST passthrough and user token checks', async (t) => {
  const res = await ha.rest('GET', '/api/states/light.bed_light');
  t.equal(res.status, 200);
  t.match(res.body, { entity_id: 'light.bed_light' });
  t.equal((await ha.rest('GET', '/api/states/light.nope')).status, 404);

  t.equal(await ha.checkUserToken(USER_TOKEN), true);
  t.equal(await ha.checkUserToken('wrong-token-0123456789'), false);
  sim.faults.failRest(500, 1);
  const err = await failure(ha.checkUserToken(USER_TOKEN));
  t.equal(err.code, 'ha_unreachable', 'cannot check is not "invalid"');
});

t.test('no token in any log line', async (t) => {
  t.notOk(client.logs().includes(sim.token));
  t.notOk(client.logs().includes(USER_TOKEN));
});
