// The search ranking set (test/home/ranking/*.json): at least 95% of its queries must put the
// expected entity first, on the demo home and on the generated 2,000-entity home, through the
// live search index of a loaded Home Assistant client (aliases set in the registries first).
import t from 'tap';
import { homeLive } from '../../src/home/live.js';
import { startSimHome } from './simHome.js';
import { RANKING_SETS, applyAliases, loadRankingSet, runRanking } from './ranking/ranking.js';

const TARGET = 0.95;

for (const [label, file] of Object.entries(RANKING_SETS)) {
  t.test(`ranking set on the ${label} home`, async (t) => {
    const set = loadRankingSet(file);
    t.ok(set.cases.length >= 20, `${set.cases.length} queries`);
    const home = await startSimHome(set.home);
    t.teardown(() => home.close());
    const unknown = set.cases.filter((c) => !home.ha.cache.getState(c.first)).map((c) => c.first);
    t.same(unknown, [], 'every expected entity exists');
    applyAliases(home.sim, set);
    const index = homeLive(home.ha.cache).search;
    const result = await runRanking(set, async (q) => index.search(q, 5).map((h) => h.entity_id));
    for (const m of result.misses) t.comment(`miss: ${JSON.stringify(m.query)} expected ${m.expected}, got ${m.got.join(', ')}`);
    t.ok(result.first_place >= TARGET, `first place right ${result.right}/${result.total} (${(result.first_place * 100).toFixed(1)}%, target ${TARGET * 100}%)`);
  });
}

t.test('the sets together have at least 40 queries', async (t) => {
  let n = 0;
  for (const file of Object.values(RANKING_SETS)) {
    const set = loadRankingSet(file);
    n += set.cases.length;
    t.equal(new Set(set.cases.map((c) => c.query)).size, set.cases.length, `${file}: no query twice`);
  }
  t.ok(n >= 40, `${n} queries`);
});
