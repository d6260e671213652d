// A generated 10,000-entity home: the cache loads it, follows a burst of changes, and resyncs
// after a drop. Timings are reported, not asserted (shared CI cores).
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { haConfig, testClient, until } from './helpers.js';

const sim = await startSimulator({ port: 0, home: 10_000 });
const { ha } = testClient(haConfig(sim.url, sim.token, { requestTimeoutMs: 20_000 }));
t.teardown(async () => {
  await ha.close();
  await sim.close();
});

t.test('10,000 entities: load, a burst of changes, resync', async (t) => {
  const started = performance.now();
  await ha.start();
  const loadMs = performance.now() - started;
  t.equal(ha.status, 'connected');
  t.equal(ha.cache.size, 10_000);
  t.ok(ha.cache.entities.size > 9_000, 'entity registry');
  t.ok(ha.cache.devices.size > 1_000, 'device registry');

  const ids = [...ha.cache.states()].filter((s) => s.entity_id.startsWith('sensor.')).slice(0, 500).map((s) => s.entity_id);
  const burst = performance.now();
  for (const id of ids) sim.home.setState(id, 'burst');
  const last = ids[ids.length - 1] as string;
  await until(() => ha.cache.getState(last)?.state === 'burst', 10_000, 'the burst');
  const burstMs = performance.now() - burst;
  t.ok(ids.every((id) => ha.cache.getState(id)?.state === 'burst'), `${ids.length} changes applied`);

  const dropped = performance.now();
  sim.faults.dropWebSockets();
  await until(() => ha.status !== 'connected', 5_000, 'down');
  await until(() => ha.status === 'connected', 20_000, 'resynced');
  const resyncMs = performance.now() - dropped;
  t.equal(ha.cache.size, 10_000);
  t.comment(`10k home: load ${loadMs.toFixed(0)} ms, ${ids.length} changes ${burstMs.toFixed(0)} ms, drop to resynced ${resyncMs.toFixed(0)} ms`);
});
