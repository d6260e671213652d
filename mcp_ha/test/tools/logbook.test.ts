// ha_logbook through MCP: compact lines newest first with who or what did it, filters by
// entities, area and domain, paging, the ~8,000-token bound, bad input; on the demo home (its
// recorded logbook, then live changes) and on a generated 2,000-entity home with a synthesized
// past. Answer sizes are o200k tokens (t.comment).
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t, { type Test } from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';
import { eventually } from '../tools-home/helpers.js';

type Obj = Record<string, unknown>;
const LINE = /^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d [a-z0-9_]+(\.[a-z0-9_]+)?: .+$/;

async function call(t: Test, stack: Stack, args: Obj, label: string): Promise<{ json: Obj; entries: string[]; tokens: number }> {
  const { result, json } = await stack.call('ha_logbook', args);
  const text = (result.content[0] as { text: string }).text;
  const tokens = encode(text).length;
  t.comment(`${label}: ${tokens} tokens`);
  if (result.isError) t.fail(`${label}: ${text}`);
  return { json, entries: (json.entries as string[]) ?? [], tokens };
}

/** Entry times in ms, read back from the lines (the date carried from the line before). */
function times(entries: string[]): number[] {
  let date = '';
  return entries.map((e) => {
    const m = /^(?:(\d{4}-\d\d-\d\d) )?(\d\d:\d\d:\d\d)/.exec(e)!;
    if (m[1]) date = m[1];
    return Date.parse(`${date}T${m[2]}Z`);
  });
}

t.test('ha_logbook on the demo home', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  t.test('compact lines, newest first, with who did it', async (t) => {
    const { json, entries, tokens } = await call(t, stack, { limit: 20 }, 'the last 20 entries');
    t.equal(json.time_zone, 'Europe/Amsterdam');
    t.equal(entries.length, 20);
    t.ok((json.total as number) > 100, `${String(json.total)} entries in the last 24 h`);
    t.match(entries[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, 'the first line has the date');
    for (const e of entries) t.match(e, LINE);
    const when = times(entries);
    for (let i = 1; i < when.length; i++) t.ok(when[i]! <= when[i - 1]!, 'newest first');
    t.ok(entries.some((e) => / light\.bed_light: turned (on|off) \(by MCP Test\)$/.test(e)), 'a user, by the name of their person');
    t.ok(tokens < 800);
    const all = await call(t, stack, { limit: 500 }, 'every entry');
    t.ok(all.entries.some((e) => / light\.bed_light: turned off \(by automation\.mcp_test_automation\)$/.test(e)), 'an automation');
    t.ok(all.entries.some((e) => / automation\.mcp_test_automation: triggered by state of input_boolean\.mcp_test_toggle$/.test(e)), "an automation's trigger");
    t.ok(all.entries.some((e) => / cover\.living_room_window: (opened|changed to opening)/.test(e)));
  });

  t.test('paging', async (t) => {
    const ten = await call(t, stack, { limit: 10 }, 'ten');
    const a = await call(t, stack, { limit: 5 }, 'page 1');
    const b = await call(t, stack, { limit: 5, offset: 5 }, 'page 2');
    t.same([...a.entries, ...b.entries].map((e) => e.replace(/^\d{4}-\d\d-\d\d /, '')), ten.entries.map((e) => e.replace(/^\d{4}-\d\d-\d\d /, '')), 'two pages are the first ten');
    t.match(b.entries[0], /^\d{4}-\d\d-\d\d /, 'each page starts with the date');
    t.match(a.json, { offset: 0, has_more: true, note: /older entries: offset 5/ });
    const total = a.json.total as number;
    const last = await call(t, stack, { limit: 50, offset: total - 3 }, 'the last page');
    t.equal(last.entries.length, 3);
    t.equal(last.json.has_more, false);
    t.notOk(last.json.note);
    const past = await call(t, stack, { offset: total + 10 }, 'past the end');
    t.same(past.entries, []);
  });

  t.test('filters: entities, domain, area; live changes appear', async (t) => {
    const bed = await call(t, stack, { entity_ids: ['light.bed_light'], limit: 500 }, 'light.bed_light');
    t.ok(bed.entries.length > 10);
    t.ok(bed.entries.every((e) => / light\.bed_light: /.test(e)));
    const lights = await call(t, stack, { domain: 'light', limit: 500 }, 'domain light');
    t.ok(lights.entries.every((e) => / light\.[a-z0-9_]+: /.test(e)));
    t.ok(lights.entries.length >= bed.entries.length);
    const both = await call(t, stack, { domain: 'cover', entity_ids: ['light.bed_light'] }, 'entity and another domain');
    t.match(both.json, { entries: [], total: 0, note: 'No entities match these filters.' });
    stack.sim.home.setState('input_boolean.mcp_test_toggle', 'off');
    const fresh = await eventually(async () => {
      const r = await call(t, stack, { entity_ids: ['input_boolean.mcp_test_toggle'], limit: 1, start: '-1m' }, 'a change just now');
      return r.entries[0]?.includes('turned off') ? r : undefined;
    });
    t.match(fresh.entries[0], / input_boolean\.mcp_test_toggle: turned off$/);
  });

  t.test('bad input', async (t) => {
    const time = await stack.call('ha_logbook', { start: 'since breakfast' });
    t.match(time.json, { error: 'invalid_input', message: 'start "since breakfast" is not a time.', suggestion: /ISO 8601/ });
    const entity = await stack.call('ha_logbook', { entity_ids: ['light.bedlight'] });
    t.match(entity.json, { error: 'entity_not_found', suggestion: /light\.bed_light/ });
    const area = await stack.call('ha_logbook', { area: 'Narnia' });
    t.match(area.json, { error: 'not_found', message: 'No area "Narnia".' });
    const domain = await stack.call('ha_logbook', { domain: 'warp_drive' });
    t.match(domain.json, { entries: [], note: 'No warp_drive entities in this home.' });
    const long = await stack.call('ha_logbook', { start: '-60d' });
    t.match(long.json, { error: 'invalid_input', message: /at most 31 days/ });
    const limit = await stack.call('ha_logbook', { limit: 0 });
    t.equal(limit.json.error, 'invalid_input');
  });
});

t.test('ha_logbook on a 2,000-entity home', async (t) => {
  const stack = await startStack({ home: 2000 });
  t.teardown(() => stack.close());

  t.test('a day of the whole home, bounded', async (t) => {
    const { json, entries, tokens } = await call(t, stack, { limit: 500 }, '500 entries asked');
    t.ok((json.total as number) > 500, `${String(json.total)} entries in a day`);
    t.ok(tokens <= 8000, `${tokens} tokens`);
    t.ok(entries.length < 500, `cut at ${entries.length}`);
    t.match(json.note, new RegExp(`offset ${entries.length} \\(cut to stay under ~8,000 tokens\\)`));
    for (const e of entries) t.match(e, LINE);
    t.ok(entries.some((e) => /\(by automation\.[a-z0-9_]+\)$/.test(e)), 'automations');
    t.ok(entries.some((e) => /\(by script\.[a-z0-9_]+\)$/.test(e)), 'scripts');
    t.ok(entries.some((e) => /\(by [A-Z][a-z]+\)$/.test(e)), 'people');
    t.ok(entries.some((e) => /: (opened|closed|detected motion|cleared|arrived home|left home|locked|unlocked)/.test(e)), 'words for doors, motion, people, locks');
    const typical = await call(t, stack, {}, 'the default 50');
    t.equal(typical.entries.length, 50);
  });

  t.test('by area and domain, and both', async (t) => {
    const kitchen = await call(t, stack, { area: 'Kitchen', start: '-3d', limit: 500 }, 'the kitchen, 3 days');
    t.ok(kitchen.entries.length > 0);
    const areaOf = (id: string) => {
      const e = stack.deps.ha.cache.entities.get(id);
      return e?.area_id ?? (e?.device_id ? stack.deps.ha.cache.devices.get(e.device_id)?.area_id : undefined);
    };
    const idOf = (line: string) => / ([a-z0-9_]+\.[a-z0-9_]+): /.exec(line)![1]!;
    t.ok(kitchen.entries.every((e) => areaOf(idOf(e)) === 'kitchen'), 'only kitchen entities');
    const lights = await call(t, stack, { area: 'kitchen', domain: 'light', start: '-3d', limit: 500 }, 'kitchen lights');
    t.ok(lights.entries.length > 0 && lights.entries.length < kitchen.entries.length);
    t.ok(lights.entries.every((e) => idOf(e).startsWith('light.')));
    const motion = await call(t, stack, { domain: 'binary_sensor', limit: 100 }, 'binary sensors of the whole home');
    t.ok(motion.entries.length > 0 && motion.entries.every((e) => idOf(e).startsWith('binary_sensor.')));
    // 855 sensors: too many to send as entity_ids, so the domain is filtered here.
    stack.sim.home.setState('sensor.mcp_test_text', 'hello', { friendly_name: 'Test text' });
    const sensors = await eventually(async () => {
      const r = await call(t, stack, { domain: 'sensor', start: '-10m' }, 'sensors (855 of them)');
      return r.entries.length ? r : undefined;
    });
    t.ok(sensors.entries.every((e) => idOf(e).startsWith('sensor.')));
    t.match(sensors.entries[0], / sensor\.mcp_test_text: changed to hello$/);
  });
});
