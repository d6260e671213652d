// Search with the household's names (src/home/names) at their bound: 10,000 learned names on the
// 10,000-entity home, through MCP over HTTP (the same createDeps/buildApp as production, in this
// process), against the same server without names. Also how long the store takes to load and
// what the overview costs with it. Part of scripts/bench (run.ts); `npx tsx bench/names.ts` alone.
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../sim/server.js';
import { phraseOf } from '../src/home/names/phrase.js';
import { MAX_NAMES, NameStore } from '../src/home/names/store.js';
import { startStack, type Stack } from '../test/helpers/stack.js';
import { alternate, timed, tokens, type Timing } from './measure.js';

const SAMPLES = 200;

export interface NamesResult {
  entities: number;
  learned_names: number;
  snapshot_bytes: number;
  store_load_ms: number;
  /** A learned name as the query: its entity first. */
  search_learned: Timing;
  /** Typo'd entity names, with the 10,000 names loaded and without any. */
  search_plain: Timing;
  search_plain_no_names: Timing;
  learned_first_place: number;
  overview_ms: Timing;
  overview_no_names_ms: Timing;
  overview_tokens: number;
}

type Call = (stack: Stack, i: number) => Promise<unknown>;

/** Calls on the two stacks in turns (a busy machine slows both alike), after a warm-up. */
async function alternating(a: Stack, b: Stack, n: number, call: Call): Promise<[Timing, Timing]> {
  const r = await alternate((i) => call(a, i), (i) => call(b, i), n, 10);
  return [r.a, r.b];
}

export async function benchNames(): Promise<NamesResult | undefined> {
  const only = process.env.BENCH_HOMES?.split(',');
  if (only && !only.includes('10000') && !only.includes('names')) return undefined;
  const sim = await startSimulator({ port: 0, home: 10_000, seed: 1 });
  try {
    const res = await fetch(`${sim.url}/api/states`, { headers: { Authorization: `Bearer ${sim.token}` } });
    const states = (await res.json()) as { entity_id: string; attributes: { friendly_name?: unknown } }[];
    const ids = states.map((s) => s.entity_id).sort();
    const names = states.map((s) => String(s.attributes.friendly_name ?? '')).filter((n) => n.length > 6).sort();
    // Names made of the home's own words, two at a time, so that they also match plain entities.
    const vocab = [...new Set(names.flatMap((n) => n.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length > 3))].slice(0, 200);
    const learned: { key: string; phrase: string; id: string }[] = [];
    const keys = new Set<string>();
    for (let i = 0; learned.length < MAX_NAMES; i++) {
      const a = vocab[i % vocab.length] as string;
      const b = vocab[Math.floor(i / vocab.length) % vocab.length] as string;
      const phrase = a === b ? undefined : phraseOf(`${a} ${b}`);
      if (phrase && !keys.has(phrase.key) && keys.add(phrase.key)) learned.push({ key: phrase.key, phrase: phrase.said, id: ids[(learned.length * 7919) % ids.length] as string });
    }
    const now = Date.now();
    const dataDir = join(mkdtempSync(join(tmpdir(), 'mcp-ha-bench-names-')), 'data');
    mkdirSync(join(dataDir, 'names'), { recursive: true });
    const snapshot = join(dataDir, 'names', 'names.json');
    writeFileSync(snapshot, JSON.stringify({ v: 1, seq: 0, names: learned.map((l, i) => [l.key, l.phrase, l.id, 1 + (i % 5), now - i * 60_000, 'search']) }));
    const loadMs = await timed(async () => new NameStore({ dir: join(dataDir, 'names') }));

    const plainQueries = Array.from({ length: SAMPLES }, (_, i) => {
      const n = names[Math.floor((i * names.length) / SAMPLES)] ?? 'kitchen light';
      return n.length > 8 ? n.slice(0, -3) + n.slice(-2) : n;
    });
    const picks = Array.from({ length: SAMPLES }, (_, i) => learned[(i * 37) % learned.length] as { phrase: string; id: string });

    const bare = await startStack({ sim });
    const stack = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
    try {
      const search = (queries: string[]): Call => async (s, i) => s.call('ha_search_entities', { query: queries[i % queries.length] });
      const [withNames, without] = await alternating(stack, bare, SAMPLES, search(plainQueries));
      const [learnedT] = await alternating(stack, bare, SAMPLES, search(picks.map((p) => p.phrase)));
      let right = 0;
      for (const p of picks) {
        const results = (await stack.call('ha_search_entities', { query: p.phrase })).json.results as { entity_id: string }[];
        if (results[0]?.entity_id === p.id) right++;
      }
      const [overviewT, overviewBare] = await alternating(stack, bare, 20, (s) => s.call('ha_overview'));
      const overviewText = ((await stack.call('ha_overview')).result.content[0] as { text: string }).text;
      const result: NamesResult = {
        entities: ids.length,
        learned_names: learned.length,
        snapshot_bytes: statSync(snapshot).size,
        store_load_ms: Math.round(loadMs),
        search_learned: learnedT,
        search_plain: withNames,
        search_plain_no_names: without,
        learned_first_place: Math.round((right / picks.length) * 1000) / 1000,
        overview_ms: overviewT,
        overview_no_names_ms: overviewBare,
        overview_tokens: tokens(overviewText),
      };
      console.error(
        `names: ${result.learned_names} learned on ${result.entities} entities; search median/p99 ms learned ${result.search_learned.median_ms}/${result.search_learned.p99_ms}, ` +
          `plain ${result.search_plain.median_ms}/${result.search_plain.p99_ms} (without names ${result.search_plain_no_names.median_ms}/${result.search_plain_no_names.p99_ms}); ` +
          `learned first ${result.learned_first_place}; store load ${result.store_load_ms} ms (${result.snapshot_bytes} bytes); ` +
          `overview ${result.overview_ms.median_ms} ms (without names ${result.overview_no_names_ms.median_ms}), ${result.overview_tokens} tokens`,
      );
      return result;
    } finally {
      await Promise.all([stack.close(), bare.close()]);
    }
  } finally {
    await sim.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchNames().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
