// Home Assistant going away: unreachable at start-up, and the socket dropping and coming back.
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { startStack } from '../helpers/stack.js';
import { freePort } from '../helpers/net.js';

t.test('Home Assistant unreachable at start-up, then up', async (t) => {
  const port = await freePort();
  const placeholder = await startSimulator({ port: 0 });
  const token = placeholder.token;
  await placeholder.close();
  // The stack points at a port where nothing listens yet.
  const fakeSim = { ...placeholder, url: `http://127.0.0.1:${port}`, token, addToken: () => undefined };
  const stack = await startStack({ sim: fakeSim as never, noWait: true });
  t.teardown(() => stack.close());

  const health = (await (await fetch(`${stack.url}/health`)).json()) as any;
  t.equal(health.status, 'healthy');
  t.equal(health.home_assistant.connected, false);
  const down = await stack.call('ha_get_state', { entity_id: 'light.bed_light' });
  t.equal(down.json.error, 'ha_unreachable');
  t.match(down.json.suggestion, /[Rr]etry/);

  const sim = await startSimulator({ port, tokens: [token] });
  t.teardown(() => sim.close());
  await stack.deps.ha.waitReady(10_000);
  const up = await stack.call('ha_get_state', { entity_id: 'light.bed_light' });
  t.equal((up.json.state as any)?.entity_id, 'light.bed_light');
});

t.test('the simulator drops its socket and comes back', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  stack.sim.faults.dropWebSockets();
  stack.sim.home.setState('sensor.outside_temperature', '31.5');
  // The cache resyncs after reconnecting, including changes made while it was down.
  const deadline = Date.now() + 10_000;
  let state: string | undefined;
  while (Date.now() < deadline) {
    const { json } = await stack.call('ha_get_state', { entity_id: 'sensor.outside_temperature' });
    state = (json.state as any)?.state;
    if (state === '31.5' && json.stale === false) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(state, '31.5');
  const call = await stack.call('ha_call_service', { domain: 'switch', service: 'turn_off', entity_id: 'switch.decorative_lights' });
  t.notOk(call.result.isError, JSON.stringify(call.json));

  await stack.sim.faults.restart();
  await stack.deps.ha.waitReady(10_000);
  stack.sim.home.setState('sensor.outside_temperature', '12.0');
  const until = Date.now() + 10_000;
  while (Date.now() < until && stack.deps.ha.cache.getState('sensor.outside_temperature')?.state !== '12.0') {
    await new Promise((r) => setTimeout(r, 50));
  }
  t.equal(stack.deps.ha.cache.getState('sensor.outside_temperature')?.state, '12.0', 're-subscribed after a Home Assistant restart');
});
