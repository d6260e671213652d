// Waiting for Home Assistant to apply a config write: the reload runs after the REST answer, so
// the entity appears, changes (unavailable, then back) or goes a moment later. The watch starts
// before the write, so events that arrive before the answer count too.
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import type { Applied } from './kind.js';

/** How long a write answer waits for its entity; past it the answer says it has not shown yet. */
export const SETTLE_MS = 3000;

/**
 * Watches the entity of one object: `known` (its entity id now, if any) or any entity whose
 * state carries `attributes.id === id` (automations, scenes).
 */
export function watchEntity(cache: HomeCache, id: string, known: string | undefined, byAttributeId: boolean, timeoutMs = SETTLE_MS): { done(exists: boolean): Promise<Applied> } {
  let entityId = known;
  let shown: HaState | undefined;
  let gone = false;
  let wake: (() => void) | undefined;
  const matches = (eid: string, s: HaState | null): boolean => eid === entityId || (byAttributeId && s?.attributes.id === id);
  const onState = (eid: string, next: HaState | null, prev: HaState | null): void => {
    if (!matches(eid, next) && !matches(eid, prev)) return;
    entityId = eid;
    if (next === null) gone = true;
    else if (next.state !== 'unavailable' && (prev === null || prev.state === 'unavailable')) shown = next;
    wake?.();
  };
  cache.on('state', onState);
  return {
    async done(exists) {
      const ready = (): boolean => (exists ? shown !== undefined : gone || entityId === undefined || !cache.getState(entityId));
      try {
        if (!ready()) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            timer.unref?.();
            wake = () => {
              if (ready()) {
                clearTimeout(timer);
                resolve();
              }
            };
          });
        }
      } finally {
        cache.off('state', onState);
      }
      if (!exists) return ready() ? {} : { entity_id: entityId, note: `Home Assistant still shows ${entityId}; it should go in a moment.` };
      if (shown) return { entity_id: shown.entity_id, state: shown.state };
      const now = entityId ? cache.getState(entityId) : undefined;
      return { entity_id: entityId, state: now?.state, note: `Home Assistant has not reloaded it within ${Math.round(timeoutMs / 1000)} s; check its entity in a moment.` };
    },
  };
}
