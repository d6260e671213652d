// The home-context tools and resources through MCP against the simulator's demo home, including
// live changes (new, renamed and removed entities, registry updates) reaching the cache.
import t from 'tap';
import { startStack } from '../helpers/stack.js';
import { eventually, list, obj, rowId, rows } from './helpers.js';

t.test('home context on the demo home', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const searchIds = async (query: string, args: Record<string, unknown> = {}): Promise<string[]> =>
    ((await stack.call('ha_search_entities', { query, ...args })).json.results as { entity_id: string }[]).map((r) => r.entity_id);

  t.test('ha_overview: counts, capabilities, attention', async (t) => {
    const { json, result } = await stack.call('ha_overview');
    t.notOk(result.isError, JSON.stringify(json));
    t.equal(obj(json.home).entities, 120);
    t.equal(obj(json.home).name, 'Demo Home');
    t.equal(obj(json.domains).light, 6);
    t.equal(obj(json.domains).sensor, 22);
    t.same(json.areas, ['bedroom', 'kitchen', 'living_room', 'mcp_test_area_1795277093020']);
    t.equal(json.entities_without_area, 120);
    const caps = json.capabilities as Record<string, boolean>;
    t.equal(caps.has_lighting, true);
    t.equal(caps.has_climate_control, true);
    t.equal(caps.has_cameras, true);
    t.equal(caps.has_solar, false, 'the demo has no energy configuration');
    t.same(json.energy, { configured: false });
    t.ok((json.service_domains as string[]).includes('light'));
    const attention = json.attention as Record<string, { count: number; entities: Record<string, string> }>;
    t.equal(attention.open?.entities['lock.kitchen_door'], 'unlocked');
    t.equal(attention.alarms?.entities['siren.siren'], 'on');
    t.equal(json.stale, false);
  });

  t.test('ha_list_entities: compact rows, filters, paging, detail', async (t) => {
    const lights = await stack.call('ha_list_entities', { domain: 'light' });
    const lightRows = rows(lights.json);
    t.equal(lights.json.total, 6);
    t.equal(lights.json.has_more, false);
    t.ok(lightRows.every((r) => r.startsWith('light.')));
    t.ok(lightRows.includes('light.bed_light=on'), 'name equal to the id is left out');
    t.equal(
      obj(lights.json.by_area)['(no area)'],
      'on: light.bed_light light.entrance_color_white_lights light.kitchen_lights light.living_room_rgbww_lights light.office_rgbw_lights\nlight.ceiling_lights=off',
      "an area's rows are lines of one string; entities sharing a state are one line",
    );

    const temp = rows((await stack.call('ha_list_entities', { entity_ids: ['sensor.outside_temperature', 'sensor.outside_humidity'] })).json);
    t.ok(temp.includes('sensor.outside_temperature=15.6°C'), 'state carries the unit, without a space');

    const motion = rows((await stack.call('ha_list_entities', { device_class: 'motion' })).json);
    t.same(motion, ['binary_sensor.movement_backyard=on|motion']);
    const humidity = rows((await stack.call('ha_list_entities', { entity_ids: ['sensor.outside_humidity'] })).json);
    t.same(humidity, ['sensor.outside_humidity=54%'], 'device class left out when the id says it');
    const moist = rows((await stack.call('ha_list_entities', { domain: 'binary_sensor', state: 'off' })).json);
    t.same(moist, ['binary_sensor.basement_floor_wet=off|moisture']);

    const p1 = await stack.call('ha_list_entities', { limit: 50 });
    const p3 = await stack.call('ha_list_entities', { limit: 50, offset: 100 });
    t.equal(p1.json.has_more, true);
    t.equal(rows(p3.json).length, 20);
    t.equal(p3.json.has_more, false);

    const summary = await stack.call('ha_list_entities', { domain: 'light', detail: 'summary', limit: 1 });
    const bed = list(summary.json.entities)[0]!;
    t.equal(bed.entity_id, 'light.bed_light');
    t.equal(bed.name, 'Bed Light');
    t.ok(obj(bed.attributes).brightness !== undefined, 'per-domain interesting attributes');
    t.notOk('supported_features' in obj(bed.attributes));

    const full = await stack.call('ha_list_entities', { entity_ids: ['sun.sun'], detail: 'full' });
    t.equal(obj(list(full.json.states)[0]?.attributes).friendly_name, 'Sun');

    const unknownArea = await stack.call('ha_list_entities', { area: 'narnia' });
    t.equal(unknownArea.json.error, 'not_found');
    t.match(unknownArea.json.suggestion, /kitchen/);
    const unknownId = await stack.call('ha_list_entities', { entity_ids: ['light.bed_lite'] });
    t.equal(unknownId.json.error, 'entity_not_found');
  });

  t.test('ha_search_entities: typos, ranking, filters, scores', async (t) => {
    t.equal((await searchIds('kitchn windw'))[0], 'cover.kitchen_window');
    t.equal((await searchIds('bed lite'))[0], 'light.bed_light');
    t.equal((await searchIds('light.bed_light'))[0], 'light.bed_light', 'an exact id comes first');
    const { json } = await stack.call('ha_search_entities', { query: 'outside temperature', limit: 3 });
    const results = json.results as { entity_id: string; score: number; state: string }[];
    t.equal(results[0]?.entity_id, 'sensor.outside_temperature');
    t.ok(results.length <= 3);
    t.ok(results.every((r, i) => i === 0 || r.score <= results[i - 1]!.score), 'ranked by score');
    t.ok(results[0]!.score > 0.5 && results[0]!.score <= 1);
    t.ok((await searchIds('kitchen', { domain: 'light' })).every((id) => id.startsWith('light.')));
    const first = await stack.call('ha_search_entities', { query: 'window', limit: 2 });
    const next = await stack.call('ha_search_entities', { query: 'window', limit: 2, offset: 2 });
    t.equal(first.json.has_more, true);
    const paged = [...list(first.json.results), ...list(next.json.results)].map((r) => r.entity_id);
    t.same(paged, (await searchIds('window', { limit: 4 })), 'offset pages the same ranking');
  });

  t.test('ha_list_registry: areas, floors, labels, devices', async (t) => {
    const areas = await stack.call('ha_list_registry');
    t.same(list(areas.json.items).map((a) => a.area_id as string).sort(), ['bedroom', 'kitchen', 'living_room', 'mcp_test_area_1795277093020']);
    t.equal((await stack.call('ha_list_registry', { kind: 'floors' })).json.total, 0);
    t.equal((await stack.call('ha_list_registry', { kind: 'labels' })).json.total, 0);
    const devices = await stack.call('ha_list_registry', { kind: 'devices', limit: 5 });
    t.equal(devices.json.total, 51);
    t.equal(devices.json.has_more, true);
    t.ok(list(devices.json.items).every((d) => typeof d.id === 'string' && Array.isArray(d.entities)));
  });

  t.test('ha_list_automations: automations and scripts', async (t) => {
    const { json } = await stack.call('ha_list_automations');
    const items = list(json.items);
    t.same(items.map((i) => i.entity_id), ['automation.mcp_test_automation', 'script.mcp_test_script']);
    t.match(items[0], { id: 'mcp_test', name: 'MCP test automation', state: 'on', mode: 'single', current: 0 });
    t.type(items[0]?.last_triggered, 'string');
    const scripts = await stack.call('ha_list_automations', { domain: 'script' });
    t.equal(scripts.json.total, 1);
  });

  t.test('ha_get_energy: nothing configured in the demo', async (t) => {
    const { json, result } = await stack.call('ha_get_energy', { prefs: true });
    t.notOk(result.isError, JSON.stringify(json));
    t.equal(json.configured, false);
    t.same(obj(json.prefs).energy_sources, []);
  });

  t.test('resources: overview, entity template, read, errors', async (t) => {
    const client = await stack.client();
    const list = await client.listResources();
    const uris = list.resources.map((r) => r.uri);
    t.ok(uris.includes('hass://overview'));
    t.ok(uris.includes('hass://entity/light.bed_light'));
    t.equal(list.resources.find((r) => r.uri === 'hass://entity/light.bed_light')?.title, 'Bed Light');
    const templates = await client.listResourceTemplates();
    t.same(templates.resourceTemplates.map((r) => r.uriTemplate), ['hass://entity/{entity_id}']);
    const overview = await client.readResource({ uri: 'hass://overview' });
    t.equal(JSON.parse((overview.contents[0] as { text: string }).text).home.entities, 120);
    const bed = await client.readResource({ uri: 'hass://entity/light.bed_light' });
    t.equal(JSON.parse((bed.contents[0] as { text: string }).text).entity_id, 'light.bed_light');
    await t.rejects(client.readResource({ uri: 'hass://entity/light.bed_lite' }), { code: -32602, message: /light\.bed_light/ });
    await t.rejects(client.readResource({ uri: 'hass://nothing' }), { code: -32602 });
  });

  t.test('live: new, renamed and removed entities reach search, lists and resources', async (t) => {
    const client = await stack.client();
    let listChanged = 0;
    await stack.onResourceListChanged(client, () => void listChanged++);
    await client.listResources();

    stack.sim.home.setState('sensor.garden_gnome', '1', { friendly_name: 'Garden Gnome Counter' });
    t.ok(await eventually(async () => (await searchIds('gnome counter'))[0] === 'sensor.garden_gnome'), 'a new entity is searchable');
    await eventually(async () => listChanged > 0);

    stack.sim.home.setState('sensor.garden_gnome', '2', { friendly_name: 'Lawn Statue' });
    t.ok(await eventually(async () => (await searchIds('lawn statue'))[0] === 'sensor.garden_gnome'), 'friendly name change re-indexed');

    stack.sim.home.renameEntity('light.ceiling_lights', 'light.living_ceiling');
    await eventually(async () => (await searchIds('living ceiling'))[0] === 'light.living_ceiling');
    t.notOk((await searchIds('ceiling lights')).includes('light.ceiling_lights'), 'old id gone from search');
    const renamed = await stack.call('ha_get_state', { entity_id: 'light.ceiling_lights' });
    t.ok((obj(renamed.json.details).closest as string[]).includes('light.living_ceiling'), 'closest ids come from the live index');

    const before = listChanged;
    stack.sim.home.removeState('sensor.garden_gnome');
    await eventually(async () => !(await searchIds('lawn statue')).includes('sensor.garden_gnome'));
    await eventually(async () => listChanged > before);
    const gone = await client.listResources();
    t.notOk(gone.resources.some((r) => r.uri === 'hass://entity/sensor.garden_gnome'));
  });

  t.test('live: registry updates reach areas, filters and search', async (t) => {
    stack.sim.home.updateEntityRegistry('light.kitchen_lights', { area_id: 'kitchen' });
    const inKitchen = await eventually(async () => {
      const r = rows((await stack.call('ha_list_entities', { area: 'Kitchen' })).json);
      return r.length ? r : undefined;
    });
    t.same(inKitchen.map(rowId), ['light.kitchen_lights']);
    const areas = await stack.call('ha_list_registry');
    t.equal(list(areas.json.items).find((a) => a.area_id === 'kitchen')?.entities, 1);

    stack.sim.home.updateArea('kitchen', { name: 'Scullery', aliases: ['galley'] });
    t.ok(await eventually(async () => list((await stack.call('ha_list_registry')).json.items).some((a) => a.name === 'Scullery')), 'area renamed');
    t.ok(await eventually(async () => (await searchIds('scullery'))[0] === 'light.kitchen_lights'), 'search follows the area rename');
    t.ok(await eventually(async () => (await searchIds('galley'))[0] === 'light.kitchen_lights'), 'and area aliases');

    stack.sim.home.updateEntityRegistry('switch.ac', { aliases: ['air conditioner'] });
    t.ok(await eventually(async () => (await searchIds('air conditionr'))[0] === 'switch.ac'), 'entity aliases are searchable');
  });
});
