// The search ranking set: queries with the entity that must come first, on the demo home and
// the generated 2,000-entity home (demo.json, home-2000.json). test/home/ranking.test.ts runs
// it against the search index on a loaded client; scripts/bench through MCP on its server.
import { readFileSync } from 'node:fs';
import type { Simulator } from '../../../sim/server.js';

export interface RankingCase {
  query: string;
  /** The entity_id that must be the first result. */
  first: string;
  why?: string;
}

export interface RankingSet {
  home: 'demo' | number;
  about?: string;
  /** Aliases set in Home Assistant's registries before the queries (other languages' words). */
  aliases?: { areas?: Record<string, string[]>; entities?: Record<string, string[]> };
  /** A query that answers `first` once the aliases have reached the server. */
  ready?: RankingCase;
  cases: RankingCase[];
}

export interface RankingResult {
  right: number;
  total: number;
  /** right / total, 0..1. */
  first_place: number;
  misses: { query: string; expected: string; got: string[] }[];
}

/** Homes with a ranking set, by the bench's labels. */
export const RANKING_SETS: Record<string, string> = { demo: 'demo.json', '2000': 'home-2000.json' };

export function loadRankingSet(file: string): RankingSet {
  return JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as RankingSet;
}

/** Sets the set's aliases in the simulator's registries (each fires its *_registry_updated event). */
export function applyAliases(sim: Simulator, set: RankingSet): void {
  for (const [areaId, aliases] of Object.entries(set.aliases?.areas ?? {})) sim.home.updateArea(areaId, { aliases });
  for (const [entityId, aliases] of Object.entries(set.aliases?.entities ?? {})) sim.home.updateEntityRegistry(entityId, { aliases });
}

/**
 * Runs every query through `search` (entity ids, best first) and counts first places. Waits
 * (up to `readyMs`) for the set's `ready` query first, so that aliases set just before count.
 */
export async function runRanking(set: RankingSet, search: (query: string) => Promise<string[]>, readyMs = 10_000): Promise<RankingResult> {
  if (set.ready) {
    const until = Date.now() + readyMs;
    while ((await search(set.ready.query))[0] !== set.ready.first && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  }
  const misses: RankingResult['misses'] = [];
  for (const c of set.cases) {
    const got = await search(c.query);
    if (got[0] !== c.first) misses.push({ query: c.query, expected: c.first, got: got.slice(0, 3) });
  }
  const total = set.cases.length;
  return { right: total - misses.length, total, first_place: Math.round(((total - misses.length) / total) * 1000) / 1000, misses };
}

/**
 * The bench's figure: the home's set (if it has one, by the bench's label) through `search` on
 * a running simulator, its aliases set first. Undefined for homes without a set.
 */
export async function rankingFor(label: string, sim: Simulator, search: (query: string) => Promise<string[]>): Promise<RankingResult | undefined> {
  const file = RANKING_SETS[label];
  if (!file) return undefined;
  const set = loadRankingSet(file);
  applyAliases(sim, set);
  return runRanking(set, search);
}
