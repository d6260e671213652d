// What a household name is, as a key: folded words without articles and possessives, each in
// its singular ("the big lamps" and "Big Lamp" are one name). Ids are not names: a query that is
// an entity_id gives none, and an unknown entity_id gives the words of its object id.
import { fold, stem } from '../kinds.js';

/** Longer than this (characters, words) is a description, not a name someone calls a thing. */
export const MAX_NAME_CHARS = 64;
export const MAX_NAME_WORDS = 6;

const WORD = /[\p{L}\p{N}]+/gu;
const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;
/** Articles and possessives in the six languages kinds.ts knows; they carry no name. */
const FILLER = new Set(
  'the a an my our your de der die das den dem ein eine mein meine unser unsere le la les l un une mon ma mes notre el los las una mi mis nuestro nuestra il lo gli i uno mio mia nostro nostra het een mijn ons onze'.split(' '),
);

export interface Phrase {
  /** The key learned names are kept and found by. */
  key: string;
  /** How it was said, lower case and single-spaced: shown in lists and proposed as an alias. */
  said: string;
}

/** A name from a search query; undefined when the text is an id, empty or too long to be a name. */
export function phraseOf(text: string): Phrase | undefined {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > MAX_NAME_CHARS * 2 || ENTITY_ID.test(trimmed)) return undefined;
  return fromWords(fold(trimmed).match(WORD) ?? [], trimmed);
}

/** The name an unknown entity_id stands for: "light.big_lamp" -> "big lamp". */
export function phraseOfEntityId(entityId: string): Phrase | undefined {
  const dot = entityId.indexOf('.');
  if (dot < 0 || entityId.length > 255) return undefined;
  const words = entityId.slice(dot + 1).split('_').filter(Boolean);
  return fromWords(words.map(fold), words.join(' '));
}

function fromWords(all: string[], said: string): Phrase | undefined {
  // Single letters other than digits ("Emma's" -> emma) carry nothing, as in the search index.
  const kept = all.filter((w) => !FILLER.has(w) && (w.length > 1 || /\d/.test(w)));
  if (!kept.length || kept.length > MAX_NAME_WORDS) return undefined;
  const key = kept.map(stem).join(' ');
  if (key.length > MAX_NAME_CHARS) return undefined;
  const shown = said.toLowerCase().replace(/\s+/g, ' ');
  return { key, said: shown.length > MAX_NAME_CHARS ? key : shown };
}
