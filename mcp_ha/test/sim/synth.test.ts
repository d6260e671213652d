// The synthesized past of a generated home (sim/state/synth.ts): the same answer for the same
// window on every run, history that ends where the current state begins, meters that only rise,
// attribute-only rows that significant_changes_only drops, logbook lines that match the history,
// and statistics compiled from the same signals (hours, local days, weeks from Monday, a week of
// them answerable, 5-minute rows for 10 days).
import t from 'tap';
import { startSimulator, type Simulator } from '../../sim/server.js';
import { connectAuthed, type RawClient } from './client.js';

type Row = { s: string; lu: number; lc?: number; a?: Record<string, unknown> };
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

let id = 100;
async function cmd(ws: RawClient, msg: Record<string, unknown>): Promise<unknown> {
  const r = await ws.command({ id: id++, ...msg });
  if (r.success !== true) throw new Error(`${String(msg.type)}: ${JSON.stringify(r.error)}`);
  return r.result;
}

t.test('a generated home has a past', async (t) => {
  const sims: Simulator[] = [await startSimulator({ port: 0, home: 2000 }), await startSimulator({ port: 0, home: 2000 })];
  const [a, b] = await Promise.all(sims.map((s) => connectAuthed(s.wsUrl, s.token)));
  t.teardown(async () => {
    await a!.close();
    await b!.close();
    for (const s of sims) await s.close();
  });
  const ws = a!;
  const states = (await cmd(ws, { type: 'get_states' })) as { entity_id: string; state: string; last_changed: string; attributes: Record<string, unknown> }[];
  const state = (eid: string) => states.find((s) => s.entity_id === eid)!;
  const history = async (c: RawClient, ids: string[], startMs: number, extra: Record<string, unknown> = {}) =>
    (await cmd(c, { type: 'history/history_during_period', start_time: iso(startMs), entity_ids: ids, no_attributes: true, ...extra })) as Record<string, Row[]>;

  t.test('the same window gives the same history every time', async (t) => {
    const ids = ['sensor.smart_meter_power', 'light.living_room_ceiling_light', 'binary_sensor.hallway_motion', 'sensor.smart_meter_energy_import'];
    const start = Date.now() - 2 * DAY;
    const end = Date.now() - DAY;
    const one = await history(a!, ids, start, { end_time: iso(end) });
    t.same(await history(a!, ids, start, { end_time: iso(end) }), one);
    const later = (await history(a!, ids.slice(0, 1), start + 3_600_000, { end_time: iso(end) }))[ids[0]!]!;
    t.same(later.slice(1), one[ids[0]!]!.filter((r) => r.lu * 1000 > start + 3_600_000), 'a later start cuts the same rows');
    t.ok(one['sensor.smart_meter_power']!.length > 1000, `${one['sensor.smart_meter_power']!.length} power readings in a day`);
    // Another simulator's home is moved to its own start time, a few ms away: the same past.
    const other = await history(b!, ids, start, { end_time: iso(end) });
    for (const id of ids) t.ok(Math.abs(other[id]!.length - one[id]!.length) <= 2, `${id}: ${one[id]!.length} and ${other[id]!.length} rows`);
  });

  t.test('history ends where the current state began', async (t) => {
    const lights = states.filter((s) => s.entity_id.startsWith('light.') && s.state !== 'unavailable').slice(0, 10);
    const rows = await history(ws, lights.map((l) => l.entity_id), Date.now() - 10 * DAY, { significant_changes_only: true, minimal_response: true });
    for (const l of lights) {
      const list = rows[l.entity_id]!;
      const began = Date.parse(l.last_changed) / 1000;
      const last = list.at(-1)!;
      t.equal(last.s, l.state, `${l.entity_id}: ends in its current state`);
      t.ok(Math.abs(last.lu - began) < 0.01, `${l.entity_id}: which began at its last_changed`);
      t.not(list.at(-2)?.s, l.state, `${l.entity_id}: the state before differs`);
      for (let i = 1; i < list.length; i++) t.not(list[i]!.s, list[i - 1]!.s, 'significant rows change the state');
    }
  });

  t.test('meters only rise, up to their current value', async (t) => {
    const eid = 'sensor.smart_meter_energy_import';
    const rows = (await history(ws, [eid], Date.now() - 7 * DAY))[eid]!;
    t.ok(rows.length > 7 * 200, `${rows.length} readings in a week`);
    for (let i = 1; i < rows.length; i++) if (Number(rows[i]!.s) < Number(rows[i - 1]!.s)) t.fail(`falls at ${i}`);
    t.equal(rows.at(-1)!.s, state(eid).state);
  });

  t.test('dimming lights: attribute-only rows, dropped by significant_changes_only', async (t) => {
    const lights = states.filter((s) => s.entity_id.startsWith('light.') && s.state !== 'unavailable').slice(0, 20).map((s) => s.entity_id);
    const start = Date.now() - 5 * DAY;
    const all = await history(ws, lights, start, { significant_changes_only: false });
    const some = await history(ws, lights, start, { significant_changes_only: true });
    const count = (r: Record<string, Row[]>) => Object.values(r).reduce((n, l) => n + l.length, 0);
    t.ok(count(all) > count(some), `${count(all)} rows, ${count(some)} significant`);
    const attributeOnly = Object.values(all).flat().filter((r) => r.lc !== undefined);
    t.equal(count(all) - count(some), attributeOnly.length, 'the difference is the rows with lc (last_changed before last_updated)');
  });

  t.test('the logbook tells the same story, with who did it', async (t) => {
    const eid = 'light.living_room_ceiling_light';
    const start = Date.now() - 3 * DAY;
    const rows = (await history(ws, [eid], start, { minimal_response: true }))[eid]!.slice(1);
    const entries = (await cmd(ws, { type: 'logbook/get_events', start_time: iso(start), entity_ids: [eid] })) as { state: string; when: number; entity_id: string }[];
    t.same(entries.map((e) => [e.state, e.when.toFixed(3)]), rows.map((r) => [r.s, r.lu.toFixed(3)]), 'one line per state change');
    const day = (await cmd(ws, { type: 'logbook/get_events', start_time: iso(Date.now() - DAY) })) as Record<string, unknown>[];
    t.ok(day.length > 500, `${day.length} lines in a day`);
    t.ok(day.some((e) => e.context_user_id && e.context_event_type === 'call_service'), 'people');
    t.ok(day.some((e) => e.context_event_type === 'automation_triggered' && String(e.context_entity_id).startsWith('automation.')), 'automations');
    t.ok(day.some((e) => e.domain === 'automation' && typeof e.message === 'string' && typeof e.context_id === 'string'), "automations' own lines");
    t.ok(day.some((e) => e.context_event_type === 'script_started'), 'scripts');
    for (let i = 1; i < day.length; i++) if ((day[i]!.when as number) < (day[i - 1]!.when as number)) t.fail('oldest first');
  });

  t.test('statistics from the same signals, on the local calendar', async (t) => {
    const meter = 'sensor.smart_meter_energy_import';
    const power = 'sensor.smart_meter_power';
    const stats = async (period: string, startMs: number, extra: Record<string, unknown> = {}) =>
      (await cmd(ws, { type: 'recorder/statistics_during_period', start_time: iso(startMs), statistic_ids: [meter, power], period, ...extra })) as Record<string, Record<string, number | null>[]>;
    const week = Date.now() - 7 * DAY;
    const hours = await stats('hour', week);
    t.ok(hours[meter]!.length >= 167 && hours[power]!.length >= 167, 'a week of hours');
    t.same(Object.keys(hours[meter]![0]!), ['start', 'end', 'sum', 'min', 'mean', 'max', 'state', 'last_reset', 'change'], 'hour row keys as recorded');
    for (const r of hours[meter]!) t.ok(r.change! >= 0 && r.mean === null);
    for (const r of hours[power]!) t.ok(r.min! <= r.mean! && r.mean! <= r.max! && r.sum === null);
    const days = await stats('day', week);
    const hourSum = hours[meter]!.reduce((n, r) => n + r.change!, 0);
    const daySum = days[meter]!.reduce((n, r) => n + r.change!, 0);
    t.ok(Math.abs(hourSum - daySum) < 1e-3, 'days add up the hours');
    t.same(Object.keys(days[meter]![0]!), ['start', 'end', 'mean', 'min', 'max', 'last_reset', 'state', 'sum', 'change']);
    for (const r of days[meter]!) {
      const local = new Date(r.start!).toLocaleString('sv-SE', { timeZone: 'Europe/Amsterdam' });
      t.match(local, / 00:00:00$/, 'days start at local midnight');
    }
    const weeks = await stats('week', Date.now() - 28 * DAY);
    t.same(Object.keys(weeks[meter]![0]!), ['start', 'end', 'last_reset', 'state', 'sum', 'change'], 'no mean/min/max for a meter by week');
    for (const r of weeks[meter]!) t.equal(new Date(r.start!).toLocaleString('en-GB', { timeZone: 'Europe/Amsterdam', weekday: 'long' }), 'Monday');
    const typed = await stats('hour', week, { types: ['change'], units: { energy: 'Wh' } });
    t.same(Object.keys(typed[meter]![0]!), ['start', 'end', 'change']);
    t.ok(Math.abs(typed[meter]![5]!.change! - hours[meter]![5]!.change! * 1000) < 1e-3, 'kWh to Wh');
    const five = await stats('5minute', Date.now() - 30 * DAY);
    t.ok(five[power]![0]!.start! >= Date.now() - 10 * DAY - 300_000, '5-minute rows only for 10 days');
    const total = (await cmd(ws, { type: 'recorder/statistic_during_period', statistic_id: meter, fixed_period: { start_time: iso(week) }, types: ['change'] })) as { change: number };
    t.ok(total.change >= hourSum - 1e-3 && total.change < hourSum + 5, 'the period total includes the hour still running');
    const month = (await cmd(ws, { type: 'recorder/statistics_during_period', start_time: iso(Date.now() - 30 * DAY), statistic_ids: [meter], period: 'month' })) as Record<string, unknown[]>;
    t.ok(month[meter]!.length >= 1 && month[meter]!.length <= 2);
  });
});
