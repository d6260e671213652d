// Limits that depend on the entity, not the service: a thermostat's own min and max, its modes,
// a light's colour temperature range. Each rule applies only when the entity has the attribute.
import type { HaState } from '../ha/schemas.js';
import { oneOfProblem, rangeProblem } from './selectors.js';

type Rule = { range: [string, string] } | { oneOf: string } | { length: [string, string] };

const range = (min: string, max: string): Rule => ({ range: [min, max] });
const oneOf = (list: string): Rule => ({ oneOf: list });

const TEMP = range('min_temp', 'max_temp');

/** domain -> field -> rule over the entity's attributes. */
const RULES: Record<string, Record<string, Rule>> = {
  climate: {
    temperature: TEMP,
    target_temp_low: TEMP,
    target_temp_high: TEMP,
    humidity: range('min_humidity', 'max_humidity'),
    hvac_mode: oneOf('hvac_modes'),
    fan_mode: oneOf('fan_modes'),
    preset_mode: oneOf('preset_modes'),
    swing_mode: oneOf('swing_modes'),
    swing_horizontal_mode: oneOf('swing_horizontal_modes'),
  },
  light: {
    color_temp_kelvin: range('min_color_temp_kelvin', 'max_color_temp_kelvin'),
    color_temp: range('min_mireds', 'max_mireds'),
    effect: oneOf('effect_list'),
  },
  fan: { preset_mode: oneOf('preset_modes') },
  humidifier: { humidity: range('min_humidity', 'max_humidity'), mode: oneOf('available_modes') },
  water_heater: { temperature: TEMP, operation_mode: oneOf('operation_list') },
  input_number: { value: range('min', 'max') },
  number: { value: range('min', 'max') },
  input_select: { option: oneOf('options') },
  select: { option: oneOf('options') },
  input_text: { value: { length: ['min', 'max'] } },
  media_player: { source: oneOf('source_list'), sound_mode: oneOf('sound_mode_list') },
};

/** The problem with `field` = `value` for this entity, or undefined. */
export function entityProblem(state: HaState, field: string, value: unknown): string | undefined {
  const domain = state.entity_id.slice(0, state.entity_id.indexOf('.'));
  const rule = RULES[domain]?.[field];
  if (!rule) return undefined;
  const a = state.attributes;
  if ('range' in rule) {
    const [lo, hi] = rule.range;
    if (typeof a[lo] !== 'number' && typeof a[hi] !== 'number') return undefined;
    return rangeProblem(value, a[lo], a[hi]);
  }
  if ('oneOf' in rule) {
    const list = a[rule.oneOf];
    return Array.isArray(list) ? oneOfProblem(value, list) : undefined;
  }
  const [lo, hi] = rule.length;
  const len = String(value).length;
  if ((typeof a[lo] === 'number' && len < a[lo]) || (typeof a[hi] === 'number' && len > a[hi])) {
    return `length ${len} is out of range ${String(a[lo])} to ${String(a[hi])}`;
  }
  return undefined;
}
