// The `subscribe_entities` wire format (compressed states) and how its frames turn into HaState.
// `a` adds or replaces entities, `c` carries per-entity diffs (`+` changed, `-` removed
// attributes), `r` removes entities. Times are epoch seconds as floats.
import type { Context, HaState } from './schemas.js';

export interface CompressedState {
  s: string;
  a: Record<string, unknown>;
  /** The context id alone when parent_id and user_id are null. */
  c: string | Context;
  lc: number;
  /** Only when last_updated differs from last_changed. */
  lu?: number;
}

export interface StateDiff {
  '+'?: {
    s?: string;
    a?: Record<string, unknown>;
    /** A new context id, or only the context fields that changed. */
    c?: string | Partial<Context>;
    lc?: number;
    lu?: number;
  };
  '-'?: { a?: string[] };
}

export interface EntitiesEvent {
  a?: Record<string, CompressedState>;
  c?: Record<string, StateDiff>;
  r?: string[];
}

/** Epoch seconds -> Home Assistant's ISO form with microseconds, e.g. 2026-11-21T16:24:16.622412+00:00. */
export function epochToIso(seconds: number): string {
  // Split off the whole seconds first (exact), as Python does: scaling the whole float by 1e6
  // would round some microseconds the other way.
  let whole = Math.floor(seconds);
  let micros = Math.round((seconds - whole) * 1e6);
  if (micros === 1_000_000) {
    whole += 1;
    micros = 0;
  }
  const iso = new Date(whole * 1000).toISOString(); // 2026-11-21T16:24:16.000Z
  return `${iso.slice(0, 19)}.${String(micros).padStart(6, '0')}+00:00`;
}

export function expandState(entityId: string, cs: CompressedState): HaState {
  const lastChanged = epochToIso(cs.lc);
  return {
    entity_id: entityId,
    state: cs.s,
    attributes: cs.a,
    last_changed: lastChanged,
    last_updated: cs.lu === undefined ? lastChanged : epochToIso(cs.lu),
    context: typeof cs.c === 'string' ? { id: cs.c, parent_id: null, user_id: null } : cs.c,
  };
}

/** A new state object with the diff applied; the old one is left untouched for event listeners. */
export function applyDiff(old: HaState, diff: StateDiff): HaState {
  const next: HaState = { ...old };
  const add = diff['+'];
  const removed = diff['-']?.a;
  if (add?.a || removed) {
    const attributes = { ...old.attributes, ...add?.a };
    for (const key of removed ?? []) delete attributes[key];
    next.attributes = attributes;
  }
  if (add) {
    if (add.s !== undefined) next.state = add.s;
    if (add.c !== undefined) {
      next.context = typeof add.c === 'string' ? { ...old.context, id: add.c } : { ...old.context, ...add.c };
    }
    // A new last_changed implies last_updated moved with it (Home Assistant then omits lu).
    if (add.lc !== undefined) next.last_changed = next.last_updated = epochToIso(add.lc);
    else if (add.lu !== undefined) next.last_updated = epochToIso(add.lu);
  }
  return next;
}
