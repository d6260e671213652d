// The state machine: states by entity id, with HA's rules for last_changed / last_updated /
// last_reported, state_changed events, and cached JSON so big homes serve get_states quickly.
import type { SimContext, SimState } from '../model.js';
import { EventBus, type StateChangedEvent } from './bus.js';
import { newContext } from './context.js';
import { isoFromMicros, nowMicros } from '../util/time.js';

const ENTITY_ID_RE = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

export function validEntityId(id: string): boolean {
  return ENTITY_ID_RE.test(id);
}

export function domainOf(entityId: string): string {
  return entityId.slice(0, entityId.indexOf('.'));
}

function sameAttributes(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!(k in b)) return false;
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
  }
  return true;
}

export interface SetOptions {
  context?: SimContext;
  forceUpdate?: boolean;
}

export class StateStore {
  private states = new Map<string, SimState>();
  private json = new Map<string, string>();
  private allJson: string | null = null;
  private allBuffer: Buffer | null = null;
  /** Bumped on every change; lets caches elsewhere (history, compressed states) notice. */
  version = 0;

  constructor(readonly bus: EventBus, initial: SimState[] = []) {
    for (const s of initial) this.states.set(s.entity_id, s);
  }

  get(entityId: string): SimState | undefined {
    return this.states.get(entityId);
  }

  has(entityId: string): boolean {
    return this.states.has(entityId);
  }

  all(): SimState[] {
    return [...this.states.values()];
  }

  ids(): IterableIterator<string> {
    return this.states.keys();
  }

  get size(): number {
    return this.states.size;
  }

  /** JSON of one state, cached until it changes. */
  stateJson(entityId: string): string | undefined {
    let s = this.json.get(entityId);
    if (s === undefined) {
      const st = this.states.get(entityId);
      if (!st) return undefined;
      s = JSON.stringify(st);
      this.json.set(entityId, s);
    }
    return s;
  }

  /** JSON array of every state, cached until any state changes. */
  allStatesJson(): string {
    if (this.allJson === null) {
      const parts: string[] = [];
      for (const id of this.states.keys()) parts.push(this.stateJson(id)!);
      this.allJson = `[${parts.join(',')}]`;
    }
    return this.allJson;
  }

  /** The same as bytes, for REST answers (no re-encoding of a multi-megabyte string per request). */
  allStatesBuffer(): Buffer {
    this.allBuffer ??= Buffer.from(this.allStatesJson(), 'utf8');
    return this.allBuffer;
  }

  /**
   * hass.states.async_set: a new state or new attributes fire state_changed; the same state and
   * attributes only move last_reported (no event) unless force_update.
   * Returns the stored state and whether state_changed fired.
   */
  set(
    entityId: string,
    state: string,
    attributes: Record<string, unknown> = {},
    opts: SetOptions = {},
  ): { state: SimState; changed: boolean } {
    const old = this.states.get(entityId) ?? null;
    const us = nowMicros();
    const now = isoFromMicros(us);
    const sameState = old !== null && old.state === state;
    const sameAttrs = old !== null && sameAttributes(old.attributes, attributes);
    if (old && sameState && sameAttrs && !opts.forceUpdate) {
      // HA keeps the same object and bumps last_reported only; no state_changed.
      const updated: SimState = { ...old, last_reported: now };
      this.states.set(entityId, updated);
      this.invalidate(entityId);
      return { state: updated, changed: false };
    }
    const context = opts.context ?? newContext();
    const lastChanged = old && sameState && !opts.forceUpdate ? old.last_changed : now;
    const next: SimState = {
      entity_id: entityId,
      state,
      attributes,
      last_changed: lastChanged,
      last_reported: now,
      last_updated: now,
      context,
    };
    this.states.set(entityId, next);
    this.invalidate(entityId);
    const ev: StateChangedEvent = {
      event_type: 'state_changed',
      data: { entity_id: entityId, old_state: old, new_state: next },
      origin: 'LOCAL',
      time_fired: now,
      context,
    };
    this.bus.emit(ev);
    return { state: next, changed: true };
  }

  remove(entityId: string, context: SimContext = newContext()): boolean {
    const old = this.states.get(entityId);
    if (!old) return false;
    this.states.delete(entityId);
    this.invalidate(entityId);
    const ev: StateChangedEvent = {
      event_type: 'state_changed',
      data: { entity_id: entityId, old_state: old, new_state: null },
      origin: 'LOCAL',
      time_fired: isoFromMicros(nowMicros()),
      context,
    };
    this.bus.emit(ev);
    return true;
  }

  private invalidate(entityId: string): void {
    this.json.delete(entityId);
    this.allJson = null;
    this.allBuffer = null;
    this.version++;
  }
}
