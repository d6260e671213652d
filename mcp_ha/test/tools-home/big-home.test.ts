// The home-context tools through MCP on a generated 2,000-entity home (floors, areas, devices,
// labels, energy): sizes stay small, filters and search work at scale, and live registry
// changes reach the search index. One stack for the whole file.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t from 'tap';
import { startStack } from '../helpers/stack.js';
import { eventually, list, obj, rowId, rows } from './helpers.js';

t.test('home context on a 2,000-entity home', async (t) => {
  const stack = await startStack({ home: 2000 });
  t.teardown(() => stack.close());
  const text = async (name: string, args: Record<string, unknown> = {}): Promise<string> => {
    const { result } = await stack.call(name, args);
    t.notOk(result.isError, name);
    return (result.content[0] as { text: string }).text;
  };
  const searchIds = async (query: string, args: Record<string, unknown> = {}): Promise<string[]> =>
    list((await stack.call('ha_search_entities', { query, ...args })).json.results).map((r) => r.entity_id as string);

  t.test('ha_overview is small and complete', async (t) => {
    const raw = await text('ha_overview');
    const json = JSON.parse(raw) as Record<string, unknown>;
    t.ok(encode(raw).length <= 1500, `overview tokens ${encode(raw).length}`);
    t.equal(obj(json.home).entities, 2000);
    t.ok(Object.keys(obj(json.floors)).includes('ground_floor'));
    const floors = Object.values(json.floors as Record<string, { name: string; entities: number; areas: string[] }>);
    t.equal(floors[0]?.name, 'Basement', 'floors in level order');
    t.ok(floors.find((f) => f.name === 'Ground Floor')?.areas.includes('kitchen'));
    t.equal(floors.flatMap((f) => f.areas).length + (json.areas as string[]).length, 100, 'every area');
    t.equal(floors.reduce((n, f) => n + f.entities, 0) + (json.entities_without_area as number), 2000, 'every entity counted once');
    t.notOk(json.note);
    const caps = obj(json.capabilities);
    t.match(caps, { has_solar: true, has_battery: true, has_lighting: true, has_energy_monitoring: true });
    const energy = obj(json.energy);
    t.equal(energy.configured, true);
    t.match(obj(energy.power_w), { solar: Number, grid: Number, battery: Number });
    t.ok(Object.keys(obj(energy.battery_level)).includes('sensor.home_battery_charge'));
  });

  t.test('ha_list_entities pages through everything, compactly', async (t) => {
    const a = JSON.parse(await text('ha_list_entities', { limit: 1000 })) as Record<string, unknown>;
    const b = JSON.parse(await text('ha_list_entities', { limit: 1000, offset: 1000 })) as Record<string, unknown>;
    t.equal(a.has_more, true);
    t.equal(b.has_more, false);
    const ids = new Set([...rows(a), ...rows(b)].map(rowId));
    t.equal(ids.size, 2000, 'every entity exactly once');
    const compact = JSON.stringify(a).length + JSON.stringify(b).length;
    const raw = (await (await fetch(`${stack.sim.url}/api/states`, { headers: { Authorization: `Bearer ${stack.sim.token}` } })).text()).length;
    t.ok(compact / raw < 0.12, `compact/raw = ${(compact / raw).toFixed(3)}`);

    const ground = JSON.parse(await text('ha_list_entities', { floor: 'Ground Floor', domain: 'light', limit: 1000 })) as Record<string, unknown>;
    const groundAreas = Object.keys(obj(ground.by_area));
    t.ok(groundAreas.includes('kitchen') && !groundAreas.includes('bedroom'), 'floor filter by name');
    const kitchenLights = rows(JSON.parse(await text('ha_list_entities', { area: 'kitchen', domain: 'light' })) as Record<string, unknown>);
    t.ok(kitchenLights.length > 0 && kitchenLights.every((r) => r.startsWith('light.')));
    const labelled = JSON.parse(await text('ha_list_entities', { label: 'critical', detail: 'summary', limit: 5 })) as Record<string, unknown>;
    t.ok(list(labelled.entities).length > 0);
    t.ok(list(labelled.entities).every((e) => (e.labels as string[]).includes('critical')), 'label filter');
  });

  t.test('ha_search_entities at scale: typos, aliases, area filter', async (t) => {
    t.equal((await searchIds('kitchn temprature'))[0], 'sensor.kitchen_climate_sensor_temperature');
    const lounge = list((await stack.call('ha_search_entities', { query: 'lounge floor lamp' })).json.results);
    t.equal(lounge[0]?.area, 'living_room', 'area aliases are searched');
    t.ok((await searchIds('light', { area: 'Kitchen', limit: 20 })).every((id) => id.includes('kitchen')), 'area filter');
  });

  t.test('ha_list_registry: floors by level, devices by area', async (t) => {
    const floors = list(JSON.parse(await text('ha_list_registry', { kind: 'floors' })).items);
    t.equal(floors[0]?.floor_id, 'basement');
    t.ok((floors[0]?.areas as string[]).length > 0);
    const devices = JSON.parse(await text('ha_list_registry', { kind: 'devices', area: 'kitchen' })) as Record<string, unknown>;
    t.ok(list(devices.items).length > 0);
    t.ok(list(devices.items).every((d) => d.area_id === 'kitchen' && (d.entities as string[]).length > 0));
    const areas = JSON.parse(await text('ha_list_registry', { floor: 'ground_floor', limit: 5 })) as Record<string, unknown>;
    t.equal(areas.has_more, true);
    t.ok(list(areas.items).every((a) => a.floor_id === 'ground_floor'));
  });

  t.test('ha_list_automations and ha_get_energy', async (t) => {
    const autos = JSON.parse(await text('ha_list_automations', { domain: 'automation', limit: 10 })) as Record<string, unknown>;
    t.equal(autos.total, 50);
    t.ok(list(autos.items).every((a) => typeof a.id === 'string' && a.mode === 'single'));
    const energy = JSON.parse(await text('ha_get_energy')) as Record<string, unknown>;
    t.equal(energy.configured, true);
    t.ok(obj(obj(energy.grid).import)['sensor.smart_meter_energy_import']);
    t.ok(obj(obj(energy.grid).power)['sensor.smart_meter_power'], 'meter power found on the meter device');
    t.match(obj(obj(energy.battery).level)['sensor.home_battery_charge'], /%$/);
    t.ok(list(energy.devices).some((d) => typeof d.power === 'string'), 'device power from the plug next to its energy sensor');
  });

  t.test('resources/list pages through every entity', async (t) => {
    const client = await stack.client();
    const uris: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listResources(cursor === undefined ? {} : { cursor });
      uris.push(...page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    t.equal(uris.length, 2001, 'the overview and 2,000 entities');
    t.equal(new Set(uris).size, 2001);
  });

  t.test('live: an area rename reaches the search index', async (t) => {
    const found = async (): Promise<boolean> => {
      const results = list((await stack.call('ha_search_entities', { query: 'workshop', limit: 3 })).json.results);
      return results.length > 0 && results.every((r) => r.area === 'garage');
    };
    t.notOk(await found(), 'not before the rename');
    stack.sim.home.updateArea('garage', { name: 'Workshop' });
    t.ok(await eventually(found), 'found by the new area name');
  });
});
