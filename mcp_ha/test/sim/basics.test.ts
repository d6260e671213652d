// The first slice: demo home over REST and WS, service calls changing state, events.
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { connectAuthed, rest } from './client.js';

t.test('REST and WS basics on the demo home', async (t) => {
  const sim = await startSimulator({ port: 0, tokens: ['tok-1'] });
  t.teardown(() => sim.close());
  t.equal(sim.token, 'tok-1');
  t.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);

  const api = await rest(sim.url, 'tok-1', 'GET', '/api/');
  t.equal(api.status, 200);
  t.equal(api.text, '{"message":"API running."}');
  t.equal(api.headers.get('content-type'), 'application/json');
  t.equal(api.headers.get('x-frame-options'), 'SAMEORIGIN');

  const noAuth = await rest(sim.url, null, 'GET', '/api/states');
  t.equal(noAuth.status, 401);
  t.equal(noAuth.text, '401: Unauthorized');
  t.equal(noAuth.headers.get('content-type'), 'text/plain; charset=utf-8');

  const states = (await rest(sim.url, 'tok-1', 'GET', '/api/states')).json as { entity_id: string }[];
  t.equal(states.length, 120);
  const bed = (await rest(sim.url, 'tok-1', 'GET', '/api/states/light.bed_light')).json as Record<string, unknown>;
  t.equal(bed.state, 'on');
  t.match(bed.last_changed, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);

  const ws = await connectAuthed(sim.wsUrl, 'tok-1');
  t.teardown(() => ws.close());
  const sub = await ws.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
  t.same(sub, { id: 1, type: 'result', success: true, result: null });
  const ent = await ws.command({ id: 2, type: 'subscribe_entities', entity_ids: ['switch.ac'] });
  t.equal(ent.success, true);
  const initial = await ws.waitFor((f) => f.id === 2 && f.type === 'event');
  t.same(Object.keys((initial.event as { a: object }).a), ['switch.ac']);

  // A REST service call changes the state, lists it, and reaches WS subscribers.
  const call = await rest(sim.url, 'tok-1', 'POST', '/api/services/switch/turn_on', { entity_id: 'switch.ac' });
  t.equal(call.status, 200);
  const changed = call.json as { entity_id: string; state: string }[];
  t.same(changed.map((s) => [s.entity_id, s.state]), [['switch.ac', 'on']]);
  const ev = await ws.waitFor((f) => f.id === 1 && f.type === 'event');
  t.equal((ev.event as { data: { new_state: { state: string } } }).data.new_state.state, 'on');
  const diff = await ws.waitFor((f) => f.id === 2 && f.type === 'event' && 'c' in (f.event as object));
  t.equal((diff.event as { c: Record<string, { '+': { s: string } }> }).c['switch.ac']!['+'].s, 'on');
  const again = await rest(sim.url, 'tok-1', 'POST', '/api/services/switch/turn_on', { entity_id: 'switch.ac' });
  t.same(again.json, [], 'nothing changed the second time');

  // WS call_service with brightness; the light keeps it.
  const res = await ws.command({ id: 3, type: 'call_service', domain: 'light', service: 'turn_on', target: { entity_id: 'light.ceiling_lights' }, service_data: { brightness_pct: 50 } });
  t.equal(res.success, true);
  t.match((res.result as { context: { id: string } }).context.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  t.equal(sim.home.getState('light.ceiling_lights')?.attributes.brightness, 128);
  const bad = await ws.command({ id: 4, type: 'call_service', domain: 'light', service: 'turn_on', target: { entity_id: 'light.bed_light' }, service_data: { brightness: 'bright' } });
  t.same(bad.error, { code: 'invalid_format', message: "expected int for dictionary value @ data['brightness']" });
  const toggled = await ws.command({ id: 5, type: 'call_service', domain: 'input_boolean', service: 'toggle', target: { entity_id: 'input_boolean.mcp_test_toggle' } });
  t.equal(toggled.success, true);
  t.equal(sim.home.getState('input_boolean.mcp_test_toggle')?.state, 'off');

  // Registry lists.
  for (const [i, kind] of ['area', 'floor', 'label', 'device', 'entity'].entries()) {
    const r = await ws.command({ id: 10 + i, type: `config/${kind}_registry/list` });
    t.ok(Array.isArray(r.result), `${kind} list`);
  }
  const cfg = await ws.command({ id: 20, type: 'get_config' });
  t.equal((cfg.result as { version: string }).version, '2026.2.0.dev0');
  const all = await ws.command({ id: 21, type: 'get_states' });
  t.equal((all.result as unknown[]).length, 120);
  const svc = await ws.command({ id: 22, type: 'get_services' });
  t.ok((svc.result as Record<string, unknown>).light);
  t.same(await ws.command({ id: 23, type: 'ping' }), { id: 23, type: 'pong' });
  t.same((await ws.command({ id: 24, type: 'unsubscribe_events', subscription: 1 })).success, true);
  t.same((await ws.command({ id: 25, type: 'unsubscribe_events', subscription: 1 })).error, { code: 'not_found', message: 'Subscription not found.' });
});
