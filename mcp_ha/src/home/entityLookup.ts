// Resolving entity ids the caller gives us; an unknown one names the closest existing ids.
import { AppError } from '../errors.js';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { homeLive } from './live.js';

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

/** Up to `n` existing entity ids closest to `query`, from the live search index. */
export function closestEntityIds(cache: HomeCache, query: string, n = 3): string[] {
  return homeLive(cache).search.search(query, n).map((h) => h.entity_id);
}

export function entityNotFound(cache: HomeCache, entityId: string): AppError {
  const closest = closestEntityIds(cache, entityId);
  const suggestion = closest.length
    ? `Did you mean ${closest.join(', ')}? Use ha_search_entities or ha_list_states to find the right id.`
    : 'Use ha_search_entities or ha_list_states to find the right entity_id.';
  return new AppError('entity_not_found', `Entity ${entityId} not found.`, suggestion, {
    details: { entity_id: entityId, closest },
  });
}

/** The entity's current state, or an entity_not_found error with the closest matches. */
export function requireState(cache: HomeCache, entityId: string): HaState {
  if (!ENTITY_ID.test(entityId)) {
    throw new AppError(
      'invalid_input',
      `"${entityId}" is not an entity_id.`,
      'An entity_id looks like "light.kitchen": domain, a dot, then the object id in lower case.',
    );
  }
  const state = cache.getState(entityId);
  if (!state) throw entityNotFound(cache, entityId);
  return state;
}
