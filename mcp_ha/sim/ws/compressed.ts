// subscribe_entities' compressed states and diffs (homeassistant.core's _compressed_state /
// _state_diff), with the same key order.
import type { SimContext, SimState } from '../model.js';
import { parseIsoMicros } from '../util/time.js';

const epoch = (iso: string): number => (parseIsoMicros(iso) ?? 0) / 1_000_000;

function ctx(c: SimContext): string | SimContext {
  return c.parent_id === null && c.user_id === null ? c.id : c;
}

const cache = new WeakMap<SimState, string>();

export function compressedState(s: SimState): Record<string, unknown> {
  const out: Record<string, unknown> = { s: s.state, a: s.attributes, c: ctx(s.context), lc: epoch(s.last_changed) };
  if (s.last_updated !== s.last_changed) out.lu = epoch(s.last_updated);
  return out;
}

/** JSON of a compressed state, computed once per state object. */
export function compressedJson(s: SimState): string {
  let j = cache.get(s);
  if (j === undefined) {
    j = JSON.stringify(compressedState(s));
    cache.set(s, j);
  }
  return j;
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

export function stateDiff(old: SimState, next: SimState): Record<string, unknown> {
  const additions: Record<string, unknown> = {};
  const diff: Record<string, unknown> = { '+': additions };
  if (old.state !== next.state) additions.s = next.state;
  if (old.last_changed !== next.last_changed) additions.lc = epoch(next.last_changed);
  else if (old.last_updated !== next.last_updated) additions.lu = epoch(next.last_updated);
  const oc = old.context;
  const nc = next.context;
  if (oc.parent_id !== nc.parent_id) additions.c = { parent_id: nc.parent_id };
  if (oc.user_id !== nc.user_id) {
    if (additions.c) (additions.c as Record<string, unknown>).user_id = nc.user_id;
    else additions.c = { user_id: nc.user_id };
  }
  if (oc.id !== nc.id) {
    if (additions.c) (additions.c as Record<string, unknown>).id = nc.id;
    else additions.c = nc.id;
  }
  const oa = old.attributes;
  const na = next.attributes;
  if (oa !== na) {
    let changed: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(na)) {
      const before = k in oa ? oa[k] : null;
      if (!same(before, v)) (changed ??= {})[k] = v;
    }
    if (changed) additions.a = changed;
    const removed = Object.keys(oa).filter((k) => !(k in na));
    if (removed.length) diff['-'] = { a: removed };
  }
  return diff;
}
