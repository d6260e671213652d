// Per session, the last name the model looked for (a search, or an unknown entity_id) and what it
// did next: the first entities it acts on, or reads among those the answer showed, stand for the
// name; acting on other entities of the same domain right after is a correction (the first ones
// were wrong). Memory only, bounded.
import type { NameSource } from './store.js';
import type { Phrase } from './phrase.js';

/** A name looked for this long ago no longer explains what the model does. */
export const EPISODE_MS = 10 * 60_000;
/** Acting on another entity later than this after the first is no correction. */
export const CORRECTION_MS = 2 * 60_000;
/** A call on more entities than this is not a use of one name. */
const MAX_GROUP = 3;
const MAX_SESSIONS = 1000;

interface Episode {
  phrase: Phrase;
  via: NameSource;
  at: number;
  /** What the plain search put first: a name it already finds is not worth keeping. */
  plainFirst: string | undefined;
  /** The entities the answer showed: only reading one of them binds the name (a read is often a look around). */
  shown: readonly string[];
  bound?: { ids: string[]; kind: 'action' | 'read'; at: number };
}

export interface Learned {
  phrase: Phrase;
  via: NameSource;
  plainFirst: string | undefined;
  use: string[];
  lower: string[];
}

const domainOf = (id: string): string => id.slice(0, id.indexOf('.'));

export class RecentPhrases {
  private readonly bySession = new Map<string, Episode>();

  note(session: string, phrase: Phrase, via: NameSource, plainFirst: string | undefined, now: number, shown: readonly string[] = []): void {
    this.bySession.delete(session);
    this.bySession.set(session, { phrase, via, at: now, plainFirst, shown });
    if (this.bySession.size > MAX_SESSIONS) this.bySession.delete(this.bySession.keys().next().value as string);
  }

  /** The model read or acted on these entities: what that teaches, if anything. */
  took(session: string, entityIds: readonly string[], kind: 'action' | 'read', now: number): Learned | undefined {
    const ep = this.bySession.get(session);
    if (!ep) return undefined;
    if (now - ep.at > EPISODE_MS) {
      this.bySession.delete(session);
      return undefined;
    }
    const ids = [...new Set(entityIds)];
    if (!ids.length || ids.length > MAX_GROUP) return undefined;
    const learned = (use: string[], lower: string[]): Learned => ({ phrase: ep.phrase, via: ep.via, plainFirst: ep.plainFirst, use, lower });
    const { bound } = ep;
    if (!bound) {
      if (kind === 'read' && !ids.some((id) => ep.shown.includes(id))) return undefined;
      ep.bound = { ids, kind, at: now };
      return learned(ids, []);
    }
    if (ids.some((id) => bound.ids.includes(id))) {
      if (kind === 'action') bound.kind = 'action';
      return undefined;
    }
    if (kind !== 'action') return undefined;
    const domains = new Set(bound.ids.map(domainOf));
    if (now - bound.at <= CORRECTION_MS && ids.every((id) => domains.has(domainOf(id)))) {
      ep.bound = { ids, kind, at: now };
      return learned(ids, bound.ids);
    }
    // Acting on something else: the name's part is over.
    this.bySession.delete(session);
    return undefined;
  }
}
