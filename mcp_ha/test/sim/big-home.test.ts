// A 10,000-entity home must load well under a second and serve get_states fast (benchmarks
// compare against direct REST reads of this simulator). Uses the generated home when
// sim/homes/generated.ts exists, else a synthetic one of the same size.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { HomeData, SimState } from '../../sim/model.js';
import { startSimulator } from '../../sim/server.js';
import { connectAuthed, rest } from './client.js';

const N = 10_000;
const hasGenerator = existsSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sim', 'homes', 'generated.ts'));

function syntheticHome(n: number): HomeData {
  const now = new Date().toISOString().replace('Z', '000+00:00');
  const states: SimState[] = [];
  for (let i = 0; i < n; i++) {
    const domain = ['light', 'switch', 'sensor', 'binary_sensor'][i % 4]!;
    states.push({
      entity_id: `${domain}.e${i}`,
      state: domain === 'sensor' ? String(i % 40) : i % 3 ? 'off' : 'on',
      attributes: { friendly_name: `Entity ${i}`, ...(domain === 'light' ? { supported_color_modes: ['brightness'], brightness: null, color_mode: null } : {}) },
      last_changed: now,
      last_reported: now,
      last_updated: now,
      context: { id: `01JZ${String(i).padStart(22, '0')}`, parent_id: null, user_id: null },
    });
  }
  const services = {
    light: { turn_on: { fields: { brightness: { selector: { number: { min: 0, max: 255, step: 1 } } } }, target: { entity: [{ domain: ['light'] }] } } },
  } as HomeData['services'];
  return { config: { version: '2026.2.0.dev0' }, states, services, areas: [], floors: [], labels: [], devices: [], entities: [], energyPrefs: {}, automationConfigs: {}, scriptConfigs: {} };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

t.test(`${N}-entity home (${hasGenerator ? 'generated' : 'synthetic'})`, async (t) => {
  const home = hasGenerator ? N : syntheticHome(N);
  // The first start pays for generating the home (the generator's cost, cached per size and
  // seed); the second shows the simulator's own load time.
  let t0 = performance.now();
  const warm = await startSimulator({ port: 0, home });
  const firstMs = performance.now() - t0;
  await warm.close();
  t0 = performance.now();
  const sim = await startSimulator({ port: 0, home: hasGenerator ? N : syntheticHome(N) });
  const loadMs = performance.now() - t0;
  t.teardown(() => sim.close());
  t.comment(`first start (with generation) ${firstMs.toFixed(0)} ms`);
  t.ok(loadMs < 1000, `loads in ${loadMs.toFixed(0)} ms`);

  const ws = await connectAuthed(sim.wsUrl, sim.token);
  t.teardown(() => ws.close());
  const wsTimes: number[] = [];
  let all: SimState[] = [];
  for (let i = 1; i <= 15; i++) {
    const s = performance.now();
    const r = await ws.command({ id: i, type: 'get_states' });
    wsTimes.push(performance.now() - s);
    if (i === 1) all = r.result as SimState[];
  }
  t.equal(all.length, N);
  const restTimes: number[] = [];
  for (let i = 0; i < 15; i++) {
    const s = performance.now();
    const r = await rest(sim.url, sim.token, 'GET', '/api/states');
    restTimes.push(performance.now() - s);
    if (i === 0) t.equal((r.json as unknown[]).length, N);
  }
  t.comment(`load ${loadMs.toFixed(0)} ms; get_states median WS ${median(wsTimes).toFixed(1)} ms, REST ${median(restTimes).toFixed(1)} ms`);
  t.ok(median(wsTimes) < 500, 'WS get_states is fast (generous bound: CI cores are shared)');
  t.ok(median(restTimes) < 500, 'REST /api/states is fast');

  // A change invalidates the cache, and subscribers of one entity get only their frames.
  const target = all[all.length - 1]!.entity_id;
  await ws.command({ id: 100, type: 'subscribe_entities', entity_ids: [target] });
  const init = await ws.waitFor((f) => f.id === 100 && f.type === 'event');
  t.same(Object.keys((init.event as { a: object }).a), [target]);
  sim.home.setState(target, 'changed-state');
  const diff = await ws.waitFor((f) => f.id === 100 && f.type === 'event' && 'c' in (f.event as object));
  t.ok(diff);
  const after = (await rest(sim.url, sim.token, 'GET', `/api/states/${target}`)).json as SimState;
  t.equal(after.state, 'changed-state');
});
