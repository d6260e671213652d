// Before- and after-states around one service call. Targets are read before the call; entities
// the call changed besides its targets (a scene's lights, a script's switches) get their
// before-state from the cache events seen during the call, so that they can be undone too.
import type { HaState } from '../ha/schemas.js';
import type { HomeCache, ServiceCallResult } from '../ha/types.js';
import { snapshot, type EntitySnapshot } from './record.js';

export interface Watch {
  stop(): void;
  /** The state an entity had before its first change during the call. */
  previous(entityId: string): HaState | undefined;
}

export function watchChanges(cache: HomeCache): Watch {
  const first = new Map<string, HaState>();
  const onState = (id: string, _next: HaState | null, prev: HaState | null) => {
    if (prev && !first.has(id)) first.set(id, prev);
  };
  cache.on('state', onState);
  return { stop: () => void cache.off('state', onState), previous: (id) => first.get(id) };
}

export interface Captured {
  after: Record<string, EntitySnapshot>;
  /** Entities changed by the call that were not targets, with their before-states. */
  others: Record<string, EntitySnapshot>;
}

export function capture(targets: readonly string[], result: ServiceCallResult, watch: Watch, cache: HomeCache): Captured {
  const changed = new Map(result.changed_states.map((s) => [s.entity_id, s]));
  const out: Captured = { after: {}, others: {} };
  for (const id of targets) {
    const snap = snapshot(changed.get(id) ?? cache.getState(id));
    if (snap) out.after[id] = snap;
  }
  for (const [id, state] of changed) {
    if (targets.includes(id)) continue;
    // Without an event yet (REST calls), the cache still holds the old state unless it already has this one.
    const current = cache.getState(id);
    const prev = watch.previous(id) ?? (current && current.context.id !== state.context.id ? current : undefined);
    const before = snapshot(prev);
    const after = snapshot(state);
    if (before && after) {
      out.others[id] = before;
      out.after[id] = after;
    }
  }
  return out;
}
