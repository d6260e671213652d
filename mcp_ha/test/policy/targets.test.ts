// Target resolution: areas (directly or through the device), floors, devices, labels, "all",
// limited to the service's domains.
import t from 'tap';
import type { ServiceCall } from '../../src/ha/types.js';
import { resolveTargets } from '../../src/policy/targets.js';
import { fakeCache } from './home.js';

const cache = fakeCache();
const reg = cache as unknown as { areas: Map<string, unknown>; floors: Map<string, unknown>; devices: Map<string, unknown>; labels: Map<string, unknown>; entities: Map<string, unknown> };
reg.floors.set('ground', { floor_id: 'ground', name: 'Ground' });
reg.areas.set('kitchen', { area_id: 'kitchen', name: 'Kitchen', floor_id: 'ground', labels: [] });
reg.areas.set('bedroom', { area_id: 'bedroom', name: 'Bedroom', floor_id: null, labels: [] });
reg.devices.set('dev1', { id: 'dev1', name: 'Hub', area_id: 'kitchen', labels: ['cosy'] });
reg.labels.set('cosy', { label_id: 'cosy', name: 'Cosy' });
reg.entities.set('light.kitchen_lights', { entity_id: 'light.kitchen_lights', area_id: null, device_id: 'dev1', labels: [] });
reg.entities.set('switch.ac', { entity_id: 'switch.ac', area_id: null, device_id: 'dev1', labels: [] });
reg.entities.set('light.bed_light', { entity_id: 'light.bed_light', area_id: 'bedroom', device_id: null, labels: [] });
reg.entities.set('light.ceiling_lights', { entity_id: 'light.ceiling_lights', area_id: null, device_id: null, labels: ['cosy'], disabled_by: 'user' });

const turnOn = cache.services.light!.turn_on!;
const ids = (target: ServiceCall['target']) => resolveTargets({ domain: 'light', service: 'turn_on', target }, turnOn, cache).map((s) => s.entity_id).sort();

t.test('areas, floors, devices and labels give the service\'s own entities', async (t) => {
  t.same(ids({ area_id: ['kitchen'] }), ['light.kitchen_lights'], 'through the device; the switch is not a light');
  t.same(ids({ area_id: ['bedroom'] }), ['light.bed_light']);
  t.same(ids({ floor_id: ['ground'] }), ['light.kitchen_lights']);
  t.same(ids({ device_id: ['dev1'] }), ['light.kitchen_lights']);
  t.same(ids({ label_id: ['cosy'] }), ['light.kitchen_lights'], 'device label; disabled entities are left out');
  t.same(ids({ entity_id: ['light.bed_light'], area_id: ['kitchen'] }), ['light.bed_light', 'light.kitchen_lights']);
});

t.test('"all" means every entity of the domain', async (t) => {
  const all = ids({ entity_id: ['all'] });
  t.ok(all.length > 3 && all.every((id) => id.startsWith('light.')));
});

t.test('unknown areas, floors, devices and labels are refused, naming the known ones', async (t) => {
  t.throws(() => ids({ area_id: ['attic'] }), { code: 'validation_error', message: /Unknown area "attic"/, suggestion: /kitchen/ });
  t.throws(() => ids({ floor_id: ['roof'] }), { code: 'validation_error' });
  t.throws(() => ids({ device_id: ['nope'] }), { code: 'validation_error' });
  t.throws(() => ids({ label_id: ['nope'] }), { code: 'validation_error' });
});
