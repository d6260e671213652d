// Covers: open/close/stop/position/tilt. Covers with a position move: they report
// opening/closing at once and reach the target after a travel time (10 ms per percent).
import type { DomainBehaviour, EntityCall } from './types.js';

const MS_PER_PERCENT = 10;

function moveTo(c: EntityCall, target: number): void {
  const a = c.state.attributes;
  if (!('current_position' in a)) {
    c.update(target > 0 ? 'open' : 'closed');
    return;
  }
  const from = Number(a.current_position ?? 0);
  if (from === target) {
    c.update(target > 0 ? 'open' : 'closed');
    return;
  }
  c.update(target > from ? 'opening' : 'closing');
  const entityId = c.entityId;
  const context = c.context;
  c.home.later(Math.abs(target - from) * MS_PER_PERCENT, () => {
    const cur = c.home.store.get(entityId);
    if (!cur || (cur.state !== 'opening' && cur.state !== 'closing')) return;
    c.home.store.set(entityId, target > 0 ? 'open' : 'closed', { ...cur.attributes, current_position: target }, { context });
  });
}

function stop(c: EntityCall): void {
  if (c.state.state === 'opening' || c.state.state === 'closing') {
    const pos = Number(c.state.attributes.current_position ?? 0);
    c.update(pos > 0 ? 'open' : 'closed');
  }
}

function tilt(c: EntityCall, to: number): void {
  if ('current_tilt_position' in c.state.attributes) c.update(undefined, { current_tilt_position: to });
}

export const cover: DomainBehaviour = {
  entity: {
    open_cover: (c) => moveTo(c, 100),
    close_cover: (c) => moveTo(c, 0),
    stop_cover: stop,
    toggle: (c) => moveTo(c, c.state.state === 'closed' || c.state.state === 'closing' ? 100 : 0),
    set_cover_position: (c) => moveTo(c, Number(c.data.position)),
    open_cover_tilt: (c) => tilt(c, 100),
    close_cover_tilt: (c) => tilt(c, 0),
    stop_cover_tilt: () => undefined,
    set_cover_tilt_position: (c) => tilt(c, Number(c.data.tilt_position)),
    toggle_cover_tilt: (c) => tilt(c, Number(c.state.attributes.current_tilt_position ?? 0) > 0 ? 0 : 100),
  },
};

export const valve: DomainBehaviour = {
  entity: {
    open_valve: (c) => moveTo(c, 100),
    close_valve: (c) => moveTo(c, 0),
    stop_valve: stop,
    toggle: (c) => moveTo(c, c.state.state === 'closed' ? 100 : 0),
    set_valve_position: (c) => moveTo(c, Number(c.data.position)),
  },
};
