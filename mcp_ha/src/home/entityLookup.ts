// Resolving entity ids the caller gives us; an unknown one names the closest existing ids.
import { AppError } from '../errors.js';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { homeLive } from './live.js';
import { namesOf } from './names/household.js';

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;
/** Home Assistant's MAX_LENGTH_STATE_ENTITY_ID (homeassistant/const.py). */
export const MAX_ENTITY_ID_LENGTH = 255;

/** Up to `n` existing entity ids closest to `query`: the household's learned names for it first, then the live search index. */
export function closestEntityIds(cache: HomeCache, query: string, n = 3): string[] {
  const learned = namesOf(cache)?.lookupId(query).map((h) => h.entity_id) ?? [];
  const found = homeLive(cache).search.search(query, n).map((h) => h.entity_id);
  return [...new Set([...learned, ...found])].slice(0, n);
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
  // Checked first, so that no caller (tools, resources/read) can make the lookup or the
  // closest-match search work on an unbounded string, nor have it echoed back.
  if (entityId.length > MAX_ENTITY_ID_LENGTH) {
    throw new AppError(
      'invalid_input',
      `The entity_id is ${entityId.length} characters long; Home Assistant allows at most ${MAX_ENTITY_ID_LENGTH}.`,
      'Use ha_search_entities or ha_list_states to find the right entity_id.',
      { details: { length: entityId.length, max_length: MAX_ENTITY_ID_LENGTH } },
    );
  }
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
