// Completion values (MCP completion/complete) for entity ids, areas, domains and fixed choices:
// prefix matches first, in id order, then typo-tolerant matches from the live search index; at
// most 100 values. The sorted id lists are built once per entity-list change, so a keystroke
// costs a scan of string prefixes, not a sort, even in a 10,000-entity home; input is cut to
// MAX_COMPLETION_INPUT characters and the fuzzy search sees a few words at most.
import { distance } from 'fastest-levenshtein';
import type { HomeCache } from '../ha/types.js';
import { homeLive } from './live.js';
import { findArea, placementOf } from './placement.js';
import { ENTITY_URI_TEMPLATE } from './uris.js';

/** What MCP's completion result carries. */
export interface Completion {
  values: string[];
  /** Every match when it is known; absent when the fuzzy search was cut off. */
  total?: number;
  hasMore?: boolean;
}

export const MAX_COMPLETION_VALUES = 100;
/** Longer input is cut before matching (an entity id has at most 255 characters). */
export const MAX_COMPLETION_INPUT = 255;
/** The fuzzy search sees at most this many words (each costs one vocabulary lookup). */
const MAX_FUZZY_WORDS = 6;
const MAX_FUZZY_CHARS = 100;

/** The resource template whose `entity_id` variable completeResource() fills. */

const none = (): Completion => ({ values: [], total: 0, hasMore: false });

interface Index {
  /** All entity ids, sorted. */
  ids: string[];
  /** [object_id, entity_id] by object id: "kitch" finds light.kitchen_lights. */
  objects: [string, string][];
  domains: string[];
}

const indexes = new WeakMap<HomeCache, { index: Index | undefined }>();

function indexOf(cache: HomeCache): Index {
  let slot = indexes.get(cache);
  if (!slot) {
    const s: { index: Index | undefined } = { index: undefined };
    const drop = (): void => void (s.index = undefined);
    cache.on('entities', drop);
    cache.on('resync', drop);
    // A state for an id never seen is an entity that appeared; its 'entities' event may follow later.
    cache.on('state', (id: string, next: unknown, prev: unknown) => {
      if (!next !== !prev) drop();
    });
    slot = s;
    indexes.set(cache, slot);
  }
  if (!slot.index) {
    const ids = [...cache.states()].map((s) => s.entity_id).sort();
    const objects = ids.map((id): [string, string] => [id.slice(id.indexOf('.') + 1), id]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const domains = [...new Set(ids.map((id) => id.slice(0, id.indexOf('.'))))].sort();
    slot.index = { ids, objects, domains };
  }
  return slot.index;
}

const norm = (value: string): string => value.slice(0, MAX_COMPLETION_INPUT).trim().toLowerCase();

/** First index in a sorted list whose key is >= prefix. */
function lowerBound<T>(list: readonly T[], prefix: string, key: (t: T) => string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(list[mid] as T) < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Collects matches in order, without duplicates: every match counts, the first 100 are kept. */
class Collector {
  readonly seen = new Set<string>();
  readonly values: string[] = [];

  offer(value: string): void {
    if (this.seen.has(value)) return;
    this.seen.add(value);
    if (this.values.length < MAX_COMPLETION_VALUES) this.values.push(value);
  }

  get full(): boolean {
    return this.values.length >= MAX_COMPLETION_VALUES;
  }

  done(exactTotal = true): Completion {
    const total = this.seen.size;
    return exactTotal ? { values: this.values, total, hasMore: total > this.values.length } : { values: this.values, hasMore: true };
  }
}

export interface EntityFilter {
  /** Area id or name; an unknown area filters nothing (completion never fails). */
  area?: string | undefined;
  /** Only this domain. */
  domain?: string | undefined;
}

function entityAccept(cache: HomeCache, filter: EntityFilter): ((id: string) => boolean) | undefined {
  let areaId: string | undefined;
  if (filter.area) {
    try {
      areaId = findArea(cache, filter.area.slice(0, MAX_COMPLETION_INPUT));
    } catch {
      areaId = undefined;
    }
  }
  const prefix = filter.domain ? `${filter.domain.toLowerCase()}.` : undefined;
  if (!areaId && !prefix) return undefined;
  return (id) => (!prefix || id.startsWith(prefix)) && (!areaId || placementOf(cache, id).area_id === areaId);
}

/** Words for the fuzzy search: a few, from the first characters only. */
function fuzzyQuery(q: string): string {
  return q.slice(0, MAX_FUZZY_CHARS).split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean).slice(0, MAX_FUZZY_WORDS).join(' ');
}

/**
 * Entity ids for a partial value: "" lists the first 100 in id order; "light." that domain;
 * "light.kit" or "kit" by prefix of the id or of the object id; then typo-tolerant matches
 * ("kitchn") fill the remaining room.
 */
export function completeEntityId(cache: HomeCache, value: string, filter: EntityFilter = {}): Completion {
  if (!cache.loaded) return none();
  const q = norm(value);
  const { ids, objects, domains } = indexOf(cache);
  const accept = entityAccept(cache, filter);
  const dot = q.indexOf('.');
  const byObjectId = q !== '' && dot < 0;
  const values: string[] = [];
  let total = 0;
  const take = (id: string): void => {
    total++;
    if (values.length < MAX_COMPLETION_VALUES) values.push(id);
  };

  // 1. Ids that start with the input: one contiguous range of the sorted list.
  const lo = lowerBound(ids, q, (id) => id);
  const hi = q ? lowerBound(ids, `${q}\uffff`, (id) => id) : ids.length;
  if (!accept) {
    total += hi - lo;
    values.push(...ids.slice(lo, Math.min(hi, lo + MAX_COMPLETION_VALUES)));
  } else {
    for (let i = lo; i < hi; i++) if (accept(ids[i] as string)) take(ids[i] as string);
  }
  // 2. Object ids that start with it ("kitch": light.kitchen_lights), unless step 1 had them.
  const objectMatch = (id: string): boolean => byObjectId && id.startsWith(q, id.indexOf('.') + 1);
  if (byObjectId) {
    for (let i = lowerBound(objects, q, (o) => o[0]); i < objects.length; i++) {
      const [objectId, id] = objects[i] as [string, string];
      if (!objectId.startsWith(q)) break;
      if (!id.startsWith(q) && (!accept || accept(id))) take(id);
    }
  }
  // Nothing typed, the list already full, or a whole id typed: no guessing.
  if (!q || values.length >= MAX_COMPLETION_VALUES || cache.getState(q)) return { values, total, hasMore: total > values.length };

  // 3. Typos: "kitchn", "light.kitchn" (a real domain before the dot filters instead of matching words).
  const domain = dot > 0 && domains.includes(q.slice(0, dot)) ? q.slice(0, dot) : undefined;
  const query = fuzzyQuery(domain ? q.slice(dot + 1) : q);
  if (!query) return { values, total, hasMore: false };
  const room = MAX_COMPLETION_VALUES - values.length;
  const fresh = (id: string): boolean => !id.startsWith(q) && !objectMatch(id) && (!domain || id.startsWith(`${domain}.`)) && (!accept || accept(id));
  const hits = homeLive(cache).search.search(query, room + 1, fresh);
  for (const h of hits.slice(0, room)) values.push(h.entity_id);
  // Cut off: how many more the fuzzy search would find is unknown, so no total.
  return hits.length > room ? { values, hasMore: true } : { values, total: total + hits.length, hasMore: false };
}

interface Candidate {
  value: string;
  /** Whole names it answers to, lower case: its id, name, aliases. */
  names: string[];
  /** Their words. */
  words: string[];
}

const splitWords = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);

function candidate(value: string, ...names: (string | null | undefined)[]): Candidate {
  const all = [value, ...names.filter((n): n is string => !!n)].map((n) => n.toLowerCase());
  // "livingroom" should find living_room: each name also counts as one word without its separators.
  const squashed = all.map((n) => splitWords(n).join('')).filter(Boolean);
  return { value, names: [...new Set(all)], words: [...new Set([...all.flatMap(splitWords), ...squashed])] };
}

/** Typos between a query word and a word of the home: whole word, or the word's start ("kitchn" ~ "kitche[n]"). */
function typos(term: string, word: string): number {
  const whole = Math.abs(word.length - term.length) <= 2 ? distance(term, word) : Infinity;
  const prefix = word.length > term.length ? distance(term, word.slice(0, term.length)) : Infinity;
  return Math.min(whole, prefix);
}

/** Matches among a few hundred candidates: a name starts with the input, every word starts a word, then typos. */
function matchCandidates(candidates: readonly Candidate[], value: string): Completion {
  const q = norm(value);
  const out = new Collector();
  if (!q) {
    for (const c of candidates) out.offer(c.value);
    return out.done();
  }
  const terms = splitWords(q.slice(0, MAX_FUZZY_CHARS)).slice(0, MAX_FUZZY_WORDS);
  const joined = terms.join('_');
  for (const c of candidates) if (c.names.some((n) => n.startsWith(q) || (joined && n.startsWith(joined)))) out.offer(c.value);
  if (!terms.length) return out.done();
  for (const c of candidates) if (terms.every((t) => c.words.some((w) => w.startsWith(t)))) out.offer(c.value);
  const scored: [number, string][] = [];
  for (const c of candidates) {
    if (out.seen.has(c.value)) continue;
    let cost = 0;
    for (const t of terms) {
      const allowed = t.length >= 8 ? 2 : t.length >= 4 ? 1 : 0;
      const best = Math.min(...c.words.map((w) => typos(t, w)));
      if (best > allowed) {
        cost = Infinity;
        break;
      }
      cost += best;
    }
    if (cost !== Infinity) scored.push([cost, c.value]);
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  for (const [, v] of scored) out.offer(v);
  return out.done();
}

/** Area ids whose id, name or alias starts with (or is a typo away from) the input. */
export function completeArea(cache: HomeCache, value: string): Completion {
  if (!cache.loaded) return none();
  const candidates = [...cache.areas.values()]
    .sort((a, b) => (a.area_id < b.area_id ? -1 : 1))
    .map((a) => candidate(a.area_id, a.name, ...(a.aliases ?? [])));
  return matchCandidates(candidates, value);
}

/** Up to `n` area ids closest to `ref`, for an unknown area's suggestion. */
export function closestAreaIds(cache: HomeCache, ref: string, n = 3): string[] {
  return completeArea(cache, ref).values.slice(0, n);
}

/** Entity domains of the home (light, sensor...). */
export function completeDomain(cache: HomeCache, value: string): Completion {
  if (!cache.loaded) return none();
  return matchCandidates(indexOf(cache).domains.map((d) => candidate(d)), value);
}

/** A fixed list (an enum argument): prefix first, then a word prefix or a close typo. */
export function completeChoices(choices: readonly string[], value: string): Completion {
  return matchCandidates(choices.map((c) => candidate(c)), value);
}

/**
 * Completion by argument name, for prompt arguments and template variables: entity_id (filtered
 * by the request's other arguments `area` and `domain`), area, domain; anything else has none.
 */
export function completeArgument(cache: HomeCache, argument: string, value: string, context: Readonly<Record<string, string>> = {}): Completion {
  switch (argument) {
    case 'entity_id':
      return completeEntityId(cache, value, { area: context.area, domain: context.domain });
    case 'area':
      return completeArea(cache, value);
    case 'domain':
      return completeDomain(cache, value);
    default:
      return none();
  }
}

/** Completion for a resource template's variable: `entity_id` of hass://entity/{entity_id}. */
export function completeResource(cache: HomeCache, uriTemplate: string, variable: string, value: string, context: Readonly<Record<string, string>> = {}): Completion {
  if (uriTemplate !== ENTITY_URI_TEMPLATE || variable !== 'entity_id') return none();
  return completeArgument(cache, variable, value, context);
}
