// The event bus: every event the simulated Home Assistant fires (state_changed, call_service,
// registry updates, custom events) goes through here to the WS subscriptions.
import type { SimContext, SimState } from '../model.js';
import { isoNow } from '../util/time.js';

export interface SimEvent {
  event_type: string;
  data: Record<string, unknown>;
  origin: 'LOCAL' | 'REMOTE';
  time_fired: string;
  context: SimContext;
}

/** A state_changed event with its states kept typed, so subscribers need not re-parse. */
export interface StateChangedEvent extends SimEvent {
  event_type: 'state_changed';
  data: { entity_id: string; old_state: SimState | null; new_state: SimState | null };
}

export type Listener = (ev: SimEvent) => void;

// The JSON text of an event is computed once, however many sockets it goes to.
const jsonCache = new WeakMap<SimEvent, string>();
export function eventJson(ev: SimEvent): string {
  let s = jsonCache.get(ev);
  if (s === undefined) {
    s = JSON.stringify(ev);
    jsonCache.set(ev, s);
  }
  return s;
}

export class EventBus {
  private listeners = new Set<Listener>();

  listen(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  fire(
    eventType: string,
    data: Record<string, unknown>,
    context: SimContext,
    origin: 'LOCAL' | 'REMOTE' = 'LOCAL',
    timeFired: string = isoNow(),
  ): SimEvent {
    const ev: SimEvent = { event_type: eventType, data, origin, time_fired: timeFired, context };
    this.emit(ev);
    return ev;
  }

  emit(ev: SimEvent): void {
    for (const fn of this.listeners) {
      // One broken subscriber must not break the service call that changed the state.
      try {
        fn(ev);
      } catch (err) {
        console.error('simulator: event listener failed:', err);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
