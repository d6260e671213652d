// Validation against the recorded demo home: selectors, entity limits, target domains.
import t from 'tap';
import { AppError } from '../../src/errors.js';
import type { ServiceCall } from '../../src/ha/types.js';
import { resolveTargets } from '../../src/policy/targets.js';
import { validateCall } from '../../src/policy/validate.js';
import { fakeCache } from './home.js';

const cache = fakeCache();

function check(service: string, entityIds: string[] | undefined, data?: Record<string, unknown>): AppError | undefined {
  const [domain, svc] = service.split('.') as [string, string];
  const call: ServiceCall = { domain, service: svc, target: entityIds ? { entity_id: entityIds } : undefined, service_data: data };
  const desc = cache.services[domain]![svc]!;
  try {
    validateCall(call, desc, resolveTargets(call, desc, cache), cache.services);
    return undefined;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

t.test('valid calls pass', async (t) => {
  t.equal(check('light.turn_on', ['light.bed_light'], { brightness: 128, hs_color: [30, 50], transition: 2 }), undefined);
  t.equal(check('climate.set_temperature', ['climate.heatpump'], { temperature: 21.5 }), undefined);
  t.equal(check('climate.set_hvac_mode', ['climate.hvac'], { hvac_mode: 'dry' }), undefined);
  t.equal(check('cover.set_cover_position', ['cover.hall_window'], { position: 0 }), undefined);
  t.equal(check('input_number.set_value', ['input_number.mcp_test_number'], { value: 100 }), undefined);
  t.equal(check('homeassistant.restart', undefined), undefined);
});

t.test('out of range: selector (brightness 0-255)', async (t) => {
  const e = check('light.turn_on', ['light.bed_light'], { brightness: 300 });
  t.equal(e?.code, 'validation_error');
  t.match(e?.message, /brightness: 300 is out of range 0 to 255/);
  t.match(e?.details, { rule: 'service_data', problems: [{ field: 'brightness' }] });
  t.match(check('light.turn_on', ['light.bed_light'], { brightness: 'bright' })?.message, /expected a number/);
});

t.test('out of range: the entity\'s own min and max', async (t) => {
  const e = check('climate.set_temperature', ['climate.heatpump'], { temperature: 40 });
  t.match(e?.message, /temperature: 40 is out of range 7 to 35 for climate\.heatpump/);
  t.match(check('input_number.set_value', ['input_number.mcp_test_number'], { value: 101 })?.message, /0 to 100/);
  t.match(check('light.turn_on', ['light.bed_light'], { color_temp_kelvin: 1500 })?.message, /color_temp_kelvin/);
});

t.test('a mode the entity does not have', async (t) => {
  const e = check('climate.set_hvac_mode', ['climate.heatpump'], { hvac_mode: 'cool' });
  t.match(e?.message, /"cool" is not one of "heat", "off" for climate\.heatpump/);
  t.match(check('climate.set_temperature', ['climate.hvac'], { temperature: 20, hvac_mode: 'warp' })?.message, /hvac_mode/);
});

t.test('colour shapes', async (t) => {
  t.match(check('light.turn_on', ['light.bed_light'], { rgb_color: [255, 0] })?.message, /rgb_color: expected a list of 3 numbers/);
  t.match(check('light.turn_on', ['light.bed_light'], { hs_color: [400, 50] })?.message, /hs_color: item 1: 400 is out of range 0 to 360/);
});

t.test('unknown and missing fields', async (t) => {
  t.match(check('light.turn_on', ['light.bed_light'], { brightnes: 10 })?.message, /brightnes: unknown field \(did you mean brightness\?\)/);
  t.match(check('cover.set_cover_position', ['cover.hall_window'], {})?.message, /position: required field missing/);
  t.match(check('light.turn_on', ['light.bed_light'], { area_id: 'kitchen' })?.message, /belongs in target/);
});

t.test('targets: existence, domain, features', async (t) => {
  const wrong = check('light.turn_on', ['switch.decorative_lights']);
  t.equal(wrong?.code, 'validation_error');
  t.match(wrong?.message, /switch\.decorative_lights is a switch entity; light\.turn_on acts on light entities/);
  t.match(wrong?.suggestion, /Use switch\.turn_on/);
  t.match(wrong?.details, { rule: 'target_domain', suggested_service: 'switch.turn_on' });
  const missing = check('light.turn_on', ['light.bed_lite']);
  t.equal(missing?.code, 'entity_not_found');
  const feature = check('cover.set_cover_position', ['cover.garage_door'], { position: 50 });
  t.match(feature?.message, /cover\.garage_door does not support cover\.set_cover_position/);
  t.match(feature?.suggestion, /cover\.open_cover/);
  t.match(check('light.turn_on', undefined)?.details, { rule: 'target_required' });
});
