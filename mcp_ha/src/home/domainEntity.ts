// An entity of one domain (a camera, a calendar, a to-do list): an unknown id, or one of another
// domain, names the closest entities of that domain, so that a model can pick the right one.
import { distance } from 'fastest-levenshtein';
import { AppError } from '../errors.js';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';

const LISTED = 5;

/** Entities of `domain`, closest to `query` first (by object id and name). */
export function closestOfDomain(cache: HomeCache, domain: string, query: string, n = LISTED): string[] {
  const q = query.toLowerCase().slice(0, 100);
  const bare = q.includes('.') ? q.slice(q.indexOf('.') + 1) : q;
  const scored: { id: string; score: number }[] = [];
  for (const s of cache.states()) {
    if (!s.entity_id.startsWith(`${domain}.`)) continue;
    const object = s.entity_id.slice(domain.length + 1);
    const name = String(s.attributes.friendly_name ?? '').toLowerCase().replace(/\s+/g, '_');
    const contains = object.includes(bare) || bare.includes(object) || (name !== '' && (name.includes(bare) || bare.includes(name)));
    scored.push({ id: s.entity_id, score: Math.min(distance(bare, object), name ? distance(bare, name) : Infinity) - (contains ? 100 : 0) });
  }
  return scored.sort((a, b) => a.score - b.score || a.id.localeCompare(b.id)).slice(0, n).map((s) => s.id);
}

/** The state of `entityId`, which must be an existing entity of `domain`; else entity_not_found naming the closest. */
export function requireOfDomain(cache: HomeCache, entityId: string, domain: string, what: string): HaState {
  const state = entityId.startsWith(`${domain}.`) ? cache.getState(entityId) : undefined;
  if (state) return state;
  const closest = closestOfDomain(cache, domain, entityId);
  const shown = entityId.slice(0, 100);
  const message = cache.getState(entityId) ? `${shown} is not a ${what}.` : `There is no ${what} ${shown}.`;
  const suggestion = closest.length ? `Did you mean ${closest.join(', ')}?` : `This home has no ${what}; ha_search_entities finds what it has.`;
  throw new AppError('entity_not_found', message, suggestion, { details: { entity_id: shown, closest } });
}

/** Every entity of `domain`, sorted by id. */
export function entitiesOfDomain(cache: HomeCache, domain: string): HaState[] {
  const out: HaState[] = [];
  for (const s of cache.states()) if (s.entity_id.startsWith(`${domain}.`)) out.push(s);
  return out.sort((a, b) => a.entity_id.localeCompare(b.entity_id));
}
