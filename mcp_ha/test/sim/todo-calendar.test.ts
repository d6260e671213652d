// The shopping list as one store (todo.shopping_list over WS, GET /api/shopping_list over REST), its
// subscription and moves; and calendar/event/create|update|delete on a calendar that has the features
// (the demo's have none, so the recording only shows not_supported).
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { connectAuthed, rest } from './client.js';

t.test('shopping list: one store, subscribe, move', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const c = await connectAuthed(sim.wsUrl, sim.token);
  t.teardown(() => c.close());
  const target = { entity_id: 'todo.shopping_list' };
  const sub = await c.command({ id: 1, type: 'todo/item/subscribe', entity_id: 'todo.shopping_list' });
  t.same(sub, { id: 1, type: 'result', success: true, result: null });
  for (const [id, item] of [[2, 'Milk'], [3, 'Bread']] as const) {
    const r = await c.command({ id, type: 'call_service', domain: 'todo', service: 'add_item', target, service_data: { item } });
    t.equal(r.success, true, `added ${item}`);
  }
  const shop = (await rest(sim.url, sim.token, 'GET', '/api/shopping_list')).json as { name: string; id: string; complete: boolean }[];
  t.same(shop.map((i) => [i.name, i.complete]), [['Milk', false], ['Bread', false]], 'REST lists the to-do items');
  const events = c.frames.filter((f) => (f as { type?: string; id?: number }).type === 'event' && (f as { id: number }).id === 1);
  t.equal(events.length, 3, 'the items at once, then after each add');
  t.same((events[2] as { event: { items: unknown[] } }).event.items[1], { summary: 'Bread', uid: shop[1]!.id, status: 'needs_action', due: null, description: null, completed: null });

  t.equal((await c.command({ id: 4, type: 'todo/item/move', entity_id: 'todo.shopping_list', uid: shop[1]!.id })).success, true);
  t.equal((await c.command({ id: 5, type: 'todo/item/move', entity_id: 'todo.shopping_list', uid: shop[1]!.id, previous_uid: shop[0]!.id })).success, true);
  t.equal((await c.command({ id: 6, type: 'todo/item/move', entity_id: 'todo.shopping_list', uid: shop[0]!.id })).success, true);
  const bad = await c.command({ id: 7, type: 'todo/item/move', entity_id: 'todo.shopping_list', uid: shop[0]!.id, previous_uid: 'nope' });
  t.same(bad.error, { code: 'failed', message: `Shopping list item '${shop[0]!.id}' could not be re-ordered` });
  await c.command({ id: 8, type: 'call_service', domain: 'todo', service: 'update_item', target, service_data: { item: 'Bread', status: 'completed' } });
  const after = (await rest(sim.url, sim.token, 'GET', '/api/shopping_list')).json as { name: string; complete: boolean }[];
  t.same(after.map((i) => [i.name, i.complete]), [['Milk', false], ['Bread', true]], 'moves and updates show over REST');
  t.equal(sim.home.getState('todo.shopping_list')?.state, '1');
  await c.command({ id: 9, type: 'unsubscribe_events', subscription: 1 });
  const n = c.frames.length;
  await c.command({ id: 10, type: 'call_service', domain: 'todo', service: 'remove_item', target, service_data: { item: ['Milk', 'Bread'] } });
  t.equal(c.frames.length, n + 1, 'no events after unsubscribing');
  t.same((await rest(sim.url, sim.token, 'GET', '/api/shopping_list')).json, []);
});

t.test('calendar events over WS on a calendar with the features', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const cal = sim.home.getState('calendar.calendar_1')!;
  sim.home.setState('calendar.calendar_1', cal.state, { ...cal.attributes, supported_features: 7 });
  const c = await connectAuthed(sim.wsUrl, sim.token);
  t.teardown(() => c.close());
  const event = { summary: 'Dentist', dtstart: '2026-12-03T09:00:00+00:00', dtend: '2026-12-03T10:00:00+00:00', location: 'Town' };
  t.same(await c.command({ id: 1, type: 'calendar/event/create', entity_id: 'calendar.calendar_1', event }), { id: 1, type: 'result', success: true, result: null });
  const list = async () =>
    (await rest(sim.url, sim.token, 'GET', '/api/calendars/calendar.calendar_1?start=2026-12-01T00:00:00Z&end=2026-12-05T00:00:00Z')).json as Record<string, unknown>[];
  const [stored] = (await list()).filter((e) => e.summary === 'Dentist');
  t.match(stored, { start: { dateTime: '2026-12-03T10:00:00+01:00' }, end: { dateTime: '2026-12-03T11:00:00+01:00' }, location: 'Town', uid: String });
  const uid = String(stored!.uid);
  const upd = await c.command({ id: 2, type: 'calendar/event/update', entity_id: 'calendar.calendar_1', uid, event: { ...event, summary: 'Dentist (moved)', dtstart: '2026-12-04', dtend: '2026-12-05' } });
  t.equal(upd.success, true);
  t.match((await list()).find((e) => e.uid === uid), { summary: 'Dentist (moved)', start: { date: '2026-12-04' } });
  const unknown = await c.command({ id: 3, type: 'calendar/event/update', entity_id: 'calendar.calendar_1', uid: 'nope', event });
  t.equal((unknown.error as { code: string }).code, 'failed');
  t.equal((await c.command({ id: 4, type: 'calendar/event/delete', entity_id: 'calendar.calendar_1', uid })).success, true);
  t.notOk((await list()).some((e) => e.uid === uid), 'deleted');
});
