// The connection under faults: dropped sockets, a Home Assistant restart, Home Assistant down at
// start-up, a revoked token, slow answers and a silent socket.
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { haConfig, nextEvent, testClient, until } from './helpers.js';
import { freePort, failure } from '../helpers/net.js';

t.test('socket dropped and back: re-subscribed, cache resynced with what changed meanwhile', async (t) => {
  const sim = await startSimulator({ port: 0 });
  const { ha } = testClient(haConfig(sim.url, sim.token));
  t.teardown(async () => {
    await ha.close();
    await sim.close();
  });
  await ha.start();
  const custom: unknown[] = [];
  await ha.subscribe({ type: 'subscribe_events', event_type: 'ha_resub_event' }, (e) => custom.push(e));
  sim.home.setState('sensor.ha_gone_soon', '1');
  await until(() => ha.cache.getState('sensor.ha_gone_soon') !== undefined, 2_000, 'new entity');

  const states: string[] = [];
  ha.cache.on('state', (id: string) => states.push(id));
  const entities = nextEvent<[{ added: string[]; removed: string[] }]>(ha.cache, 'entities');
  const resync = nextEvent(ha.cache, 'resync');
  const dropped = performance.now();
  // Stop new connections first so the changes below happen while the client is really offline.
  sim.faults.refuseConnections(true);
  sim.faults.dropWebSockets();
  await until(() => ha.status !== 'connected', 2_000, 'status leaves connected');
  t.not(ha.status, 'connected', `status while down: ${ha.status}`);
  t.equal(ha.cache.ready, true, 'the old data stays readable');
  t.equal(ha.cache.stale, true, 'and says it may be stale');
  const down = await failure(ha.command({ type: 'ping' }));
  t.equal(down.code, 'ha_unreachable');
  t.match(down.suggestion, /[Rr]etry/);

  sim.home.setState('sensor.outside_temperature', '-4.5');
  sim.home.removeState('sensor.ha_gone_soon');
  sim.home.setState('sensor.ha_new_while_down', 'x');
  sim.faults.refuseConnections(false);

  await resync;
  const reconnectMs = performance.now() - dropped;
  t.equal(ha.status, 'connected');
  t.equal(ha.cache.stale, false);
  t.equal(ha.cache.getState('sensor.outside_temperature')?.state, '-4.5', 'a change made while down');
  t.equal(ha.cache.getState('sensor.ha_gone_soon'), undefined, 'an entity removed while down');
  t.equal(ha.cache.getState('sensor.ha_new_while_down')?.state, 'x', 'an entity added while down');
  t.same((await entities)[0], { added: ['sensor.ha_new_while_down'], removed: ['sensor.ha_gone_soon'] });
  t.ok(states.includes('sensor.outside_temperature'), "'state' emitted for what changed while down");
  t.notOk(states.includes('light.bed_light'), "no 'state' for what did not change");

  sim.home.fireEvent('ha_resub_event', { after: 'reconnect' });
  await until(() => custom.length === 1, 2_000, 'event on the re-established subscription');
  sim.home.setState('sensor.outside_temperature', '-5');
  await until(() => ha.cache.getState('sensor.outside_temperature')?.state === '-5', 2_000, 'live updates after resync');
  t.comment(`reconnect to resynced cache: ${reconnectMs.toFixed(0)} ms (backoff 20..200 ms, refused meanwhile)`);
});

t.test('Home Assistant restarts: back with live updates', async (t) => {
  const sim = await startSimulator({ port: 0 });
  const { ha } = testClient(haConfig(sim.url, sim.token));
  t.teardown(async () => {
    await ha.close();
    await sim.close();
  });
  await ha.start();
  const restarted = performance.now();
  await sim.faults.restart();
  await until(() => ha.status === 'connected' && ha.cache.ready, 5_000, 'reconnected');
  t.comment(`restart to resynced cache: ${(performance.now() - restarted).toFixed(0)} ms (includes the simulator's 150 ms pause)`);
  sim.home.setState('sensor.outside_temperature', '12.0');
  await until(() => ha.cache.getState('sensor.outside_temperature')?.state === '12.0', 2_000, 'update after restart');
  const res = await ha.callService({ domain: 'switch', service: 'turn_on', target: { entity_id: ['switch.decorative_lights'] } });
  t.equal(res.changed_states[0]?.state, 'on', 'service calls over the new socket');
});

t.test('Home Assistant unreachable at start-up, then coming up', async (t) => {
  const port = await freePort();
  const token = 'token-for-the-late-simulator-0123';
  const { ha, logs } = testClient(haConfig(`http://127.0.0.1:${port}`, token));
  t.teardown(() => ha.close());
  await ha.start(); // must not throw
  t.ok(['connecting', 'disconnected'].includes(ha.status), ha.status);
  t.equal(ha.cache.ready, false);
  const notReady = await failure(ha.waitReady(50));
  t.equal(notReady.code, 'ha_unreachable');
  const rest = await failure(ha.rest('GET', '/api/'));
  t.equal(rest.code, 'ha_unreachable');
  t.match(rest.message, /ECONNREFUSED/);
  t.match(rest.suggestion, /[Rr]etry/);
  const call = await failure(ha.callService({ domain: 'light', service: 'turn_on' }));
  t.equal(call.code, 'ha_unreachable', 'a call while down falls back to REST, which is down too');

  const sim = await startSimulator({ port, tokens: [token] });
  t.teardown(() => sim.close());
  await ha.waitReady(5_000);
  t.equal(ha.status, 'connected');
  t.equal(ha.cache.size, 120);
  t.equal((logs().match(/connection down/g) ?? []).length, 1, 'one warning per outage, not one per attempt');
  t.notOk(logs().includes(token));
});

t.test('a revoked token: auth_failed, one error logged, recovers when valid again', async (t) => {
  const sim = await startSimulator({ port: 0 });
  const token = sim.token;
  // From 1 ms doubling would retry ~9 times in 600 ms; at the 300 ms maximum, 2 to 4 times.
  const { ha, logs } = testClient(haConfig(sim.url, token), { backoff: { initialMs: 1, maxMs: 300 }, heartbeatMs: 1_000 });
  t.teardown(async () => {
    await ha.close();
    await sim.close();
  });
  await ha.start();
  sim.revokeToken(token);
  await until(() => ha.status === 'auth_failed', 3_000, 'auth_failed');
  const before = sim.stats.wsConnections;
  await new Promise((r) => setTimeout(r, 600));
  t.equal(ha.status, 'auth_failed', 'stays auth_failed while retrying');
  const retries = sim.stats.wsConnections - before;
  t.ok(retries >= 1 && retries <= 5, `retries slowly, at the maximum backoff (${retries} in 600 ms)`);
  t.equal((logs().match(/refused the access token/g) ?? []).length, 1, 'the error is logged once');
  t.ok(ha.cache.size > 0, 'the last known data stays');

  sim.addToken(token);
  await until(() => ha.status === 'connected', 3_000, 'connected again');
  t.pass('connected again with the restored token');
  t.notOk(logs().includes(token));
});

t.test('slow Home Assistant: REST and WebSocket timeouts', async (t) => {
  const sim = await startSimulator({ port: 0 });
  const userToken = 'slow-user-token-0123456789';
  sim.addToken(userToken, { id: 'slow-user', name: 'Slow' });
  const { ha } = testClient(haConfig(sim.url, sim.token, { requestTimeoutMs: 150 }));
  t.teardown(async () => {
    await ha.close();
    await sim.close();
  });
  await ha.start();
  t.equal(ha.status, 'connected');
  sim.faults.setLatency(400);
  const rest = await failure(ha.rest('GET', '/api/config'));
  t.equal(rest.code, 'ha_timeout');
  t.equal(rest.statusCode, 504);
  const call = await failure(ha.callService({ domain: 'light', service: 'turn_on', target: { entity_id: ['light.bed_light'] } }, { token: userToken }));
  t.equal(call.code, 'ha_timeout');
  t.match(call.suggestion, /state/, 'says to check the state before retrying');
  const ws = await failure(ha.command({ type: 'get_config' }, { timeoutMs: 100 }));
  t.equal(ws.code, 'ha_timeout');
  const perCall = await ha.rest('GET', '/api/', { timeoutMs: 2_000 });
  t.equal(perCall.status, 200, 'a longer per-request deadline');
  sim.faults.setLatency(0);
});

t.test('heartbeat: a socket that stops answering is replaced', async (t) => {
  const sim = await startSimulator({ port: 0 });
  const { ha, logs } = testClient(haConfig(sim.url, sim.token), { backoff: { initialMs: 20, maxMs: 100 }, heartbeatMs: 100 });
  t.teardown(async () => {
    await ha.close();
    await sim.close();
  });
  await ha.start();
  const before = sim.stats.wsConnections;
  sim.faults.setLatency(1_000);
  await until(() => logs().includes('no answer to a ping'), 3_000, 'heartbeat timeout');
  sim.faults.setLatency(0);
  await until(() => sim.stats.wsConnections > before && ha.status === 'connected', 5_000, 'new connection');
  t.pass('reconnected after a missed ping');
});

t.test('close() while retrying stops everything', async (t) => {
  const port = await freePort();
  const { ha } = testClient(haConfig(`http://127.0.0.1:${port}`, 'x-token-0123456789'));
  await ha.start();
  await new Promise((r) => setTimeout(r, 60));
  await ha.close();
  t.equal(ha.status, 'disconnected');
});
