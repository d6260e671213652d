// A live fuzzy index of the home's entities (fuse.js token search: per-word typo tolerance,
// word order free, rare words weigh more). Kept current from cache events: a new, removed or
// renamed entity is patched in; a registry change (area or device renamed, aliases edited) or a
// resync marks it dirty and the next search rebuilds it once.
import Fuse, { type IFuseOptions } from 'fuse.js';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { deviceName, entityName, placementOf } from './placement.js';

interface Doc {
  id: string;
  /** Words of the entity_id, name and aliases. */
  main: string;
  /** Words of the area and device names not already in main. */
  where: string;
}

export interface SearchHit {
  entity_id: string;
  /** 0..1, higher is better. */
  score: number;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const REBUILD_DELAY_MS = 50;

const OPTIONS: IFuseOptions<Doc> = {
  keys: [
    { name: 'main', weight: 2 },
    { name: 'where', weight: 0.7 },
  ],
  includeScore: true,
  useTokenSearch: true,
  tokenMatch: 'any',
  tokenize: WORD,
  threshold: 0.4,
  ignoreLocation: true,
};

const words = (text: string): string[] => text.toLowerCase().match(WORD) ?? [];

/** A query word matches a word of the entity: equal, a prefix of it, or one typo away (two if long). */
function wordMatches(query: string, word: string): boolean {
  if (word === query || (query.length >= 3 && word.startsWith(query))) return true;
  const allowed = query.length >= 8 ? 2 : query.length >= 4 ? 1 : 0;
  return allowed > 0 && Math.abs(word.length - query.length) <= allowed && editDistance(query, word) <= allowed;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

export class EntitySearchIndex {
  private fuse: Fuse<Doc> | undefined;
  private rebuild: NodeJS.Timeout | undefined;
  private readonly docs = new Map<string, Doc>();

  constructor(private readonly cache: HomeCache) {
    cache.on('state', this.onState);
    cache.on('entities', this.onEntities);
    cache.on('registry', this.markDirty);
    cache.on('resync', this.markDirty);
    if (cache.ready) this.markDirty();
  }

  /** Best matches first; `accept` filters before the limit applies. */
  search(query: string, limit: number, accept?: (entityId: string) => boolean): SearchHit[] {
    const fuse = this.index();
    const exact = query.trim().toLowerCase();
    const hits: SearchHit[] = this.docs.has(exact) && (!accept || accept(exact)) ? [{ entity_id: exact, score: 1 }] : [];
    // Fuse ranks by matched words weighted by rarity; among its best candidates, entities that
    // match more of the query's words (allowing a typo) come first.
    const terms = [...new Set(words(query))];
    const candidates: { doc: Doc; fuseScore: number; covered: number }[] = [];
    for (const r of fuse.search(query)) {
      if (candidates.length >= Math.max(limit * 5, 50)) break;
      if (r.item.id === exact || (accept && !accept(r.item.id))) continue;
      const docWords = `${r.item.main} ${r.item.where}`.split(' ');
      const covered = terms.filter((t) => docWords.some((w) => wordMatches(t, w))).length;
      candidates.push({ doc: r.item, fuseScore: r.score ?? 1, covered });
    }
    const score = (c: (typeof candidates)[number]): number => 0.7 * (terms.length ? c.covered / terms.length : 0) + 0.3 * (1 - c.fuseScore);
    // Fuzzy-only matches are noise once some entity matches a query word outright.
    const pool = candidates.some((c) => c.covered) ? candidates.filter((c) => c.covered) : candidates;
    pool.sort((a, b) => score(b) - score(a));
    for (const c of pool.slice(0, limit - hits.length)) hits.push({ entity_id: c.doc.id, score: Math.round(score(c) * 100) / 100 });
    return hits;
  }

  private index(): Fuse<Doc> {
    if (!this.fuse) {
      this.docs.clear();
      for (const s of this.cache.states()) this.docs.set(s.entity_id, this.docFor(s.entity_id, s));
      this.fuse = new Fuse([...this.docs.values()], OPTIONS);
    }
    return this.fuse;
  }

  private docFor(id: string, state: HaState | undefined): Doc {
    const entry = this.cache.entities.get(id);
    const aliases = (entry?.aliases ?? []).filter((a): a is string => typeof a === 'string');
    const main = new Set(words(`${id} ${entityName(this.cache, state, id)} ${aliases.join(' ')}`));
    const place = placementOf(this.cache, id);
    const area = place.area_id ? this.cache.areas.get(place.area_id) : undefined;
    const whereText = `${area?.name ?? ''} ${(area?.aliases ?? []).join(' ')} ${deviceName(this.cache, place.device_id) ?? ''}`;
    const where = new Set(words(whereText).filter((w) => !main.has(w)));
    return { id, main: [...main].join(' '), where: [...where].join(' ') };
  }

  private upsert(id: string, state: HaState | undefined): void {
    if (!this.fuse) return;
    const doc = this.docFor(id, state);
    const old = this.docs.get(id);
    if (old && old.main === doc.main && old.where === doc.where) return;
    if (old) this.fuse.remove((d) => d.id === id);
    this.docs.set(id, doc);
    this.fuse.add(doc);
  }

  private drop(id: string): void {
    if (!this.fuse || !this.docs.delete(id)) return;
    this.fuse.remove((d) => d.id === id);
  }

  private readonly onState = (id: string, next: HaState | null, prev: HaState | null): void => {
    if (!next) this.drop(id);
    else if (!prev || !this.docs.has(id) || prev.attributes.friendly_name !== next.attributes.friendly_name) this.upsert(id, next);
  };

  private readonly onEntities = (change: { added?: string[]; removed?: string[] }): void => {
    for (const id of change.removed ?? []) if (!this.cache.getState(id)) this.drop(id);
    for (const id of change.added ?? []) if (!this.docs.has(id)) this.upsert(id, this.cache.getState(id));
  };

  /** Rebuilds soon after a burst of registry events, off the request path. */
  private readonly markDirty = (): void => {
    this.fuse = undefined;
    clearTimeout(this.rebuild);
    this.rebuild = setTimeout(() => this.index(), REBUILD_DELAY_MS);
    this.rebuild.unref();
  };
}
