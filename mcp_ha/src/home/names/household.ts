// The household's words for things: learned from what models do after looking for a name (a
// search, an unknown entity_id), told explicitly (ha_names), and consulted wherever names are
// resolved (search, unknown-entity suggestions, the overview). One per Home Assistant cache,
// found through namesOf(cache) as the search index is through homeLive(cache); kept in the data
// folder only. Learning never fails a tool call: a disk error is logged and the call goes on.
import { callerLabel, type Caller } from '../../auth/caller.js';
import { AppError } from '../../errors.js';
import type { HomeCache } from '../../ha/types.js';
import { phraseOf, phraseOfEntityId, type Phrase } from './phrase.js';
import { RecentPhrases } from './recent.js';
import { NameStore, strength, type NameEntry, type NameSource, type NameUse } from './store.js';

/** A name the user told weighs as much as this many uses. */
export const TOLD_WEIGHT = 4;
/** Below this a learned name does not lead a search. */
export const MIN_CONFIDENCE = 0.2;

export interface LearnedHit {
  entity_id: string;
  /** 0..1: how sure the household's use makes it (count, recency, agreement). */
  confidence: number;
}

export interface NameRow {
  name: string;
  entity_id: string;
  count: number;
  confidence: number;
  last_used: string;
  source: NameSource;
}

export interface HouseholdNamesOptions {
  cache: HomeCache;
  /** The folder the store lives in (under the data folder). */
  dir: string;
  /** learn_names: off, nothing is read, learned or written. */
  enabled: boolean;
  logger: { warn(obj: object, msg: string): void };
  maxNames?: number;
  fsync?: boolean;
  now?: () => number;
}

/**
 * How sure a name is for one of its entities: its share of the name's uses (agreement) times
 * 1 - 2^-strength, strength being the count decayed by age. One use 0.5, two 0.75, a told name 0.94.
 */
export function confidence(entry: NameEntry, u: NameUse, now: number): number {
  let total = 0;
  for (const x of entry.uses) total += strength(x, now);
  const s = strength(u, now);
  return total > 0 ? Math.round((s / total) * (1 - 2 ** -s) * 100) / 100 : 0;
}

/** Who a name was looked for by: the MCP session, else (stateless requests, stdio) the caller. */
export function sessionKey(ctx: { sessionId: string | undefined; caller: Caller }): string {
  return ctx.sessionId ?? callerLabel(ctx.caller);
}

export class HouseholdNames {
  readonly enabled: boolean;
  private readonly store: NameStore | undefined;
  private readonly recent = new RecentPhrases();
  private readonly now: () => number;

  constructor(private readonly opts: HouseholdNamesOptions) {
    this.now = opts.now ?? (() => Date.now());
    let store: NameStore | undefined;
    if (opts.enabled) {
      try {
        store = new NameStore({ dir: opts.dir, maxNames: opts.maxNames, fsync: opts.fsync });
      } catch (err) {
        opts.logger.warn({ err }, 'household names: store unreadable, names are not learned this run');
      }
    }
    this.store = store;
    this.enabled = store !== undefined;
  }

  get size(): number {
    return this.store?.size ?? 0;
  }

  /** A search for `query` whose plain ranking put `plainFirst` first; `shown` the entities it answered with. */
  searched(who: string, query: string, plainFirst: string | undefined, shown: readonly string[]): void {
    const phrase = this.store && phraseOf(query);
    // "lights", "media player": a domain is what the model looks through, never a name.
    if (phrase && !this.opts.cache.services[phrase.key.replace(/ /g, '_')]) this.recent.note(who, phrase, 'search', plainFirst, this.now(), shown);
  }

  /** An unknown entity_id answered with these suggestions. */
  missed(who: string, entityId: string, suggested: readonly string[]): void {
    const phrase = this.store && phraseOfEntityId(entityId);
    if (phrase) this.recent.note(who, phrase, 'lookup', suggested[0], this.now(), suggested);
  }

  /** The model read or acted on these entities. */
  used(who: string, entityIds: readonly string[], kind: 'action' | 'read'): void {
    const store = this.store;
    if (!store) return;
    const now = this.now();
    const learned = this.recent.took(who, entityIds, kind, now);
    if (!learned) return;
    const { phrase, via } = learned;
    this.safely(() => {
      for (const id of learned.lower) store.lower(phrase.key, id, now);
      const known = store.get(phrase.key) !== undefined;
      for (const id of learned.use) {
        // A name the plain search already ranks first needs no memory, unless memory ranks another.
        if (!known && id === learned.plainFirst) continue;
        if (this.opts.cache.getState(id)) store.use(phrase.key, phrase.said, id, via, 1, now);
      }
    });
  }

  /** Learned entities for a search query, most confident first. */
  lookup(query: string): LearnedHit[] {
    return this.hits(this.store && phraseOf(query));
  }

  /** Learned entities for the name an unknown entity_id stands for. */
  lookupId(entityId: string): LearnedHit[] {
    return this.hits(this.store && phraseOfEntityId(entityId));
  }

  private hits(phrase: Phrase | undefined): LearnedHit[] {
    const entry = phrase && this.store?.get(phrase.key);
    if (!entry) return [];
    const now = this.now();
    return entry.uses
      .map((u) => ({ entity_id: u.entity_id, confidence: confidence(entry, u, now) }))
      .filter((h) => h.confidence >= MIN_CONFIDENCE && this.opts.cache.getState(h.entity_id) !== undefined)
      .sort((a, b) => b.confidence - a.confidence || (a.entity_id < b.entity_id ? -1 : 1));
  }

  /** The user said so: `said` is a name for the entity. Undefined when `said` is no name. */
  remember(said: string, entityId: string): Phrase | undefined {
    const phrase = phraseOf(said);
    if (!phrase || !this.store) return undefined;
    this.store.use(phrase.key, phrase.said, entityId, 'told', TOLD_WEIGHT, this.now());
    return phrase;
  }

  /** Forgets a name (for one entity or all), or all names of an entity; how many pairs went. */
  forget(name: string | undefined, entityId: string | undefined): number {
    const key = name === undefined ? undefined : phraseOf(name)?.key;
    if (!this.store || (name !== undefined && key === undefined)) return 0;
    return this.store.forget(key, entityId, this.now());
  }

  /** Every pair, strongest first; filtered by name or entity. */
  list(filter: { name?: string | undefined; entity_id?: string | undefined } = {}): NameRow[] {
    const store = this.store;
    if (!store) return [];
    const now = this.now();
    const key = filter.name === undefined ? undefined : phraseOf(filter.name)?.key;
    if (filter.name !== undefined && key === undefined) return [];
    const rows: (NameRow & { s: number })[] = [];
    const add = (entry: NameEntry): void => {
      for (const u of entry.uses) {
        if (filter.entity_id !== undefined && u.entity_id !== filter.entity_id) continue;
        rows.push({
          name: entry.said,
          entity_id: u.entity_id,
          count: Math.round(u.count * 100) / 100,
          confidence: confidence(entry, u, now),
          last_used: new Date(u.last).toISOString(),
          source: u.source,
          s: strength(u, now),
        });
      }
    };
    if (key !== undefined) {
      const entry = store.get(key);
      if (entry) add(entry);
    } else {
      for (const [, entry] of store.entries()) add(entry);
    }
    rows.sort((a, b) => b.s - a.s || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.entity_id < b.entity_id ? -1 : 1));
    return rows.map(({ s: _s, ...row }) => row);
  }

  /**
   * The strongest names, each for its most confident entity, while they fit in `chars` (name and
   * id lengths): the household's words at a glance (the overview).
   */
  top(max: number, chars: number): Record<string, string> {
    const store = this.store;
    const out: Record<string, string> = {};
    if (!store) return out;
    const now = this.now();
    const best: { said: string; id: string; s: number }[] = [];
    for (const [, entry] of store.entries()) {
      // confidence() inlined: this runs over every name on each overview.
      let pick: NameUse | undefined;
      let top = 0;
      let total = 0;
      for (const u of entry.uses) {
        const s = strength(u, now);
        total += s;
        if (s > top) {
          pick = u;
          top = s;
        }
      }
      const last = best[best.length - 1];
      if (!pick || (best.length >= max && last && top < last.s)) continue;
      // Rounded as confidence() rounds: one use is 0.5 whatever the milliseconds since.
      if (Math.round((top / total) * (1 - 2 ** -top) * 100) < 50 || !this.opts.cache.getState(pick.entity_id)) continue;
      // Only the strongest `max` are kept: no sort over every name.
      const b = { said: entry.said, id: pick.entity_id, s: top };
      const worse = (x: typeof b): boolean => x.s < b.s || (x.s === b.s && x.said > b.said);
      const at = best.findIndex(worse);
      if (at >= 0) best.splice(at, 0, b);
      else best.push(b);
      if (best.length > max) best.pop();
    }
    let left = chars;
    for (const b of best) {
      const cost = b.said.length + b.id.length + 6;
      if (Object.keys(out).length >= max || cost > left) break;
      if (b.said in out) continue;
      out[b.said] = b.id;
      left -= cost;
    }
    return out;
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.logger.warn({ err }, 'household names: could not save a learned name');
    }
  }
}

const byCache = new WeakMap<HomeCache, HouseholdNames>();

/** Builds the household's names for a cache (once, at start-up) and makes namesOf find them. */
export function attachNames(opts: HouseholdNamesOptions): HouseholdNames {
  const names = new HouseholdNames(opts);
  byCache.set(opts.cache, names);
  return names;
}

/** The household's names for this cache; undefined when learning is off or none were attached. */
export function namesOf(cache: HomeCache): HouseholdNames | undefined {
  const names = byCache.get(cache);
  return names?.enabled ? names : undefined;
}

type Who = { ha: { cache: HomeCache }; sessionId: string | undefined; caller: Caller };

/** The tools' hook: the model read or acted on these entities (a name looked for just before may be theirs). */
export function learnFromUse(ctx: Who, entityIds: readonly string[] | undefined, kind: 'action' | 'read'): void {
  if (entityIds?.length) namesOf(ctx.ha.cache)?.used(sessionKey(ctx), entityIds, kind);
}

/** learnFromMiss on a write's refusal, passed on unchanged. */
export function missesOf<T>(ctx: Who, write: Promise<T>): Promise<T> {
  return write.catch((err: unknown) => {
    learnFromMiss(ctx, err);
    throw err;
  });
}

/** The tools' hook: an unknown entity_id was answered with suggestions. */
export function learnFromMiss(ctx: Who, err: unknown): void {
  if (!(err instanceof AppError) || err.code !== 'entity_not_found') return;
  const { entity_id: id, closest } = err.details ?? {};
  if (typeof id === 'string') namesOf(ctx.ha.cache)?.missed(sessionKey(ctx), id, Array.isArray(closest) ? closest.filter((c): c is string => typeof c === 'string') : []);
}
