// Restore plans: the service calls that bring an entity back to its recorded before-state.
// Only what the action changed is restored (before vs after), so undoing a brightness change
// does not also touch modes the allowlist may not permit. Without an after-state (the action
// was interrupted) everything restorable is restored.
import { isDeepStrictEqual } from 'node:util';
import type { EntitySnapshot } from './record.js';

export interface RestoreCall {
  domain: string;
  service: string;
  data?: Record<string, unknown>;
}

export interface RestorePlan {
  calls: RestoreCall[];
  /** Attributes (and `state`) the calls should reproduce, for checking the result. */
  expect: Record<string, unknown>;
  /** Set when the entity cannot be restored, saying why. */
  impossible?: string;
  /** Why nothing needs restoring, when that is not obvious. */
  note?: string;
}

type Planner = (p: PlanInput) => void;

interface PlanInput {
  before: EntitySnapshot;
  changed: (attr: string) => boolean;
  stateChanged: boolean;
  afterState: string | undefined;
  add: (service: string, data?: Record<string, unknown>, expect?: Record<string, unknown>) => void;
  /** Restores attribute `attr` with `service` and field `field` when the action changed it. */
  attr: (attr: string, service: string, field: string, type: 'number' | 'string' | 'boolean') => void;
}

const ON_OFF: Planner = ({ before, stateChanged, add }) => {
  if (stateChanged && (before.state === 'on' || before.state === 'off')) add(`turn_${before.state}`, undefined, { state: before.state });
};

/** Light colour attribute for each colour mode. */
const COLOUR_ATTR: Record<string, string> = {
  hs: 'hs_color', xy: 'xy_color', rgb: 'rgb_color', rgbw: 'rgbw_color', rgbww: 'rgbww_color', color_temp: 'color_temp_kelvin',
};
const LIGHT_ATTRS = ['brightness', 'color_mode', 'effect', ...Object.values(COLOUR_ATTR)];

const PLANNERS: Record<string, Planner> = {
  light(p) {
    const { before, changed, stateChanged, add } = p;
    if (before.state === 'off') return ON_OFF(p);
    if (before.state !== 'on' || (!stateChanged && !LIGHT_ATTRS.some(changed))) return;
    const a = before.attributes;
    const data: Record<string, unknown> = {};
    if (typeof a.brightness === 'number') data.brightness = a.brightness;
    const mode = typeof a.color_mode === 'string' ? a.color_mode : undefined;
    const colour = mode ? COLOUR_ATTR[mode] : undefined;
    if (colour !== undefined && a[colour] !== null && a[colour] !== undefined) data[colour] = a[colour];
    if (mode === 'white') data.white = true;
    if (typeof a.effect === 'string' && changed('effect')) data.effect = a.effect;
    add('turn_on', data, { state: 'on', ...data });
  },
  cover({ before, changed, stateChanged, add, attr }) {
    const a = before.attributes;
    if (typeof a.current_position === 'number') {
      if (stateChanged || changed('current_position')) add('set_cover_position', { position: a.current_position }, { current_position: a.current_position });
    } else if (stateChanged) {
      const open = before.state === 'open' || before.state === 'opening';
      add(open ? 'open_cover' : 'close_cover', undefined, { state: open ? 'open' : 'closed' });
    }
    attr('current_tilt_position', 'set_cover_tilt_position', 'tilt_position', 'number');
  },
  climate({ before, changed, stateChanged, add, attr }) {
    const a = before.attributes;
    const mode = () => stateChanged && add('set_hvac_mode', { hvac_mode: before.state }, { state: before.state });
    const temps = () => {
      if (typeof a.temperature === 'number' && changed('temperature')) add('set_temperature', { temperature: a.temperature }, { temperature: a.temperature });
      else if (typeof a.target_temp_low === 'number' && typeof a.target_temp_high === 'number' && (changed('target_temp_low') || changed('target_temp_high'))) {
        const d = { target_temp_low: a.target_temp_low, target_temp_high: a.target_temp_high };
        add('set_temperature', d, d);
      }
    };
    // Thermostats may ignore a setpoint while off: set the mode first, unless going back to off.
    if (before.state === 'off') {
      temps();
      mode();
    } else {
      mode();
      temps();
    }
    attr('fan_mode', 'set_fan_mode', 'fan_mode', 'string');
    attr('preset_mode', 'set_preset_mode', 'preset_mode', 'string');
    attr('swing_mode', 'set_swing_mode', 'swing_mode', 'string');
    attr('humidity', 'set_humidity', 'humidity', 'number');
  },
  fan(p) {
    const { before, changed, stateChanged, add, attr } = p;
    if (before.state === 'off') return ON_OFF(p);
    if (typeof before.attributes.percentage === 'number' && (stateChanged || changed('percentage'))) {
      add('set_percentage', { percentage: before.attributes.percentage }, { state: 'on', percentage: before.attributes.percentage });
    } else ON_OFF(p);
    attr('preset_mode', 'set_preset_mode', 'preset_mode', 'string');
    attr('oscillating', 'oscillate', 'oscillating', 'boolean');
    attr('direction', 'set_direction', 'direction', 'string');
  },
  media_player({ before, afterState, stateChanged, add, attr }) {
    if (before.state === 'off') {
      if (stateChanged) add('turn_off', undefined, { state: 'off' });
      return;
    }
    if (stateChanged && (afterState === undefined || afterState === 'off')) add('turn_on');
    if (stateChanged && before.state === 'playing') add('media_play', undefined, { state: 'playing' });
    else if (stateChanged && before.state === 'paused') add('media_pause', undefined, { state: 'paused' });
    attr('volume_level', 'volume_set', 'volume_level', 'number');
    attr('is_volume_muted', 'volume_mute', 'is_volume_muted', 'boolean');
    attr('source', 'select_source', 'source', 'string');
  },
  humidifier(p) {
    ON_OFF(p);
    p.attr('humidity', 'set_humidity', 'humidity', 'number');
    p.attr('mode', 'set_mode', 'mode', 'string');
  },
  water_heater({ attr }) {
    attr('temperature', 'set_temperature', 'temperature', 'number');
    attr('operation_mode', 'set_operation_mode', 'operation_mode', 'string');
  },
  valve({ before, changed, stateChanged, add }) {
    const pos = before.attributes.current_position;
    if (typeof pos === 'number') {
      if (stateChanged || changed('current_position')) add('set_valve_position', { position: pos }, { current_position: pos });
    } else if (stateChanged) add(before.state === 'open' ? 'open_valve' : 'close_valve', undefined, { state: before.state });
  },
  lock({ before, stateChanged, add }) {
    if (!stateChanged) return;
    if (before.state === 'locked') add('lock', undefined, { state: 'locked' });
    else if (before.state === 'unlocked') add('unlock', undefined, { state: 'unlocked' });
  },
  switch: ON_OFF,
  input_boolean: ON_OFF,
  automation: ON_OFF,
  siren: ON_OFF,
  remote: ON_OFF,
  input_number: valueSetter('set_value', 'value', Number),
  number: valueSetter('set_value', 'value', Number),
  input_text: valueSetter('set_value', 'value', String),
  text: valueSetter('set_value', 'value', String),
  input_select: valueSetter('select_option', 'option', String),
  select: valueSetter('select_option', 'option', String),
};

function valueSetter(service: string, field: string, parse: (s: string) => unknown): Planner {
  return ({ before, stateChanged, add }) => {
    if (stateChanged) add(service, { [field]: parse(before.state) }, { state: before.state });
  };
}

const UNRESTORABLE_STATES = ['unavailable', 'unknown'];
/** Entities that only run something: their own state (last run) is nothing to restore. */
const ACTION_DOMAINS = ['scene', 'script', 'button', 'input_button'];

export function restorePlan(entityId: string, before: EntitySnapshot, after: EntitySnapshot | undefined): RestorePlan {
  const domain = entityId.slice(0, entityId.indexOf('.'));
  const plan: RestorePlan = { calls: [], expect: {} };
  if (ACTION_DOMAINS.includes(domain)) return { ...plan, note: `a ${domain} has no state of its own; the entities it changed are restored on their own` };
  const planner = PLANNERS[domain];
  if (!planner) return { ...plan, impossible: `${domain} entities cannot be restored by a service call` };
  if (UNRESTORABLE_STATES.includes(before.state)) return { ...plan, impossible: `its before-state was "${before.state}"` };
  const changed = (a: string) => !after || !isDeepStrictEqual(before.attributes[a], after.attributes[a]);
  const add: PlanInput['add'] = (service, data, expect) => {
    plan.calls.push(data && Object.keys(data).length ? { domain, service, data } : { domain, service });
    Object.assign(plan.expect, expect ?? {});
  };
  planner({
    before,
    changed,
    stateChanged: !after || after.state !== before.state,
    afterState: after?.state,
    add,
    attr(a, service, field, type) {
      const v = before.attributes[a];
      if (typeof v === type && changed(a)) add(service, { [field]: v }, { [a]: v });
    },
  });
  return plan;
}
