// Fans: percentage in steps, preset modes, oscillation and direction.
import type { DomainBehaviour, EntityCall } from './types.js';

function setPercentage(c: EntityCall, pct: number): void {
  if (pct <= 0) {
    c.update('off', { percentage: 0, ...('preset_mode' in c.state.attributes ? { preset_mode: null } : {}) });
    return;
  }
  c.update('on', { percentage: Math.min(100, Math.round(pct)), ...('preset_mode' in c.state.attributes ? { preset_mode: null } : {}) });
}

function turnOn(c: EntityCall): void {
  const a = c.state.attributes;
  if (typeof c.data.percentage === 'number') return setPercentage(c, c.data.percentage);
  if (typeof c.data.preset_mode === 'string') return c.update('on', { preset_mode: c.data.preset_mode });
  const next: Record<string, unknown> = {};
  if ('percentage' in a && !a.percentage) next.percentage = Math.round(Number(a.percentage_step ?? 33.333333333333336));
  c.update('on', next);
}

function turnOff(c: EntityCall): void {
  const a = c.state.attributes;
  const next: Record<string, unknown> = {};
  if ('percentage' in a) next.percentage = 0;
  if ('preset_mode' in a) next.preset_mode = null;
  c.update('off', next);
}

function step(c: EntityCall, dir: 1 | -1): void {
  const stepSize = Number(c.state.attributes.percentage_step ?? 33.333333333333336);
  const cur = Number(c.state.attributes.percentage ?? 0);
  const by = typeof c.data.percentage_step === 'number' ? c.data.percentage_step : stepSize;
  setPercentage(c, Math.max(0, Math.min(100, cur + dir * by)));
}

export const fan: DomainBehaviour = {
  entity: {
    turn_on: turnOn,
    turn_off: turnOff,
    toggle: (c) => (c.state.state === 'on' ? turnOff(c) : turnOn(c)),
    set_percentage: (c) => setPercentage(c, Number(c.data.percentage)),
    increase_speed: (c) => step(c, 1),
    decrease_speed: (c) => step(c, -1),
    set_preset_mode: (c) => c.update('on', { preset_mode: c.data.preset_mode }),
    oscillate: (c) => c.update(undefined, { oscillating: Boolean(c.data.oscillating) }),
    set_direction: (c) => c.update(undefined, { direction: c.data.direction }),
  },
};
