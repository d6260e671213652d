// The cached-read mix the load and fault parts send: get_state, search and filtered lists
// over the home's own vocabulary (ids, names with a typo, areas, domains).
import type { CallOutcome, Session } from '../adapters.js';
import { activity } from './activity.js';

export interface Home {
  ids: string[];
  names: string[];
  domains: string[];
  areas: string[];
}

export async function learnHome(s: Session): Promise<Home> {
  const r = await s.call('ha_list_states', { limit: 1000 });
  if (r.kind !== 'ok') throw new Error(`ha_list_states failed: ${JSON.stringify(r).slice(0, 300)}`);
  const states = (r.json as { states: { entity_id: string; attributes: { friendly_name?: unknown } }[] }).states;
  const ids = states.map((x) => x.entity_id).sort();
  const names = states.map((x) => x.attributes.friendly_name).filter((n): n is string => typeof n === 'string' && n.length > 5);
  const domains = [...new Set(ids.map((id) => id.split('.')[0] as string))].sort();
  const reg = await s.call('ha_list_registry', { kind: 'areas' });
  const areaRows = reg.kind === 'ok' ? JSON.stringify(reg.json) : '';
  const areas = [...new Set([...areaRows.matchAll(/"area_id":"([a-z0-9_]+)"/g)].map((m) => m[1] as string))];
  return { ids, names, domains, areas: areas.length ? areas : ['kitchen', 'living_room'] };
}

/** A query with a typo: the longest word loses its second-to-last letter (as in bench). */
function typo(name: string): string {
  const words = name.split(' ');
  const i = words.reduce((best, w, j) => (w.length > (words[best]?.length ?? 0) ? j : best), 0);
  const w = words[i] ?? '';
  if (w.length > 4) words[i] = w.slice(0, -2) + w.slice(-1);
  return words.join(' ').toLowerCase();
}

const pick = <T>(xs: T[], i: number): T => xs[((i % xs.length) + xs.length) % xs.length] as T;

/** The i-th read of the mix: half get_state, a quarter search, a quarter filtered lists. */
export function readCall(home: Home, i: number): { name: string; args: Record<string, unknown> } {
  const k = i % 8;
  const j = Math.floor(i / 8) * 7919 + i;
  if (k < 4) return { name: 'ha_get_state', args: { entity_id: pick(home.ids, j) } };
  if (k < 6) return { name: 'ha_search_entities', args: { query: typo(pick(home.names, j)), limit: 5 } };
  if (k === 6) return { name: 'ha_list_entities', args: j % 2 ? { domain: pick(home.domains, j), limit: 20 } : { area: pick(home.areas, j), limit: 20 } };
  return { name: 'ha_list_states', args: { domain: pick(home.domains, j), limit: 10 } };
}

export interface ReadStats {
  calls: number;
  errors: number;
  latencies: number[];
  firstErrors: string[];
}

export const newStats = (): ReadStats => ({ calls: 0, errors: 0, latencies: [], firstErrors: [] });

export function count(stats: ReadStats, label: string, r: CallOutcome): void {
  stats.calls++;
  stats.latencies.push(r.ms);
  if (r.kind !== 'ok') {
    stats.errors++;
    if (stats.firstErrors.length < 5) stats.firstErrors.push(`${label}: ${r.kind} ${'message' in r ? r.message : r.text}`.slice(0, 300));
  }
}

/** Runs `perWorker` reads on each session (several workers may share one), or until `untilMs`. */
export async function runReads(home: Home, workers: Session[], opts: { perWorker?: number; untilMs?: number; stats?: ReadStats; offset?: number }): Promise<ReadStats> {
  const stats = opts.stats ?? newStats();
  await Promise.all(
    workers.map(async (s, w) => {
      for (let i = 0; opts.perWorker === undefined || i < opts.perWorker; i++) {
        if (opts.untilMs !== undefined && performance.now() > opts.untilMs) break;
        const c = readCall(home, (opts.offset ?? 0) + w * 100_003 + i);
        const end = activity.begin(`${s.adapter} ${c.name}`);
        const r = await s.call(c.name, c.args, 15_000);
        end();
        count(stats, c.name, r);
      }
    }),
  );
  return stats;
}
