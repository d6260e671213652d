// Waiting for a WebSocket edit to show in the live cache: the state (helpers) or the registry
// entry (areas, entities...) follows Home Assistant's events a moment after the answer.
import type { HomeCache } from '../ha/types.js';
import type { Applied } from './kind.js';
import { SETTLE_MS } from './settle.js';

/** Resolves once `ready()` holds, re-checked on every cache event of `event`, or after timeoutMs. */
export async function until(cache: HomeCache, event: 'state' | 'registry', ready: () => boolean, timeoutMs = SETTLE_MS): Promise<boolean> {
  if (ready()) return true;
  return new Promise<boolean>((resolve) => {
    const check = (): void => {
      if (!ready()) return;
      done(true);
    };
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      cache.off(event, check);
      resolve(ok);
    };
    const timer = setTimeout(() => done(ready()), timeoutMs);
    timer.unref?.();
    cache.on(event, check);
  });
}

/** An entity's state appearing (exists) or going; how it shows now. */
export async function entityShown(cache: HomeCache, entityId: string, exists: boolean): Promise<Applied> {
  const ok = await until(cache, 'state', () => (cache.getState(entityId) !== undefined) === exists);
  if (!exists) return ok ? {} : { entity_id: entityId, note: `Home Assistant still shows ${entityId}; it should go in a moment.` };
  const st = cache.getState(entityId);
  return st ? { entity_id: entityId, state: st.state } : { entity_id: entityId, note: `${entityId} has not appeared yet; check it in a moment.` };
}
