// Completion values against simulator homes: prefix, object-id prefix, typos, domain prefix,
// empty input, the 100 cap with total/hasMore, area filtering from the request's context,
// entities appearing and going, prompt arguments, the entity resource template, and a
// 10,000-entity home with inputs of any length.
import t, { type Test } from 'tap';
import { AppError } from '../../src/errors.js';
import type { HomeCache } from '../../src/ha/types.js';
import { ENTITY_URI_TEMPLATE } from '../../src/home/uris.js';
import {
  MAX_COMPLETION_VALUES,
  completeArea,
  completeArgument,
  completeChoices,
  completeDomain,
  completeEntityId,
  completeResource,
  type Completion,
} from '../../src/home/complete.js';
import { homeLive } from '../../src/home/live.js';
import { ENERGY_PERIODS, completePromptArgument } from '../../src/prompts/index.js';
import { startSimHome, until } from './simHome.js';

/** Invariants of every answer: at most 100 unique values; total and hasMore agree. */
function valid(t: Test, c: Completion, what: string): Completion {
  t.ok(c.values.length <= MAX_COMPLETION_VALUES, `${what}: ${c.values.length} values`);
  t.equal(new Set(c.values).size, c.values.length, `${what}: no duplicates`);
  if (c.total !== undefined) {
    t.ok(c.total >= c.values.length, `${what}: total ${c.total}`);
    t.equal(c.hasMore, c.total > c.values.length, `${what}: hasMore agrees with total`);
  } else {
    t.equal(c.hasMore, true, `${what}: no total only when cut off`);
  }
  return c;
}

const allIds = (cache: HomeCache): string[] => [...cache.states()].map((s) => s.entity_id).sort();

t.test('demo home', async (t) => {
  const home = await startSimHome('demo');
  t.teardown(() => home.close());
  const { ha, sim } = home;
  const cache = ha.cache;
  const entity = (value: string, filter = {}): Completion => valid(t, completeEntityId(cache, value, filter), JSON.stringify(value));

  t.test('empty input: the first 100 ids in order', async (t) => {
    const c = entity('');
    t.same(c.values, allIds(cache).slice(0, 100));
    t.equal(c.total, cache.size);
    t.equal(c.hasMore, true);
    t.same(entity('   '), c, 'blank is empty');
  });

  t.test('a domain prefix lists that domain', async (t) => {
    const lights = allIds(cache).filter((id) => id.startsWith('light.'));
    t.same(entity('light.'), { values: lights, total: lights.length, hasMore: false });
    t.same(entity('LIGHT.').values, lights, 'case does not matter');
    t.same(entity('li').values.slice(0, lights.length), lights, 'a partial domain too');
  });

  t.test('prefixes of the id and of the object id', async (t) => {
    t.same(entity('light.k'), { values: ['light.kitchen_lights'], total: 1, hasMore: false });
    t.same(entity('light.kitchen_lights').values, ['light.kitchen_lights'], 'a whole id');
    const kitch = entity('kitch');
    t.same([...kitch.values].sort(), ['cover.kitchen_window', 'light.kitchen_lights', 'lock.kitchen_door', 'media_player.kitchen']);
    const sun = entity('sun');
    t.equal(sun.values[0], 'sun.sun', 'id prefix before object id prefix');
    t.ok(sun.values.includes('sensor.sun_next_dawn'));
  });

  t.test('typos through the search index', async (t) => {
    t.ok(entity('kitchn').values.includes('light.kitchen_lights'));
    t.same(entity('light.kitchn').values, ['light.kitchen_lights'], 'domain then a typo: only that domain');
    t.equal(entity('bed lite').values[0], 'light.bed_light', 'words of the name, with a typo');
    t.same(entity('zzzzqqq'), { values: [], total: 0, hasMore: false });
  });

  t.test('the request context filters by area; an unknown area filters nothing', async (t) => {
    sim.home.updateEntityRegistry('light.kitchen_lights', { area_id: 'kitchen' });
    t.teardown(async () => {
      sim.home.updateEntityRegistry('light.kitchen_lights', { area_id: null });
      await until(() => !cache.entities.get('light.kitchen_lights')?.area_id);
    });
    await until(() => cache.entities.get('light.kitchen_lights')?.area_id === 'kitchen');
    t.same(valid(t, completeArgument(cache, 'entity_id', 'light.', { area: 'kitchen' }), 'area kitchen'), { values: ['light.kitchen_lights'], total: 1, hasMore: false });
    t.same(completeArgument(cache, 'entity_id', '', { area: 'Kitchen' }).values, ['light.kitchen_lights'], 'by area name, empty input');
    t.same(completeArgument(cache, 'entity_id', 'kitchn', { area: 'kitchen' }).values, ['light.kitchen_lights'], 'typos filtered too');
    t.equal(completeArgument(cache, 'entity_id', 'light.', { area: 'nowhere' }).total, 6);
    t.same(completeArgument(cache, 'entity_id', 'l', { domain: 'lock' }).values, allIds(cache).filter((id) => id.startsWith('lock.')), 'by domain');
  });

  t.test('entities that appear and go', async (t) => {
    t.same(entity('sensor.brand_new').values, []);
    sim.home.setState('sensor.brand_new_meter', '1', { friendly_name: 'Brand New Meter' });
    await until(() => !!cache.getState('sensor.brand_new_meter'));
    t.same(entity('sensor.brand_new').values, ['sensor.brand_new_meter']);
    sim.home.removeState('sensor.brand_new_meter');
    await until(() => !cache.getState('sensor.brand_new_meter'));
    t.same(entity('sensor.brand_new').values, []);
  });

  t.test('areas and domains', async (t) => {
    t.same(valid(t, completeArea(cache, ''), 'areas').values, ['bedroom', 'kitchen', 'living_room', 'mcp_test_area_1795277093020']);
    t.same(completeArea(cache, 'kit').values, ['kitchen']);
    t.same(completeArea(cache, 'Kitchn').values, ['kitchen'], 'typo');
    t.same(completeArea(cache, 'living r').values, ['living_room'], 'name words');
    t.same(completeArea(cache, 'livingroom').values, ['living_room']);
    t.same(completeArea(cache, 'xyz').values, []);
    const domains = valid(t, completeDomain(cache, ''), 'domains');
    t.equal(domains.total, new Set(allIds(cache).map((id) => id.split('.')[0])).size);
    t.same(completeDomain(cache, 'li').values, ['light']);
    t.same(completeDomain(cache, 'ligt').values, ['light'], 'typo');
    t.same(completeDomain(cache, 'sens').values, ['sensor', 'binary_sensor'], 'prefix, then a word of the domain');
    t.same(completeArgument(cache, 'area', 'bed').values, ['bedroom']);
    t.same(completeArgument(cache, 'goal', 'x'), { values: [], total: 0, hasMore: false }, 'free text has none');
  });

  t.test('the entity resource template', async (t) => {
    t.same(completeResource(cache, ENTITY_URI_TEMPLATE, 'entity_id', 'light.k').values, ['light.kitchen_lights']);
    t.equal(ENTITY_URI_TEMPLATE, 'hass://entity/{entity_id}');
    t.same(completeResource(cache, 'hass://other/{entity_id}', 'entity_id', 'light.').values, []);
    t.same(completeResource(cache, ENTITY_URI_TEMPLATE, 'other', 'light.').values, []);
  });

  t.test('prompt arguments', async (t) => {
    const deps = { ha };
    t.same(completePromptArgument('energy_report', 'period', '', undefined, deps).values, [...ENERGY_PERIODS]);
    t.same(completePromptArgument('energy_report', 'period', 'last', undefined, deps).values, ['last_week', 'last_month']);
    t.same(completePromptArgument('energy_report', 'period', 'to', undefined, deps).values, ['today']);
    t.same(completePromptArgument('energy_report', 'period', 'yesterdy', undefined, deps).values, ['yesterday'], 'typo');
    t.same(completePromptArgument('energy_report', 'period', 'week', undefined, deps).values, ['this_week', 'last_week'], 'a word of the value');
    t.same(completePromptArgument('troubleshoot_entity', 'entity_id', 'light.k', undefined, deps).values, ['light.kitchen_lights']);
    t.same(completePromptArgument('whats_on', 'area', 'kit', undefined, deps).values, ['kitchen']);
    t.same(completePromptArgument('write_automation', 'area', 'liv', { goal: 'x' }, deps).values, ['living_room']);
    t.same(completePromptArgument('write_automation', 'goal', 'turn', undefined, deps).values, [], 'free text');
    t.same(completePromptArgument('whats_on', 'nope', 'x', undefined, deps).values, [], 'not an argument of the prompt');
    let err: unknown;
    try {
      completePromptArgument('nope', 'entity_id', 'x', undefined, deps);
    } catch (e) {
      err = e;
    }
    t.ok(err instanceof AppError && err.code === 'not_found', 'unknown prompt');
    t.same(completeChoices(['alpha', 'beta'], 'BE').values, ['beta']);
  });

  t.test('inputs of any length', async (t) => {
    for (const value of ['x'.repeat(100_000), `light.${'a'.repeat(300)}`, 'kitchen '.repeat(5_000), 'a b c d e f g h i j k l m n o p q r s t u v w x y z '.repeat(100)]) {
      const started = performance.now();
      valid(t, completeEntityId(cache, value), `${value.length} characters`);
      valid(t, completeArea(cache, value), `area of ${value.length} characters`);
      t.ok(performance.now() - started < 500, `${value.length} characters: ${(performance.now() - started).toFixed(1)} ms`);
    }
  });
});

t.test('before the home has loaded: no values', async (t) => {
  const cache = { loaded: false } as unknown as HomeCache;
  t.same(completeEntityId(cache, 'light.'), { values: [], total: 0, hasMore: false });
  t.same(completeArea(cache, ''), { values: [], total: 0, hasMore: false });
  t.same(completeDomain(cache, ''), { values: [], total: 0, hasMore: false });
});

t.test('a 10,000-entity home: capped, counted, fast', async (t) => {
  const home = await startSimHome(10_000);
  t.teardown(() => home.close());
  const cache = home.ha.cache;
  homeLive(cache).search.search('warm up', 1); // the index builds once, soon after load
  const timed = (value: string, filter = {}): Completion => {
    const started = performance.now();
    const c = completeEntityId(cache, value, filter);
    const ms = performance.now() - started;
    t.ok(ms < 250, `${JSON.stringify(value.slice(0, 30))}${value.length > 30 ? `... (${value.length})` : ''}: ${ms.toFixed(1)} ms`);
    return valid(t, c, value.slice(0, 30));
  };
  completeEntityId(cache, ''); // and the sorted id lists once per entity-list change

  const empty = timed('');
  t.same(empty.values, allIds(cache).slice(0, 100));
  t.same([empty.total, empty.hasMore], [10_000, true]);
  const lights = timed('light.');
  t.same([lights.values.length, lights.total, lights.hasMore], [100, 1500, true]);
  t.ok(lights.values.every((id) => id.startsWith('light.')));
  t.same(lights.values, allIds(cache).filter((id) => id.startsWith('light.')).slice(0, 100), 'in id order');
  const kitchenLights = timed('light.kitchen');
  t.same(kitchenLights.values.slice(0, 2), ['light.kitchen_ceiling_light', 'light.kitchen_floor_lamp'], 'prefix matches first');
  t.ok(kitchenLights.values.slice(2).every((id) => id.startsWith('light.') && id.includes('kitchen')), 'then other kitchen lights');
  const typo = timed('kitchn temprature');
  t.match(typo.values[0], /^sensor\.kitchen.*temperature$/);
  const many = timed('s');
  t.ok(many.total !== undefined && many.total > 4000 && many.hasMore);
  timed('sensor.kitchn');
  t.same(timed('zzzzqqq').values, []);
  timed('x'.repeat(1_000_000));
  timed('kitchen temperature '.repeat(10_000));
  timed('light.', { area: 'kitchen' });
  t.ok(valid(t, completeArea(cache, 'kitch'), 'areas').values.includes('kitchen'));
  const areas = valid(t, completeArea(cache, ''), 'all areas');
  t.equal(areas.total, cache.areas.size);
});
