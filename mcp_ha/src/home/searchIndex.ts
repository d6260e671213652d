// A live fuzzy index of the home's entities. Typo tolerance comes from fuse.js over the home's
// vocabulary (a few thousand distinct words even in a 10,000-entity home); an inverted index maps
// those words to entities, so a search costs the same in a small and a big home. Entities that
// match more of the query's words rank first, rare words weigh more, and words of the entity's
// own id, name and aliases weigh more than words of its area and device. A query word may also name what the entity is (src/home/kinds.ts: "lamp" and
// "lite" name lights, "blind" covers, "leak" moisture sensors, in several languages): that
// counts as a match, and lifts an entity that matches the word by name too. Plurals match their
// singular; "livingroom" is read as "living room" and "bed room" as "bedroom" when the home has
// those words. On a tie, entities with fewer words win, and entities Home Assistant files as
// configuration or diagnostics (entity_category) or hides come after the others.
// Kept current from cache events: a new, removed or renamed entity is patched in; a registry
// change (area or device renamed, aliases edited) or a resync rebuilds it once, soon after.
import Fuse from 'fuse.js';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { fold, kindsNamed, kindsOf, osa, stem } from './kinds.js';
import { deviceName, entityName, placementOf } from './placement.js';

export interface SearchHit {
  entity_id: string;
  /** 0..1, higher is better. */
  score: number;
}

/**
 * An entity's words, each the one string instance the index keeps for it (a 10,000-entity home
 * has a few thousand distinct words): those of its entity_id, name and aliases first (`main` of
 * them), then those of its area (name, aliases) and device names not already among them.
 */
interface Doc {
  words: string[];
  main: number;
  /** Domain, device class and what it implies (kinds.ts); one shared array per combination. */
  kinds: readonly string[];
  /** Configuration or diagnostic entity, or hidden: after the others on a tie. */
  minor: boolean;
  /** How many words its id and name have (fewer wins a tie). */
  size: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
const REBUILD_DELAY_MS = 50;
/** fuse.js finds candidate words (score 0 exact .. 1); wordQuality then grades them. */
const WORD_THRESHOLD = 0.4;
const CANDIDATE_WORDS = 100;
const WHERE_WEIGHT = 0.6;
/** A word naming the entity's kind counts a little less than one of its own words... */
const KIND_WEIGHT = 0.8;
/** ...and adds this share of the smaller of the two when the entity has both. */
const BOTH_BONUS = 0.25;
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

/** Folded words; single letters other than digits ("kid's" -> kid) carry nothing. */
const words = (text: string): string[] => (fold(text).match(WORD) ?? []).filter((w) => w.length > 1 || /\d/.test(w));

/**
 * How well a home's word matches a query word, 0 (not at all) to 1 (equal): the same word in
 * singular or plural, a prefix ("temp"), one typo or transposition (two in long words), or a
 * typo'd prefix ("temprat"). fuse.js alone also accepts a short word found inside a long one
 * ("bed" in "limited"), which is noise here.
 */
function wordQuality(term: string, word: string): number {
  if (word === term) return 1;
  if (stem(word) === stem(term)) return 0.95;
  if (term.length >= 3 && word.startsWith(term)) return 0.9;
  const allowed = term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0;
  if (!allowed) return 0;
  if (Math.abs(word.length - term.length) <= allowed) {
    const d = osa(term, word, allowed);
    if (d <= allowed) return 0.8 - 0.1 * d;
  }
  return term.length >= 5 && word.length > term.length && osa(term, word.slice(0, term.length), 1) <= 1 ? 0.6 : 0;
}

export class EntitySearchIndex {
  private built = false;
  private rebuild: NodeJS.Timeout | undefined;
  private readonly docs = new Map<string, Doc>();
  /** Word -> the entities with it (each once); `word` is the one instance of the word docs share. */
  private readonly postings = new Map<string, { word: string; ids: string[] }>();
  private readonly kindPostings = new Map<string, string[]>();
  private readonly kindLists = new Map<string, readonly string[]>();
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
    const terms = this.terms(text);
    if (!terms.length) return hits;

    // Per entity: how many query words it matches, and how well (quality x rarity x field).
    const found = new Map<string, { covered: number; quality: number }>();
    let maxQuality = 0;
    for (const term of terms) {
      const byWord = new Map<string, number>();
      const byKind = new Map<string, number>();
      let termWeight = 0;
      let wordWeight = 0;
      const candidates = term.length > MAX_TERM ? [] : this.vocabulary.search(term, { limit: CANDIDATE_WORDS });
      for (const { item: word } of candidates) {
        const ids = this.postings.get(word)?.ids;
        const quality = wordQuality(term, word);
        if (!ids?.length || !quality) continue;
        const idf = Math.log(1 + this.docs.size / ids.length);
        termWeight = Math.max(termWeight, idf);
        wordWeight = Math.max(wordWeight, quality * idf);
        for (const id of ids) {
          const doc = this.docs.get(id);
          const field = !doc || doc.words.indexOf(word) < doc.main ? 1 : WHERE_WEIGHT;
          const q = quality * idf * field;
          if (q > (byWord.get(id) ?? 0)) byWord.set(id, q);
        }
      }
      if (term.length <= MAX_TERM) {
        for (const [kind, quality] of kindsNamed(term)) {
          const ids = this.kindPostings.get(kind);
          if (!ids?.length) continue;
          // The word's own rarity where it also names entities by name ("lights" in a few
          // automations' names must not outweigh the lights themselves), else the kind's.
          const weight = quality * Math.max(KIND_WEIGHT * Math.log(1 + this.docs.size / ids.length), wordWeight);
          termWeight = Math.max(termWeight, weight);
          for (const id of ids) {
            const q = weight;
            if (q > (byKind.get(id) ?? 0)) byKind.set(id, q);
          }
        }
      }
      maxQuality += termWeight * (1 + BOTH_BONUS);
      const add = (id: string, q: number): void => {
        const f = found.get(id) ?? { covered: 0, quality: 0 };
        f.covered++;
        f.quality += q;
        found.set(id, f);
      };
      for (const [id, w] of byWord) {
        const k = byKind.get(id) ?? 0;
        add(id, Math.max(w, k) + BOTH_BONUS * Math.min(w, k));
      }
      for (const [id, k] of byKind) if (!byWord.has(id)) add(id, k);
    }
    const score = (f: { covered: number; quality: number }): number =>
      0.7 * (f.covered / terms.length) + 0.3 * (maxQuality ? f.quality / maxQuality : 0);
    const ranked: { entity_id: string; score: number; size: number; minor: boolean }[] = [];
    for (const [id, f] of found) {
      if (id === exact || (accept && !accept(id))) continue;
      const doc = this.docs.get(id);
      ranked.push({ entity_id: id, score: Math.round(score(f) * 100) / 100, size: doc?.size ?? 0, minor: doc?.minor ?? false });
    }
    // On a tie the entity with fewer words wins ("kitchen temperature" over "downstairs kitchen
    // temperature"), after the ones that are not configuration or diagnostics.
    ranked.sort((a, b) => b.score - a.score || Number(a.minor) - Number(b.minor) || a.size - b.size || (a.entity_id < b.entity_id ? -1 : 1));
    for (const r of ranked.slice(0, limit - hits.length)) hits.push({ entity_id: r.entity_id, score: r.score });
    return hits;
  }

  /**
   * The query's distinct words, at most MAX_TERMS: two neighbours that together are a word of
   * the home become that word ("bed room" -> bedroom), and a word the home does not have that
   * splits into two it has becomes those two ("livingroom" -> living room).
   */
  private terms(text: string): string[] {
    const raw = words(text).slice(0, MAX_TERMS * 2);
    const out: string[] = [];
    for (let i = 0; i < raw.length; i++) {
      const w = raw[i] as string;
      const next = raw[i + 1];
      if (next !== undefined && w.length + next.length <= MAX_TERM && this.postings.has(w + next)) {
        out.push(w + next);
        i++;
      } else if (w.length >= 6 && w.length <= MAX_TERM && !this.postings.has(w)) {
        out.push(...this.split(w));
      } else {
        out.push(w);
      }
    }
    return [...new Set(out)].slice(0, MAX_TERMS);
  }

  private split(w: string): string[] {
    for (let k = w.length - 3; k >= 3; k--) {
      const a = w.slice(0, k);
      const b = w.slice(k);
      if (this.postings.has(a) && this.postings.has(b)) return [a, b];
    }
    return [w];
  }

  private ensureBuilt(): void {
    if (this.built) return;
    this.docs.clear();
    this.postings.clear();
    this.kindPostings.clear();
    this.kindLists.clear();
    for (const s of this.cache.states()) this.put(s.entity_id, this.docFor(s.entity_id, s));
    this.vocabulary = new Fuse([...this.postings.keys()], { includeScore: true, threshold: WORD_THRESHOLD, ignoreLocation: true });
    this.built = true;
  }

  private docFor(id: string, state: HaState | undefined): Doc {
    const entry = this.cache.entities.get(id);
    const aliases = (entry?.aliases ?? []).filter((a): a is string => typeof a === 'string');
    const own = new Set(words(`${id} ${entityName(this.cache, state, id)}`));
    const main = new Set([...own, ...words(aliases.join(' '))]);
    const place = placementOf(this.cache, id);
    const area = place.area_id ? this.cache.areas.get(place.area_id) : undefined;
    const where = words(`${area?.name ?? ''} ${(area?.aliases ?? []).join(' ')} ${deviceName(this.cache, place.device_id) ?? ''}`).filter((w) => !main.has(w));
    const kinds = kindsOf(id, state?.attributes.device_class, own);
    const key = kinds.join(' ');
    let shared = this.kindLists.get(key);
    if (!shared) this.kindLists.set(key, (shared = kinds));
    return {
      words: [...new Set([...main, ...where])].map(this.intern),
      main: main.size,
      kinds: shared,
      minor: !!(entry?.entity_category || entry?.hidden_by),
      size: own.size,
    };
  }

  /** The index's one instance of a word (10,000 entities share a few thousand words). */
  private readonly intern = (w: string): string => this.postings.get(w)?.word ?? w;

  /** Adds a document; words new to the home join the vocabulary once the index is built. */
  private put(id: string, doc: Doc): void {
    this.docs.set(id, doc);
    for (const w of doc.words) {
      let posting = this.postings.get(w);
      if (!posting) {
        posting = { word: w, ids: [] };
        this.postings.set(w, posting);
        if (this.built) this.vocabulary.add(w);
      }
      posting.ids.push(id);
    }
    for (const k of doc.kinds) {
      let ids = this.kindPostings.get(k);
      if (!ids) this.kindPostings.set(k, (ids = []));
      ids.push(id);
    }
  }

  /** Removes a document; a word left without entities stays in the vocabulary until the next rebuild. */
  private drop(id: string): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    this.docs.delete(id);
    for (const w of doc.words) remove(this.postings.get(w)?.ids, id);
    for (const k of doc.kinds) remove(this.kindPostings.get(k), id);
  }

  private upsert(id: string, state: HaState | undefined): void {
    if (!this.built) return;
    const doc = this.docFor(id, state);
    const old = this.docs.get(id);
    if (old && sameDoc(old, doc)) return;
    this.drop(id);
    this.put(id, doc);
  }

  private readonly onState = (id: string, next: HaState | null, prev: HaState | null): void => {
    if (!this.built) return;
    if (!next) this.drop(id);
    else if (
      !prev ||
      !this.docs.has(id) ||
      prev.attributes.friendly_name !== next.attributes.friendly_name ||
      prev.attributes.device_class !== next.attributes.device_class
    )
      this.upsert(id, next);
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

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((w, i) => w === b[i]);

function sameDoc(a: Doc, b: Doc): boolean {
  return sameList(a.words, b.words) && a.main === b.main && sameList(a.kinds, b.kinds) && a.minor === b.minor && a.size === b.size;
}

/** Removes one occurrence (order does not matter: results are ranked). */
function remove(ids: string[] | undefined, id: string): void {
  const i = ids ? ids.indexOf(id) : -1;
  if (!ids || i < 0) return;
  ids[i] = ids[ids.length - 1] as string;
  ids.pop();
}
