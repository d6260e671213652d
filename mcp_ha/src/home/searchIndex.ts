// A live fuzzy index of the home's entities. Typo tolerance comes from fuse.js over the home's
// vocabulary (a few thousand distinct words even in a 10,000-entity home); an inverted index maps
// those words to entities, so a search costs the same in a small and a big home. Entities that
// match more of the query's words rank first, rare words weigh more, and words of the entity's
// own id, name and aliases weigh more than words of its area and device.
// Kept current from cache events: a new, removed or renamed entity is patched in; a registry
// change (area or device renamed, aliases edited) or a resync rebuilds it once, soon after.
import { distance } from 'fastest-levenshtein';
import Fuse from 'fuse.js';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { deviceName, entityName, placementOf } from './placement.js';

export interface SearchHit {
  entity_id: string;
  /** 0..1, higher is better. */
  score: number;
}

interface Doc {
  /** Words of the entity_id, name and aliases. */
  main: Set<string>;
  /** Words of the area and device names not already in main. */
  where: Set<string>;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const REBUILD_DELAY_MS = 50;
/** fuse.js finds candidate words (score 0 exact .. 1); wordQuality then grades them. */
const WORD_THRESHOLD = 0.4;
const CANDIDATE_WORDS = 100;
const WHERE_WEIGHT = 0.6;
/**
 * Bounds that make a search cost the same however long the query (an unknown entity_id of any
 * length asks for suggestions too): only the first MAX_QUERY characters are read (entity ids
 * are at most 255), at most MAX_TERMS distinct words of them are looked up, and a word longer
 * than MAX_TERM is looked up in no vocabulary (fuse.js's cost grows with the pattern's length,
 * and no home's word that long is typed). A word skipped still counts as unmatched.
 */
export const MAX_QUERY = 300;
export const MAX_TERMS = 16;
export const MAX_TERM = 64;

const words = (text: string): string[] => text.toLowerCase().match(WORD) ?? [];

/**
 * How well a home's word matches a query word, 0 (not at all) to 1 (equal): a prefix ("temp"),
 * one typo (two in long words), or a typo'd prefix ("temprat"). fuse.js alone also accepts a
 * short word found inside a long one ("bed" in "limited"), which is noise here.
 */
function wordQuality(term: string, word: string): number {
  if (word === term) return 1;
  if (term.length >= 3 && word.startsWith(term)) return 0.9;
  const allowed = term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0;
  if (!allowed) return 0;
  if (Math.abs(word.length - term.length) <= allowed) {
    const d = distance(term, word);
    if (d <= allowed) return 0.8 - 0.1 * d;
  }
  return term.length >= 5 && word.length > term.length && distance(term, word.slice(0, term.length)) <= 1 ? 0.6 : 0;
}


export class EntitySearchIndex {
  private built = false;
  private rebuild: NodeJS.Timeout | undefined;
  private readonly docs = new Map<string, Doc>();
  private readonly postings = new Map<string, Set<string>>();
  private vocabulary = new Fuse<string>([], { includeScore: true, threshold: WORD_THRESHOLD, ignoreLocation: true });

  constructor(private readonly cache: HomeCache) {
    cache.on('state', this.onState);
    cache.on('entities', this.onEntities);
    cache.on('registry', this.markDirty);
    cache.on('resync', this.markDirty);
    if (cache.ready) this.markDirty();
  }

  /** Best matches first; `accept` filters before the limit applies. */
  search(query: string, limit: number, accept?: (entityId: string) => boolean): SearchHit[] {
    this.ensureBuilt();
    const text = query.length > MAX_QUERY ? query.slice(0, MAX_QUERY) : query;
    const exact = query.length > MAX_QUERY ? '' : text.trim().toLowerCase();
    const hits: SearchHit[] = this.docs.has(exact) && (!accept || accept(exact)) ? [{ entity_id: exact, score: 1 }] : [];
    const terms = [...new Set(words(text))].slice(0, MAX_TERMS);
    if (!terms.length) return hits;

    // Per entity: how many query words it matches, and how well (quality x rarity x field).
    const found = new Map<string, { covered: number; quality: number }>();
    let maxQuality = 0;
    for (const term of terms) {
      const best = new Map<string, number>();
      let termWeight = 0;
      const candidates = term.length > MAX_TERM ? [] : this.vocabulary.search(term, { limit: CANDIDATE_WORDS });
      for (const { item: word } of candidates) {
        const ids = this.postings.get(word);
        const quality = wordQuality(term, word);
        if (!ids?.size || !quality) continue;
        const idf = Math.log(1 + this.docs.size / ids.size);
        termWeight = Math.max(termWeight, idf);
        for (const id of ids) {
          const doc = this.docs.get(id);
          const q = quality * idf * (doc?.main.has(word) ? 1 : WHERE_WEIGHT);
          if (q > (best.get(id) ?? 0)) best.set(id, q);
        }
      }
      maxQuality += termWeight;
      for (const [id, q] of best) {
        const f = found.get(id) ?? { covered: 0, quality: 0 };
        f.covered++;
        f.quality += q;
        found.set(id, f);
      }
    }
    const score = (f: { covered: number; quality: number }): number =>
      0.7 * (f.covered / terms.length) + 0.3 * (maxQuality ? f.quality / maxQuality : 0);
    const ranked = [...found]
      .filter(([id]) => id !== exact && (!accept || accept(id)))
      .map(([id, f]) => ({ entity_id: id, score: score(f), size: this.docs.get(id)?.main.size ?? 0 }))
      // On a tie the entity with fewer words wins: "kitchen temperature" over "downstairs kitchen temperature".
      .sort((a, b) => b.score - a.score || a.size - b.size || (a.entity_id < b.entity_id ? -1 : 1));
    for (const r of ranked.slice(0, limit - hits.length)) hits.push({ entity_id: r.entity_id, score: Math.round(r.score * 100) / 100 });
    return hits;
  }

  private ensureBuilt(): void {
    if (this.built) return;
    this.docs.clear();
    this.postings.clear();
    for (const s of this.cache.states()) this.put(s.entity_id, this.docFor(s.entity_id, s));
    this.vocabulary = new Fuse([...this.postings.keys()], { includeScore: true, threshold: WORD_THRESHOLD, ignoreLocation: true });
    this.built = true;
  }

  private docFor(id: string, state: HaState | undefined): Doc {
    const entry = this.cache.entities.get(id);
    const aliases = (entry?.aliases ?? []).filter((a): a is string => typeof a === 'string');
    const main = new Set(words(`${id} ${entityName(this.cache, state, id)} ${aliases.join(' ')}`));
    const place = placementOf(this.cache, id);
    const area = place.area_id ? this.cache.areas.get(place.area_id) : undefined;
    const whereText = `${area?.name ?? ''} ${(area?.aliases ?? []).join(' ')} ${deviceName(this.cache, place.device_id) ?? ''}`;
    return { main, where: new Set(words(whereText).filter((w) => !main.has(w))) };
  }

  /** Adds a document; words new to the home join the vocabulary once the index is built. */
  private put(id: string, doc: Doc): void {
    this.docs.set(id, doc);
    for (const w of [...doc.main, ...doc.where]) {
      let ids = this.postings.get(w);
      if (!ids) {
        ids = new Set();
        this.postings.set(w, ids);
        if (this.built) this.vocabulary.add(w);
      }
      ids.add(id);
    }
  }

  /** Removes a document; a word left without entities stays in the vocabulary until the next rebuild. */
  private drop(id: string): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    this.docs.delete(id);
    for (const w of [...doc.main, ...doc.where]) this.postings.get(w)?.delete(id);
  }

  private upsert(id: string, state: HaState | undefined): void {
    if (!this.built) return;
    const doc = this.docFor(id, state);
    const old = this.docs.get(id);
    if (old && sameWords(old.main, doc.main) && sameWords(old.where, doc.where)) return;
    this.drop(id);
    this.put(id, doc);
  }

  private readonly onState = (id: string, next: HaState | null, prev: HaState | null): void => {
    if (!this.built) return;
    if (!next) this.drop(id);
    else if (!prev || !this.docs.has(id) || prev.attributes.friendly_name !== next.attributes.friendly_name) this.upsert(id, next);
  };

  private readonly onEntities = (change: { added?: string[]; removed?: string[] }): void => {
    if (!this.built) return;
    for (const id of change.removed ?? []) if (!this.cache.getState(id)) this.drop(id);
    for (const id of change.added ?? []) if (!this.docs.has(id)) this.upsert(id, this.cache.getState(id));
  };

  /** Rebuilds soon after a burst of registry events, off the request path. */
  private readonly markDirty = (): void => {
    this.built = false;
    clearTimeout(this.rebuild);
    this.rebuild = setTimeout(() => this.ensureBuilt(), REBUILD_DELAY_MS);
    this.rebuild.unref();
  };
}

function sameWords(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((w) => b.has(w));
}
