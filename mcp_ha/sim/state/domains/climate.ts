// Climate and water heaters: targets and modes, with HA's own validation errors
// (temp_out_of_range, not_valid_hvac_mode, ...).
import { ServiceValidationError } from '../errors.js';
import { pyFloat } from '../../util/pyrepr.js';
import type { DomainBehaviour, EntityCall } from './types.js';

/** str() of an attribute value as Python would print it (7 -> "7", 7.0 stays "7" in JSON). */
const pyStrNum = (v: unknown): string => String(v);

function checkTemp(c: EntityCall, value: number): void {
  const a = c.state.attributes;
  const min = Number(a.min_temp ?? 7);
  const max = Number(a.max_temp ?? 35);
  if (value < min || value > max) {
    throw new ServiceValidationError(
      `Provided temperature ${pyFloat(value)} is not valid. Accepted range is ${pyStrNum(a.min_temp ?? 7)} to ${pyStrNum(a.max_temp ?? 35)}`,
      'temp_out_of_range',
      { check_temp: pyFloat(value), min_temp: pyStrNum(a.min_temp ?? 7), max_temp: pyStrNum(a.max_temp ?? 35) },
      'climate',
    );
  }
}

function checkMode(c: EntityCall, attr: string, value: unknown, key: string, what: string, listWhat: string, placeholders: [string, string]): void {
  const list = c.state.attributes[attr];
  if (Array.isArray(list) && !list.includes(value)) {
    throw new ServiceValidationError(
      `${what} ${String(value)} is not valid. Valid ${listWhat} are: ${list.join(', ')}`,
      key,
      { [placeholders[0]]: String(value), [placeholders[1]]: list.join(', ') },
      'climate',
    );
  }
}

function setHvacMode(c: EntityCall, mode: unknown): void {
  checkMode(c, 'hvac_modes', mode, 'not_valid_hvac_mode', 'HVAC mode', 'HVAC modes', ['mode', 'modes']);
  c.update(String(mode));
}

function setTemperature(c: EntityCall): void {
  const d = c.data;
  const next: Record<string, unknown> = {};
  for (const k of ['temperature', 'target_temp_low', 'target_temp_high'] as const) {
    if (typeof d[k] === 'number') {
      checkTemp(c, d[k]);
      next[k] = d[k];
    }
  }
  if (d.hvac_mode !== undefined) setHvacMode(c, d.hvac_mode);
  c.update(undefined, next);
}

export const climate: DomainBehaviour = {
  entity: {
    set_temperature: setTemperature,
    set_hvac_mode: (c) => setHvacMode(c, c.data.hvac_mode),
    set_fan_mode: (c) => {
      checkMode(c, 'fan_modes', c.data.fan_mode, 'not_valid_fan_mode', 'Fan mode', 'fan modes', ['mode', 'modes']);
      c.update(undefined, { fan_mode: c.data.fan_mode });
    },
    set_preset_mode: (c) => {
      checkMode(c, 'preset_modes', c.data.preset_mode, 'not_valid_preset_mode', 'Preset mode', 'preset modes', ['mode', 'modes']);
      c.update(undefined, { preset_mode: c.data.preset_mode });
    },
    set_swing_mode: (c) => {
      checkMode(c, 'swing_modes', c.data.swing_mode, 'not_valid_swing_mode', 'Swing mode', 'swing modes', ['mode', 'modes']);
      c.update(undefined, { swing_mode: c.data.swing_mode });
    },
    set_swing_horizontal_mode: (c) => c.update(undefined, { swing_horizontal_mode: c.data.swing_horizontal_mode }),
    set_humidity: (c) => c.update(undefined, { humidity: c.data.humidity }),
    turn_on: (c) => {
      const modes = (c.state.attributes.hvac_modes as string[] | undefined) ?? [];
      if (c.state.state === 'off') c.update(modes.find((m) => m !== 'off') ?? 'heat');
    },
    turn_off: (c) => c.update('off'),
    toggle: (c) => {
      const modes = (c.state.attributes.hvac_modes as string[] | undefined) ?? [];
      c.update(c.state.state === 'off' ? (modes.find((m) => m !== 'off') ?? 'heat') : 'off');
    },
  },
};

export const waterHeater: DomainBehaviour = {
  entity: {
    set_temperature: (c) => c.update(undefined, { temperature: c.data.temperature }),
    set_operation_mode: (c) => c.update(String(c.data.operation_mode), { operation_mode: c.data.operation_mode }),
    set_away_mode: (c) => c.update(undefined, { away_mode: c.data.away_mode ? 'on' : 'off' }),
    turn_on: (c) => c.update('eco'),
    turn_off: (c) => c.update('off'),
  },
};
