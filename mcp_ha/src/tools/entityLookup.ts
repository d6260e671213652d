// Resolving entity ids the caller gives us; an unknown one names the closest existing ids.
import Fuse from 'fuse.js';
import { AppError } from '../errors.js';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

/** Up to `n` existing entity ids closest to `query` (typo tolerant, over ids and friendly names). */
export function closestEntityIds(cache: HomeCache, query: string, n = 3): string[] {
  const docs = [...cache.states()].map((s) => ({
    id: s.entity_id,
    name: typeof s.attributes.friendly_name === 'string' ? s.attributes.friendly_name : '',
  }));
  const fuse = new Fuse(docs, { keys: ['id', 'name'], threshold: 0.5, ignoreLocation: true });
  return fuse.search(query, { limit: n }).map((r) => r.item.id);
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
