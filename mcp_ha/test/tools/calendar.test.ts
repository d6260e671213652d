// ha_calendar and ha_calendar_edit through MCP: events of one and of all calendars in a period
// (friendly and strict times), to-do items by status, creating an event and adding, updating,
// completing and removing items through the service gate (seen in the simulator, audited), and
// the error paths (unknown calendar or list with the closest, bad periods, a calendar that cannot
// create events, an unknown item, read-only mode, the default policy). On the demo home and on a
// 2,000-entity home with cameras, calendars and a to-do list added (sim.home.addHousehold()).
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t, { type Test } from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';
import { eventually } from '../tools-home/helpers.js';

type Obj = Record<string, unknown>;
const ALLOW = { allowed_services: ['todo.*', 'calendar.*'] };
const EVENT = /^\d{4}-\d\d-\d\d (\d\d:\d\d-(\d{4}-\d\d-\d\d )?\d\d:\d\d|all day) calendar\.[a-z0-9_]+: .+$|^\d{4}-\d\d-\d\d(\.\.\d{4}-\d\d-\d\d)? all day calendar\.[a-z0-9_]+: .+$/;

async function read(t: Test, stack: Stack, args: Obj, label: string): Promise<{ json: Obj; entries: string[] }> {
  const { result, json } = await stack.call('ha_calendar', args);
  const text = (result.content[0] as { text: string }).text;
  t.comment(`${label}: ${encode(text).length} tokens`);
  if (result.isError) t.fail(`${label}: ${text}`);
  return { json, entries: (json.entries as string[]) ?? [] };
}

async function edit(t: Test, stack: Stack, args: Obj): Promise<Obj> {
  const { result, json } = await stack.call('ha_calendar_edit', args);
  if (result.isError) t.fail(`${JSON.stringify(args)}: ${JSON.stringify(json)}`);
  return json;
}

async function failure(stack: Stack, tool: string, args: Obj): Promise<Obj> {
  const { result, json } = await stack.call(tool, args);
  if (!result.isError) throw new Error(`expected an error for ${tool} ${JSON.stringify(args)}: ${JSON.stringify(json)}`);
  return json;
}

const summaries = (stack: Stack, id: string): string[] => stack.sim.home.todoItems(id).map((i) => `${String(i.status)}:${String(i.summary)}`);

t.test('calendars and to-do lists on the demo home', async (t) => {
  const stack = await startStack({ options: ALLOW });
  t.teardown(() => stack.close());

  t.test('events of all calendars in the next 7 days, in the home time zone', async (t) => {
    const { json, entries } = await read(t, stack, {}, 'all calendars, default period');
    t.match(json.period, /^\d{4}-\d\d-\d\d \d\d:\d\d\.\.\d{4}-\d\d-\d\d \d\d:\d\d Europe\/Amsterdam$/);
    t.equal(entries.length, 2);
    for (const e of entries) t.match(e, EVENT);
    t.match(entries[0], /calendar\.calendar_2: Current Event$/, 'the running event first');
    t.match(entries[1], /calendar\.calendar_1: Future Event @ Future Location - Future Description$/);
    t.equal(json.has_more, false);
  });

  t.test('one calendar; a period with nothing in it', async (t) => {
    const one = await read(t, stack, { entity_id: 'calendar.calendar_1' }, 'calendar_1');
    t.equal(one.entries.length, 1);
    t.match(one.entries[0], /Future Event/);
    const past = await read(t, stack, { start: 'last week' }, 'last week');
    t.same(past.entries, []);
    t.match(past.json.note, /No events in 2 calendars/);
    const ahead = await read(t, stack, { start: '+3d', end: '+5d' }, 'in 3 to 5 days');
    t.same(ahead.entries, []);
  });

  t.test('bad periods and unknown calendars', async (t) => {
    const soon = await failure(stack, 'ha_calendar', { start: 'soon' });
    t.match(soon, { error: 'invalid_input', message: /start "soon" is not a time/ });
    const backwards = await failure(stack, 'ha_calendar', { start: 'tomorrow', end: 'today' });
    t.match(backwards, { error: 'invalid_input', message: /not before end/ });
    const long = await failure(stack, 'ha_calendar', { start: '-400d', end: 'now' });
    t.match(long, { error: 'invalid_input', message: /at most 366 days/ });
    const huge = await failure(stack, 'ha_calendar', { start: 'x'.repeat(41) });
    t.match(huge, { error: 'invalid_input', message: /at most 40 characters/ });
    const typo = await failure(stack, 'ha_calendar', { entity_id: 'calendar.calender_1' });
    t.match(typo, { error: 'entity_not_found', message: /no calendar calendar\.calender_1/ });
    t.match(typo.suggestion, /calendar\.calendar_1/);
    const light = await failure(stack, 'ha_calendar', { entity_id: 'light.bed_light' });
    t.match(light, { error: 'entity_not_found', message: /neither a calendar nor a to-do list/ });
    const list = await failure(stack, 'ha_calendar', { entity_id: 'todo.shoping_list' });
    t.match(list.suggestion, /todo\.shopping_list/);
  });

  t.test('the demo calendars cannot create or delete events', async (t) => {
    const no = await failure(stack, 'ha_calendar_edit', { action: 'create_event', entity_id: 'calendar.calendar_1', summary: 'Party', start: 'tomorrow' });
    t.match(no, { error: 'validation_error', message: /calendar\.calendar_1 does not support calendar\.create_event/ });
    const del = await failure(stack, 'ha_calendar_edit', { action: 'delete_event', entity_id: 'calendar.calendar_1', summary: 'Future Event' });
    t.match(del, { error: 'validation_error', message: /does not support deleting events/ });
  });

  t.test('to-do: add, update, complete and remove, seen in the simulator and audited', async (t) => {
    const empty = await read(t, stack, { entity_id: 'todo.shopping_list' }, 'empty list');
    t.same(empty.entries, []);
    t.equal(empty.json.note, '0 to do, 0 completed.');

    const added = await edit(t, stack, { action: 'add_item', entity_id: 'todo.shopping_list', summary: 'Milk' });
    t.match(added, { done: 'todo.shopping_list: added "Milk"', audit_id: String });
    await edit(t, stack, { action: 'add_item', entity_id: 'todo.shopping_list', summary: 'Bread' });
    t.same(summaries(stack, 'todo.shopping_list'), ['needs_action:Milk', 'needs_action:Bread']);
    await eventually(async () => stack.deps.ha.cache.getState('todo.shopping_list')?.state === '2');

    await edit(t, stack, { action: 'update_item', entity_id: 'todo.shopping_list', summary: 'milk', rename: 'Oat milk' });
    await edit(t, stack, { action: 'complete_item', entity_id: 'todo.shopping_list', summary: 'Bread' });
    t.same(summaries(stack, 'todo.shopping_list'), ['needs_action:Oat milk', 'completed:Bread']);
    const both = await read(t, stack, { entity_id: 'todo.shopping_list' }, 'two items');
    t.same(both.entries, ['[ ] Oat milk', '[x] Bread']);
    t.equal(both.json.note, '1 to do, 1 completed.');
    const done = await read(t, stack, { entity_id: 'todo.shopping_list', status: 'completed' }, 'completed only');
    t.same(done.entries, ['[x] Bread']);

    const missing = await failure(stack, 'ha_calendar_edit', { action: 'complete_item', entity_id: 'todo.shopping_list', summary: 'Oat mlk' });
    t.match(missing, { error: 'not_found', message: /has no item "Oat mlk"/ });
    t.match(missing.suggestion, /"Oat milk"/);

    const removed = await edit(t, stack, { action: 'remove_item', entity_id: 'todo.shopping_list', summary: 'Oat milk' });
    t.same(summaries(stack, 'todo.shopping_list'), ['completed:Bread']);
    await edit(t, stack, { action: 'remove_item', entity_id: 'todo.shopping_list', summary: 'Bread' });
    t.same(summaries(stack, 'todo.shopping_list'), []);

    const records = await stack.deps.audit.readAll();
    const byId = (id: unknown): Obj | undefined => records.find((r) => r.id === id) as Obj | undefined;
    t.match(byId(added.audit_id), { tool: 'ha_calendar_edit', service: 'todo.add_item', outcome: 'success', entities: ['todo.shopping_list'], data: { item: 'Milk' } });
    t.match(byId(removed.audit_id), { service: 'todo.remove_item', outcome: 'success' });
  });

  t.test('bad to-do arguments', async (t) => {
    const nothing = await failure(stack, 'ha_calendar_edit', { action: 'update_item', entity_id: 'todo.shopping_list', summary: 'x' });
    t.equal(nothing.error, 'not_found', 'the item is looked up first');
    const where = await failure(stack, 'ha_calendar_edit', { action: 'add_item', entity_id: 'todo.shopping_list', summary: 'x', location: 'home' });
    t.match(where, { error: 'invalid_input', message: /for calendar events/ });
    const wrong = await failure(stack, 'ha_calendar_edit', { action: 'add_item', entity_id: 'calendar.calendar_1', summary: 'x' });
    t.match(wrong, { error: 'entity_not_found', message: /not a to-do list/ });
    const action = await failure(stack, 'ha_calendar_edit', { action: 'delete_everything', entity_id: 'todo.shopping_list', summary: 'x' });
    t.equal(action.error, 'invalid_input');
    t.same(summaries(stack, 'todo.shopping_list'), [], 'nothing was added');
  });
});

t.test('writes are refused in read-only mode and by the default policy', async (t) => {
  const ro = await startStack({ options: { ...ALLOW, read_only: true } });
  t.teardown(() => ro.close());
  const refused = await failure(ro, 'ha_calendar_edit', { action: 'add_item', entity_id: 'todo.shopping_list', summary: 'Milk' });
  t.equal(refused.error, 'read_only');
  t.same(ro.sim.home.todoItems('todo.shopping_list'), []);
  const reads = await read(t, ro, { entity_id: 'todo.shopping_list' }, 'read-only still reads');
  t.same(reads.entries, []);
  ro.sim.home.addHousehold();
  await eventually(async () => ro.deps.ha.cache.getState('calendar.family') !== undefined);
  const noCreate = await failure(ro, 'ha_calendar_edit', { action: 'create_event', entity_id: 'calendar.family', summary: 'x', start: 'tomorrow' });
  t.equal(noCreate.error, 'read_only');
  const noDelete = await failure(ro, 'ha_calendar_edit', { action: 'delete_event', entity_id: 'calendar.family', summary: 'Dinner with Sam' });
  t.equal(noDelete.error, 'read_only', 'deleting is refused before any confirmation');
  t.ok((await read(t, ro, { entity_id: 'calendar.family' }, 'family')).entries.some((e) => e.includes('Dinner with Sam')), 'the event is still there');

  const plain = await startStack({ sim: ro.sim });
  t.teardown(() => plain.close());
  const denied = await failure(plain, 'ha_calendar_edit', { action: 'add_item', entity_id: 'todo.shopping_list', summary: 'Milk' });
  t.match(denied, { error: 'policy_denied', suggestion: /todo\.add_item/ });
  t.same(ro.sim.home.todoItems('todo.shopping_list'), []);
});

t.test('calendars and to-do lists on a 2,000-entity home', async (t) => {
  const stack = await startStack({ home: 2000, options: ALLOW });
  t.teardown(() => stack.close());
  stack.sim.home.addHousehold();
  await eventually(async () => stack.deps.ha.cache.getState('todo.groceries') !== undefined);

  t.test('events of every calendar and of one, in a named period', async (t) => {
    const all = await read(t, stack, { start: '-3d', end: '+14d' }, 'all calendars, 17 days');
    t.ok(all.entries.length >= 12, `${all.entries.length} events`);
    for (const e of all.entries) t.match(e, EVENT);
    t.ok(all.entries.some((e) => /all day calendar\.holidays: Public holiday$/.test(e)), 'an all-day event');
    t.ok(all.entries.some((e) => /calendar\.family: Dinner with Sam @ Café de Jaren$/.test(e)));
    const family = await read(t, stack, { entity_id: 'calendar.family', start: 'tomorrow' }, 'family, tomorrow');
    for (const e of family.entries) t.match(e, /calendar\.family:/);
    t.match(family.json.period, / 00:00\.\..* 00:00 Europe\/Amsterdam$/, 'tomorrow is a whole local day');
  });

  t.test('create an event: seen in the simulator and read back', async (t) => {
    const created = await edit(t, stack, { action: 'create_event', entity_id: 'calendar.family', summary: 'MCP planning', start: '+2d', end: '+2d2h', location: 'Kitchen', description: 'Bring coffee' });
    t.match(created, { done: 'calendar.family: created event "MCP planning"', audit_id: String });
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 4 * 86_400_000).toISOString();
    const res = await fetch(`${stack.sim.url}/api/calendars/calendar.family?start=${encodeURIComponent(from)}&end=${encodeURIComponent(to)}`, { headers: { Authorization: `Bearer ${stack.sim.token}` } });
    const events = (await res.json()) as Obj[];
    const ev = events.find((e) => e.summary === 'MCP planning');
    t.match(ev, { location: 'Kitchen', description: 'Bring coffee', uid: /^[0-9a-f]{32}$/ });
    const hours = (Date.parse(String((ev?.end as Obj).dateTime)) - Date.parse(String((ev?.start as Obj).dateTime))) / 3_600_000;
    t.equal(hours, 2);
    const back = await read(t, stack, { entity_id: 'calendar.family', start: '+1d', end: '+4d' }, 'read back');
    t.ok(back.entries.some((e) => /calendar\.family: MCP planning @ Kitchen - Bring coffee$/.test(e)));

    const allDay = await edit(t, stack, { action: 'create_event', entity_id: 'calendar.family', summary: 'Holiday', start: 'next week' });
    t.ok(allDay.audit_id);
    const week = await read(t, stack, { entity_id: 'calendar.family', start: 'next week' }, 'next week');
    t.ok(week.entries.some((e) => /^\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d all day calendar\.family: Holiday$/.test(e)), 'a week of whole days');
    const holidays = await failure(stack, 'ha_calendar_edit', { action: 'create_event', entity_id: 'calendar.holidays', summary: 'x', start: 'tomorrow' });
    t.equal(holidays.error, 'validation_error', 'a read-only calendar');
    const missing = await failure(stack, 'ha_calendar_edit', { action: 'create_event', entity_id: 'calendar.family', summary: 'x' });
    t.match(missing, { error: 'invalid_input', message: /needs a start/ });
    const unknown = await failure(stack, 'ha_calendar_edit', { action: 'create_event', entity_id: 'calendar.famly', summary: 'x', start: 'tomorrow' });
    t.match(unknown.suggestion, /calendar\.family/);
  });

  t.test('delete an event: always confirmed, through the gate, gone from the simulator', async (t) => {
    const args = { action: 'delete_event', entity_id: 'calendar.family', summary: 'MCP planning' };
    const ask = await failure(stack, 'ha_calendar_edit', args);
    t.match(ask, { error: 'confirmation_required', message: /calendar\.delete_event needs the user's confirmation: deleting a calendar event/ });
    const details = ask.details as Obj;
    t.match(details.question, /^Allow the AI to delete \d{4}-\d\d-\d\d \d\d:\d\d-\d\d:\d\d calendar\.family: MCP planning @ Kitchen/);
    const events = async (): Promise<string[]> => (await read(t, stack, { entity_id: 'calendar.family', start: '+1d', end: '+4d' }, 'family')).entries;
    t.ok((await events()).some((e) => e.includes('MCP planning')), 'still there before the yes');
    const done = await edit(t, stack, { ...args, confirm_token: details.confirm_token });
    t.match(done.done, /^deleted .*calendar\.family: MCP planning/);
    t.notOk((await events()).some((e) => e.includes('MCP planning')), 'gone');
    const record = (await stack.deps.audit.readAll()).find((r) => r.id === done.audit_id) as Obj | undefined;
    t.match(record, { tool: 'ha_calendar_edit', service: 'calendar.delete_event', outcome: 'success', confirmed_by: 'token', entities: ['calendar.family'], change: { kind: 'calendar_event', before: { summary: 'MCP planning' }, after: null } });

    const again = await failure(stack, 'ha_calendar_edit', args);
    t.match(again, { error: 'not_found', message: /no event "MCP planning"/ });
    const many = await failure(stack, 'ha_calendar_edit', { ...args, summary: 'Bin collection' });
    t.match(many, { error: 'invalid_input', message: /events "Bin collection"/, suggestion: /Give start/ });
    const readOnly = await failure(stack, 'ha_calendar_edit', { ...args, entity_id: 'calendar.holidays', summary: 'Public holiday' });
    t.match(readOnly, { error: 'validation_error', message: /does not support deleting events/ });
  });

  t.test('to-do items with due dates and descriptions', async (t) => {
    const list = await read(t, stack, { entity_id: 'todo.groceries' }, 'groceries');
    t.same(list.entries, ['[ ] Milk', '[ ] Coffee beans - The dark roast', '[ ] Bread', '[x] Eggs']);
    await edit(t, stack, { action: 'add_item', entity_id: 'todo.groceries', summary: 'Cheese', due: 'tomorrow', description: 'Gouda' });
    const item = stack.sim.home.todoItems('todo.groceries').find((i) => i.summary === 'Cheese');
    t.match(item, { status: 'needs_action', due: /^\d{4}-\d\d-\d\d$/, description: 'Gouda' });
    await edit(t, stack, { action: 'update_item', entity_id: 'todo.groceries', summary: 'Cheese', due: '2030-01-02T18:30' });
    const again = await read(t, stack, { entity_id: 'todo.groceries', status: 'needs_action' }, 'to do');
    t.ok(again.entries.includes('[ ] Cheese (due 2030-01-02 18:30) - Gouda'), again.entries.join(' | '));
    const badDue = await failure(stack, 'ha_calendar_edit', { action: 'add_item', entity_id: 'todo.groceries', summary: 'x', due: 'whenever' });
    t.match(badDue, { error: 'invalid_input', message: /is not a time/ });
  });
});
