// Learned names lead a search: their entities first, most confident first, scored 0.5 + half
// their confidence (or their own match's score when higher); the plain matches follow, their
// scores capped at the last learned one's, so that scores still read best first.
import type { SearchHit } from '../searchIndex.js';
import type { LearnedHit } from './household.js';

export interface RankedHit extends SearchHit {
  /** Set on entities a learned name put here: that name's confidence. */
  learned?: number;
}

export function withLearned(learned: readonly LearnedHit[], plain: readonly SearchHit[], limit: number): RankedHit[] {
  if (!learned.length) return plain.slice(0, limit);
  const own = new Map(plain.map((h) => [h.entity_id, h.score]));
  const out: RankedHit[] = [];
  let floor = 1;
  for (const l of learned) {
    const score = Math.min(floor, Math.max(Math.round((0.5 + 0.5 * l.confidence) * 100) / 100, own.get(l.entity_id) ?? 0));
    floor = score;
    out.push({ entity_id: l.entity_id, score, learned: l.confidence });
  }
  const taken = new Set(out.map((h) => h.entity_id));
  for (const h of plain) if (!taken.has(h.entity_id)) out.push({ entity_id: h.entity_id, score: Math.min(h.score, floor) });
  return out.slice(0, limit);
}
