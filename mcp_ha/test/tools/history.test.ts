// ha_history through MCP: state runs, numeric sensors downsampled with min/max/mean and the unit,
// significant_changes_only, relative and ISO times and bad ones, unknown entities, long-term
// statistics (a meter's total for a week, merged rows, which statistics exist), the ~8,000-token
// bound, and cancellation; on the demo home and on a generated 2,000-entity home with a
// synthesized past. Answer sizes are o200k tokens (t.comment).
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t, { type Test } from 'tap';
import { formatTime } from '../../src/home/time.js';
import { estimateTokens } from '../../src/home/tokens.js';
import { history } from '../../src/tools/history.js';
import { startStack, type Stack } from '../helpers/stack.js';

type Obj = Record<string, unknown>;
const TZ = 'Europe/Amsterdam';

async function call(t: Test, stack: Stack, args: Obj, label: string): Promise<{ json: Obj; tokens: number; text: string }> {
  const { result, json } = await stack.call('ha_history', args);
  const text = (result.content[0] as { text: string }).text;
  const tokens = encode(text).length;
  t.comment(`${label}: ${tokens} tokens`);
  if (result.isError) t.fail(`${label}: ${text}`);
  return { json, tokens, text };
}

const entity = (json: Obj, id: string): Obj => (json.entities as Record<string, Obj>)[id]!;
const minutesAgo = (label: string): number => (Date.now() - Date.parse(`${label.replace(' ', 'T')}:00+01:00`)) / 60_000;

t.test('ha_history on the demo home', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  t.test('state changes as runs, until now, with the time in each state', async (t) => {
    const { json, tokens } = await call(t, stack, { entity_ids: ['light.bed_light'] }, 'light.bed_light, a day (demo toggles it ~80 times)');
    t.equal(json.time_zone, TZ);
    t.match(json.end, / \(now\)$/);
    t.ok(Math.abs(minutesAgo(String(json.start)) - 24 * 60) < 2, 'default: the last 24 h');
    const light = entity(json, 'light.bed_light');
    const runs = light.runs as string[];
    t.equal(runs.length, 48, 'at most 48 runs by default');
    t.match(runs[0], /^(on|off) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d→\d\d:\d\d:\d\d$/, 'the first run has the date; seconds for runs this short');
    t.match(runs.at(-1), /^(on|off) \d\d:\d\d:\d\d→now$/);
    for (let i = 1; i < runs.length; i++) t.not(runs[i]!.split(' ')[0], runs[i - 1]!.split(' ')[0], 'consecutive runs differ');
    t.match(light.earlier, /^\d+ older runs left out \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d→\d\d:\d\d:\d\d\)$/);
    t.match(light.time, { on: /^\d+(m|s)|^\d+h/, off: String });
    t.ok(tokens < 1200, 'a busy light fits in ~1,000 tokens');
    const few = await call(t, stack, { entity_ids: ['light.bed_light'], points: 5 }, 'light.bed_light, 5 runs');
    t.equal((entity(few.json, 'light.bed_light').runs as string[]).length, 5);
    t.same(entity(few.json, 'light.bed_light').time, light.time, 'the time in each state counts every run');
  });

  t.test('numeric sensors: points with the unit once; other entities as runs', async (t) => {
    const { json } = await call(t, stack, { entity_ids: ['sensor.outside_temperature', 'climate.hvac', 'sensor.power_consumption'] }, 'three entities');
    t.match(entity(json, 'sensor.outside_temperature'), { unit: '°C', min: Number, max: Number, mean: Number, points: [[String, Number]] });
    t.match(entity(json, 'sensor.power_consumption'), { unit: 'W', min: 100, max: 100, mean: 100 });
    t.match((entity(json, 'climate.hvac').runs as string[])[0], /^cool .*→now$/);
  });

  t.test('relative, named and ISO times, in the home time zone', async (t) => {
    const hour = await call(t, stack, { entity_ids: ['light.bed_light'], start: '-1h' }, 'the last hour');
    t.ok(Math.abs(minutesAgo(String(hour.json.start)) - 60) < 2, `start ${String(hour.json.start)}`);
    const today = await call(t, stack, { entity_ids: ['light.bed_light'], start: 'today' }, 'today');
    t.match(today.json.start, / 00:00$/, 'today starts at local midnight');
    const date = String(today.json.start).slice(0, 10);
    const isoLocal = await call(t, stack, { entity_ids: ['light.bed_light'], start: `${date}T00:00` }, 'ISO without offset');
    t.equal(isoLocal.json.start, today.json.start, 'an ISO time without offset is the home wall clock');
    const utc = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const isoZ = await call(t, stack, { entity_ids: ['light.bed_light'], start: utc, end: new Date(Date.now() - 3_600_000).toISOString() }, 'ISO with Z');
    t.equal(isoZ.json.start, formatTime(Date.parse(utc), TZ), 'answers in local time');
    t.notMatch(isoZ.json.end, /now/, 'an end before now is not "now"');
    const yesterday = await call(t, stack, { entity_ids: ['light.bed_light'], start: 'yesterday' }, 'yesterday');
    t.match(yesterday.json, { start: / 00:00$/, end: / 00:00$/ });
    t.equal(entity(yesterday.json, 'light.bed_light'), 'no history in this period', 'the demo home did not exist yesterday');
  });

  t.test('bad input: times, entities', async (t) => {
    const bad = await stack.call('ha_history', { entity_ids: ['light.bed_light'], start: 'last tuesday' });
    t.equal(bad.result.isError, true);
    t.match(bad.json, { error: 'invalid_input', message: 'start "last tuesday" is not a time.', suggestion: /ISO 8601.*Europe\/Amsterdam.*"-24h".*"yesterday".*"this week"/ });
    const future = await stack.call('ha_history', { entity_ids: ['light.bed_light'], start: '2999-01-01' });
    t.match(future.json, { error: 'invalid_input', message: /in the future/ });
    const reversed = await stack.call('ha_history', { entity_ids: ['light.bed_light'], start: '-1h', end: '-2h' });
    t.match(reversed.json, { error: 'invalid_input', message: /is not before end/ });
    const unknown = await stack.call('ha_history', { entity_ids: ['light.bed_light', 'light.bed_ligt'] });
    t.match(unknown.json, { error: 'entity_not_found', message: 'Entity light.bed_ligt not found.', suggestion: /light\.bed_light/ });
    t.ok(((unknown.json.details as Obj).closest as string[]).includes('light.bed_light'));
    const none = await stack.call('ha_history', {});
    t.match(none.json, { error: 'invalid_input', message: 'entity_ids is required.' });
    const long = await stack.call('ha_history', { entity_ids: ['light.bed_light'], start: '-40d' });
    t.match(long.json, { error: 'invalid_input', message: /at most 31 days/, suggestion: /statistics/ });
    const fine = await stack.call('ha_history', { entity_ids: ['sensor.total_energy_kwh'], start: '-60d', statistics: '5minute' });
    t.match(fine.json, { error: 'invalid_input', message: /5minute statistics cover at most 31 days/, suggestion: /"hour"/ });
    const schema = await stack.call('ha_history', { entity_ids: ['light.bed_light'], points: 1 });
    t.equal(schema.json.error, 'invalid_input', 'points below 2');
  });

  t.test('statistics of the demo home: recorded 5-minute rows, a total, which exist', async (t) => {
    const { json } = await call(t, stack, { entity_ids: ['sensor.total_energy_kwh', 'sensor.outside_temperature', 'light.bed_light'], statistics: '5minute' }, '5-minute statistics');
    const energy = entity(json, 'sensor.total_energy_kwh');
    t.match(energy, { unit: 'kWh', total: Number, rows: [[String, Number]] });
    const sum = (energy.rows as [string, number][]).reduce((a, r) => a + r[1], 0);
    t.ok(Math.abs((energy.total as number) - sum) < 1e-6, 'the total is what the rows counted');
    t.match(entity(json, 'sensor.outside_temperature'), { unit: '°C', rows: [[String, Number, Number, Number]], mean: Number });
    t.same(json.no_statistics, ['light.bed_light']);
    t.match(json.legend, /meters: rows \[start, change\]/);
    const hour = await call(t, stack, { entity_ids: ['sensor.total_energy_kwh'], statistics: 'hour' }, 'hourly (the demo recording has none)');
    t.match(entity(hour.json, 'sensor.total_energy_kwh'), { unit: 'kWh', rows: [], total: energy.total }, 'no hourly rows, but the total (from the 5-minute rows)');
    const list = await call(t, stack, { statistics: 'list' }, 'every statistic of the demo home');
    t.match(list.json.entities, { 'sensor.total_energy_kwh': 'kWh, sum', 'sensor.outside_temperature': '°C, mean' });
    t.equal(list.json.has_more, false);
  });

  t.test('cancellation: a cancelled call stops', async (t) => {
    const ctx = { ...stack.deps, caller: { kind: 'api_key', name: 'test' } as never, sessionId: undefined, signal: AbortSignal.abort() };
    await t.rejects(history.run({ entity_ids: ['light.bed_light'], points: 48, significant_changes_only: true }, ctx), { message: 'The call was cancelled.' });
    const slow = new AbortController();
    stack.sim.faults.setLatency(1500);
    t.teardown(() => stack.sim.faults.setLatency(0));
    const started = Date.now();
    const running = history.run({ entity_ids: ['light.bed_light'], points: 48, significant_changes_only: true }, { ...ctx, signal: slow.signal });
    setTimeout(() => slow.abort(), 100);
    await t.rejects(running, { message: 'The call was cancelled.' });
    t.ok(Date.now() - started < 1000, 'it did not wait for Home Assistant');
  });
});

t.test('ha_history on a 2,000-entity home with a synthesized past', async (t) => {
  const stack = await startStack({ home: 2000 });
  t.teardown(() => stack.close());
  const states = [...stack.deps.ha.cache.states()];
  const ids = (f: (s: (typeof states)[number]) => boolean, n: number) => states.filter(f).slice(0, n).map((s) => s.entity_id);

  t.test('a busy power sensor: a day in 48 buckets with min/max/mean and the unit', async (t) => {
    const { json, tokens } = await call(t, stack, { entity_ids: ['sensor.smart_meter_power'] }, 'sensor.smart_meter_power, a day (1,440 readings)');
    const power = entity(json, 'sensor.smart_meter_power');
    t.equal(power.unit, 'W');
    t.equal(power.step, '30m');
    const buckets = power.buckets as [string, number, number, number][];
    t.ok(buckets.length >= 48 && buckets.length <= 49, `${buckets.length} buckets`);
    t.match(buckets[0]![0], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    t.match(buckets[1]![0], /^(\d{4}-\d\d-\d\d )?\d\d:\d\d$/, "the date only when the day changes");
    for (const [, min, max, mean] of buckets) t.ok(min <= mean && mean <= max, 'min <= mean <= max');
    t.equal(power.min, Math.min(...buckets.map((b) => b[1])));
    t.equal(power.max, Math.max(...buckets.map((b) => b[2])));
    t.ok((power.mean as number) > (power.min as number) && (power.mean as number) < (power.max as number));
    t.match(json.legend, /\[start, min, max, mean\]/);
    t.ok(tokens <= 1200, 'a busy sensor day in about 1,000 tokens');
    const raw = await stack.deps.ha.command<Record<string, unknown[]>>({ type: 'history/history_during_period', start_time: new Date(Date.now() - 86_400_000).toISOString(), entity_ids: ['sensor.smart_meter_power'], minimal_response: true, no_attributes: true });
    t.comment(`the raw history: ${raw['sensor.smart_meter_power']!.length} rows, ${encode(JSON.stringify(raw)).length} tokens`);
    const fewer = await call(t, stack, { entity_ids: ['sensor.smart_meter_power'], points: 12, start: '-6h' }, 'six hours in 12 points');
    t.match(entity(fewer.json, 'sensor.smart_meter_power'), { step: '30m', buckets: Array });
    t.ok((entity(fewer.json, 'sensor.smart_meter_power').buckets as unknown[]).length <= 13);
  });

  t.test('a day of history for 50 entities stays under 8,000 tokens', async (t) => {
    const fifty = ids((s) => /^(light|switch|binary_sensor|lock|cover)\./.test(s.entity_id) || /power|energy|temperature/.test(String(s.attributes.device_class)), 50);
    t.equal(fifty.length, 50);
    const { json, tokens, text } = await call(t, stack, { entity_ids: fifty }, '50 entities, a day');
    t.ok(tokens <= 8000, `${tokens} tokens`);
    const shown = Object.keys(json.entities as Obj);
    t.same([...shown, ...((json.left_out as string[]) ?? [])], fifty, 'every entity is shown or named as left out, in order');
    if (json.note) t.match(json.note, /to stay under ~8,000 tokens/);
    const estimate = estimateTokens(text);
    t.ok(estimate >= tokens && estimate <= tokens * 1.25, `the estimate ${estimate} is close and high`);
    const week = await call(t, stack, { entity_ids: fifty, start: '-7d' }, '50 entities, a week');
    t.ok(week.tokens <= 8000, `${week.tokens} tokens`);
    t.match(week.json.note, /At most \d+ points per entity \(not 48\)/);
    if (week.json.has_more) {
      t.ok((week.json.left_out as string[]).length > 0);
      t.match(week.json.note, /entities left out/);
    }
    const more = await call(t, stack, { entity_ids: fifty.slice(0, 5), start: '-7d' }, '5 of them, a week');
    t.notOk(more.json.note, 'fewer entities: all the points');
  });

  t.test('significant_changes_only: attribute-only changes (dimming) count as updates only when asked', async (t) => {
    const lights = ids((s) => s.entity_id.startsWith('light.') && s.state !== 'unavailable', 8);
    const all = await call(t, stack, { entity_ids: lights, start: '-3d', significant_changes_only: false, points: 200 }, '8 lights, 3 days, every change');
    const some = await call(t, stack, { entity_ids: lights, start: '-3d', points: 200 }, '8 lights, 3 days, significant only');
    t.notOk(all.json.note, 'nothing left out');
    const runsOf = (json: Obj) => Object.values(json.entities as Record<string, Obj | string>).flatMap((e) => (typeof e === 'string' ? [] : (e.runs as string[])));
    const dims = runsOf(all.json).filter((r) => / \(\d+ updates?\)$/.test(r));
    t.ok(dims.length > 0, `${dims.length} runs with brightness changes`);
    t.equal(runsOf(some.json).filter((r) => /updates?\)$/.test(r)).length, 0, 'none with significant_changes_only');
    t.same(runsOf(some.json), runsOf(all.json).map((r) => r.replace(/ \(\d+ updates?\)$/, '')), 'the same runs either way');
  });

  t.test('a meter over this week: change per day and the total; a power sensor per day', async (t) => {
    const { json, tokens } = await call(t, stack, { entity_ids: ['sensor.smart_meter_energy_import', 'sensor.smart_meter_power'], start: 'this week', statistics: 'day' }, 'kWh used this week, by day');
    t.match(json.start, / 00:00$/);
    const energy = entity(json, 'sensor.smart_meter_energy_import');
    t.equal(energy.unit, 'kWh');
    const rows = energy.rows as [string, number][];
    t.ok(rows.length >= 1 && rows.length <= 7, `${rows.length} days`);
    for (const [day, change] of rows) {
      t.match(day, /^\d{4}-\d\d-\d\d$/);
      t.ok(change >= 0, 'a meter only counts up');
    }
    const sum = rows.reduce((a, r) => a + r[1], 0);
    t.ok((energy.total as number) >= sum - 1e-6 && (energy.total as number) <= sum + 3, `total ${String(energy.total)} ~ rows ${sum.toFixed(3)} (+ the hour still running)`);
    t.match(entity(json, 'sensor.smart_meter_power'), { unit: 'W', rows: [[String, Number, Number, Number]], min: Number, max: Number, mean: Number });
    t.ok(tokens < 500);
    const weeks = await call(t, stack, { entity_ids: ['sensor.smart_meter_energy_import'], start: '-28d', statistics: 'week' }, 'four weeks, by week');
    const w = entity(weeks.json, 'sensor.smart_meter_energy_import');
    t.ok((w.rows as unknown[]).length >= 4 && (w.rows as unknown[]).length <= 5);
    t.ok((w.total as number) > (energy.total as number));
    const hourly = await call(t, stack, { entity_ids: ['sensor.smart_meter_energy_import'], start: '-7d', statistics: 'hour' }, 'a week of hours, merged');
    const h = entity(hourly.json, 'sensor.smart_meter_energy_import');
    t.equal(h.step, '4h', '168 hours in rows of 4 hours');
    t.ok((h.rows as unknown[]).length <= 48);
    t.ok(Math.abs((h.total as number) - (w.total as number)) > 0, 'periods differ');
  });

  t.test('which statistics exist', async (t) => {
    const one = await call(t, stack, { entity_ids: ['sensor.smart_meter_energy_import', 'sensor.smart_meter_power', 'light.kitchen_ceiling_light'], statistics: 'list' }, 'statistics of three entities');
    t.same(one.json.entities, { 'sensor.smart_meter_energy_import': 'kWh, sum', 'sensor.smart_meter_power': 'W, mean' });
    t.same(one.json.no_statistics, ['light.kitchen_ceiling_light']);
    const all = await call(t, stack, { statistics: 'list' }, 'every statistic of the home');
    t.ok(all.tokens <= 8000, `${all.tokens} tokens`);
    t.equal(all.json.has_more, true);
    t.match(all.json.note, /more statistics left out: pass entity_ids/);
    const unknown = await stack.call('ha_history', { entity_ids: ['sensor.smart_meter_enrgy_import'], statistics: 'day' });
    t.match(unknown.json, { error: 'entity_not_found', suggestion: /sensor\.smart_meter_energy_import/ });
  });
});
