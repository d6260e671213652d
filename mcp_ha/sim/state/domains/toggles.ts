// Entities that are simply on or off: switch, input_boolean, siren, humidifier, and the
// homeassistant.turn_on/off/toggle fallback for them.
import type { DomainBehaviour, EntityCall } from './types.js';

export const on = (c: EntityCall): void => c.update('on');
export const off = (c: EntityCall): void => c.update('off');
export const toggle = (c: EntityCall): void => c.update(c.state.state === 'on' ? 'off' : 'on');

export const onOff: DomainBehaviour = { entity: { turn_on: on, turn_off: off, toggle } };

export const humidifier: DomainBehaviour = {
  entity: {
    turn_on: on,
    turn_off: off,
    toggle,
    set_humidity: (c) => c.update(undefined, { humidity: c.data.humidity }),
    set_mode: (c) => c.update(undefined, { mode: c.data.mode }),
  },
};
