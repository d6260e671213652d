// history/*, logbook/*, recorder/* statistics, energy/*.
import type { StateChangedEvent } from '../../state/bus.js';
import { significantRows } from '../../http/history.js';
import type { HistoryRow } from '../../state/recorder.js';
import { PERIODS, TYPES, statisticDuringPeriod, statisticIds, statisticsDuringPeriod, unitsProblem } from '../../state/statistics.js';
import { nowMicros, parseIsoMicros } from '../../util/time.js';
import { localMidnight, periodStart, nextPeriodStart, validZone, wall } from '../../util/zone.js';
import { pyRepr } from '../../util/pyrepr.js';
import { anyOf, bool, dict, list, nonEmptyStrList, str, strList, type Schema } from '../schema.js';
import type { WsConnection } from '../connection.js';
import type { CommandTable } from './types.js';

const secs = (us: number): number => us / 1_000_000;

// Domains whose history always keeps attributes (recorder's NEED_ATTRIBUTE_DOMAINS).
const NEED_ATTRIBUTES = new Set(['climate', 'humidifier', 'input_datetime', 'thermostat', 'water_heater']);

function compressedRow(r: HistoryRow, opts: { minimal: boolean; noAttributes: boolean }, first: boolean): Record<string, unknown> {
  const needAttributes = NEED_ATTRIBUTES.has(r.entity_id.slice(0, r.entity_id.indexOf('.')));
  const out: Record<string, unknown> = { s: r.state };
  if (opts.minimal && !needAttributes && !first) {
    out.lu = secs(r.lcUs);
    return out;
  }
  // no_attributes alone gives "a": {} on every row; with minimal_response too, no "a" at all.
  if (!opts.noAttributes) out.a = r.attributes;
  else if (needAttributes || !opts.minimal) out.a = {};
  out.lu = secs(r.us);
  if (r.lcUs !== r.us) out.lc = secs(r.lcUs);
  return out;
}

function times(conn: WsConnection, id: number, msg: Record<string, unknown>): { start: number; end: number } | null {
  const start = parseIsoMicros(String(msg.start_time));
  if (start === null) {
    conn.error(id, 'invalid_start_time', 'Invalid start_time');
    return null;
  }
  let end = nowMicros();
  if (typeof msg.end_time === 'string') {
    const parsed = parseIsoMicros(msg.end_time);
    if (parsed === null) {
      conn.error(id, 'invalid_end_time', 'Invalid end_time');
      return null;
    }
    end = parsed;
  }
  return { start, end };
}

function historyResult(conn: WsConnection, ids: string[], start: number, end: number, msg: Record<string, unknown>): Record<string, unknown[]> {
  const opts = { minimal: msg.minimal_response === true, noAttributes: msg.no_attributes === true };
  const significant = msg.significant_changes_only !== false;
  const out: Record<string, unknown[]> = {};
  for (const eid of ids) {
    let rows = conn.recorder.states(eid, start, end);
    // The first row is the state in effect at start (stamped at start) unless asked not to.
    if (msg.include_start_time_state === false && rows[0] && rows[0].us === start) rows = rows.slice(1);
    if (significant) rows = significantRows(eid, rows);
    if (rows.length) out[eid] = rows.map((r, i) => compressedRow(r, opts, i === 0));
  }
  return out;
}

/** Logbook entries in the WS shape: `when` as epoch seconds, no `name`. */
function wsEntry(entry: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'name' && 'entity_id' in entry && 'state' in entry) continue;
    out[k] = k === 'when' ? secs(parseIsoMicros(String(v)) ?? 0) : v;
  }
  return out;
}

const HISTORY_SCHEMA: Schema = {
  start_time: { required: true, check: str },
  end_time: { check: str },
  entity_ids: { required: true, check: strList },
  include_start_time_state: { check: bool },
  significant_changes_only: { check: bool },
  minimal_response: { check: bool },
  no_attributes: { check: bool },
};

/** `types`: a list of allowed literals ("not a valid value @ data['types'][0]. Got 'x'"). */
function typesProblem(types: unknown, allowed: string[]): string | null {
  if (types === undefined) return null;
  const list = types as unknown[];
  const bad = list.findIndex((x) => typeof x !== 'string' || !allowed.includes(x));
  return bad < 0 ? null : `not a valid value @ data['types'][${bad}]. Got ${pyRepr(list[bad])}`;
}

const DURATION_MS: Record<string, number> = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1 };

function durationMs(v: unknown): number {
  let ms = 0;
  for (const [k, n] of Object.entries((v ?? {}) as Record<string, unknown>)) ms += (DURATION_MS[k] ?? 0) * Number(n ?? 0);
  return ms;
}

/** The span of recorder/statistic_during_period: fixed_period, rolling_window or calendar (default: all time). */
function periodOf(msg: Record<string, unknown>, timeZone: unknown): { start: number; end: number } | string {
  const now = Date.now();
  if (msg.fixed_period) {
    const p = msg.fixed_period as Record<string, unknown>;
    const parse = (k: string): number | null | undefined => (typeof p[k] === 'string' ? parseIsoMicros(p[k] as string) : undefined);
    const start = parse('start_time');
    const end = parse('end_time');
    if (start === null) return `Invalid datetime specified: ${String(p.start_time)} for dictionary value @ data['fixed_period']['start_time']. Got ${pyRepr(p.start_time)}`;
    if (end === null) return `Invalid datetime specified: ${String(p.end_time)} for dictionary value @ data['fixed_period']['end_time']. Got ${pyRepr(p.end_time)}`;
    return { start: start === undefined ? 0 : start / 1000, end: end === undefined ? now : end / 1000 };
  }
  if (msg.rolling_window) {
    const w = msg.rolling_window as Record<string, unknown>;
    if (!('duration' in w)) return "required key not provided @ data['rolling_window']['duration']. Got None";
    const end = now + durationMs(w.offset);
    return { start: end - durationMs(w.duration), end };
  }
  if (msg.calendar) {
    const c = msg.calendar as Record<string, unknown>;
    const kinds = ['hour', 'day', 'week', 'month', 'year'];
    if (typeof c.period !== 'string' || !kinds.includes(c.period)) {
      return `not a valid value for dictionary value @ data['calendar']['period']. Got ${pyRepr(c.period)}`;
    }
    const offset = Number(c.offset ?? 0);
    const tz = validZone(timeZone);
    if (c.period === 'hour') {
      const start = Math.floor(now / 3_600_000) * 3_600_000 + offset * 3_600_000;
      return { start, end: start + 3_600_000 };
    }
    if (c.period === 'year') {
      const y = wall(now, tz).getUTCFullYear() + offset;
      return { start: localMidnight(y, 1, 1, tz), end: localMidnight(y + 1, 1, 1, tz) };
    }
    const period = c.period as 'day' | 'week' | 'month';
    let start = periodStart(now, period, tz);
    for (let i = 0; i < Math.abs(offset); i++) start = offset > 0 ? nextPeriodStart(start, period, tz) : periodStart(start - 1, period, tz);
    return { start, end: nextPeriodStart(start, period, tz) };
  }
  return { start: 0, end: now };
}

export const historyCommands: CommandTable = {
  'history/history_during_period': {
    schema: HISTORY_SCHEMA,
    handler: (conn, id, msg) => {
      const t = times(conn, id, msg);
      if (!t) return;
      conn.result(id, JSON.stringify(historyResult(conn, msg.entity_ids as string[], t.start, t.end, msg)));
    },
  },

  'history/stream': {
    schema: { ...HISTORY_SCHEMA, entity_ids: { required: true, check: strList } },
    handler: (conn, id, msg) => {
      const t = times(conn, id, msg);
      if (!t) return;
      const ids = new Set(msg.entity_ids as string[]);
      const opts = { minimal: msg.minimal_response === true, noAttributes: msg.no_attributes === true };
      const off = conn.home.bus.listen((ev) => {
        if (ev.event_type !== 'state_changed') return;
        const { entity_id, new_state } = (ev as StateChangedEvent).data;
        if (!new_state || !ids.has(entity_id)) return;
        const us = parseIsoMicros(new_state.last_updated) ?? 0;
        const row: HistoryRow = { ...new_state, us, lcUs: parseIsoMicros(new_state.last_changed) ?? us };
        conn.eventIdFirst(id, JSON.stringify({ states: { [entity_id]: [compressedRow(row, opts, !opts.minimal)] } }));
      });
      conn.subscriptions.set(id, off);
      conn.result(id);
      // Like HA: the window up to the newest change, then that change as its own small event.
      const states = historyResult(conn, [...ids], t.start, t.end, msg);
      const tail: Record<string, unknown[]> = {};
      let split = t.end;
      for (const [eid, rows] of Object.entries(states)) {
        if (rows.length > 1) {
          tail[eid] = [rows.pop()!];
          split = Math.min(split, Math.round(((tail[eid]![0] as { lu: number }).lu) * 1_000_000));
        }
      }
      conn.eventIdFirst(id, JSON.stringify({ states, start_time: secs(t.start), end_time: secs(split) }));
      if (Object.keys(tail).length) conn.eventIdFirst(id, JSON.stringify({ states: tail, start_time: secs(split), end_time: secs(t.end) }));
    },
  },

  'logbook/get_events': {
    schema: {
      start_time: { required: true, check: str },
      end_time: { check: str },
      entity_ids: { check: strList },
      device_ids: { check: strList },
      context_id: { check: str },
    },
    handler: (conn, id, msg) => {
      const t = times(conn, id, msg);
      if (!t) return;
      const rows = conn.recorder.entries(t.start, t.end, msg.entity_ids as string[] | undefined);
      conn.result(id, JSON.stringify(rows.map((r) => wsEntry(r.entry))));
    },
  },

  'logbook/event_stream': {
    schema: { start_time: { required: true, check: str }, end_time: { check: str }, entity_ids: { check: strList }, device_ids: { check: strList } },
    handler: (conn, id, msg) => {
      const t = times(conn, id, msg);
      if (!t) return;
      const filter = msg.entity_ids as string[] | undefined;
      let lastCount = conn.recorder.entries(t.start, Number.MAX_SAFE_INTEGER, filter).length;
      // The recorder sees a change before us (it subscribed first), so new rows are already there.
      const off = conn.home.bus.listen((ev) => {
        if (ev.event_type !== 'state_changed') return;
        const rows = conn.recorder.entries(t.start, Number.MAX_SAFE_INTEGER, filter);
        if (rows.length > lastCount) {
          const fresh = rows.slice(lastCount);
          lastCount = rows.length;
          conn.eventIdFirst(id, JSON.stringify({ events: fresh.map((r) => wsEntry(r.entry)) }));
        }
      });
      conn.subscriptions.set(id, off);
      conn.result(id);
      // Like HA: the older history marked partial, then the newest entries with their own window.
      const past = conn.recorder.entries(t.start, t.end, filter).map((r) => ({ e: wsEntry(r.entry), us: r.us }));
      const recent = past.length > 2 ? past.splice(past.length - 2) : [];
      const split = recent.length ? recent[0]!.us : t.end;
      const head: Record<string, unknown> = { events: past.map((p) => p.e), start_time: secs(t.start), end_time: secs(t.end) };
      if (recent.length) head.partial = true;
      conn.eventIdFirst(id, JSON.stringify(head));
      if (recent.length) conn.eventIdFirst(id, JSON.stringify({ events: recent.map((p) => p.e), start_time: secs(split), end_time: secs(t.end) }));
    },
  },

  'recorder/list_statistic_ids': {
    schema: { statistic_type: { check: anyOf(['mean', 'sum']) } },
    handler: (conn, id, msg) => {
      let ids = statisticIds(conn.home);
      if (msg.statistic_type === 'sum') ids = ids.filter((s) => s.has_sum === true);
      if (msg.statistic_type === 'mean') ids = ids.filter((s) => s.has_mean === true);
      conn.result(id, JSON.stringify(ids));
    },
  },

  'recorder/statistics_during_period': {
    schema: {
      start_time: { required: true, check: str },
      end_time: { check: str },
      statistic_ids: { check: nonEmptyStrList },
      period: { required: true, check: anyOf(PERIODS) },
      types: { check: list },
      units: { check: dict },
    },
    handler: (conn, id, msg) => {
      const problem = typesProblem(msg.types, TYPES) ?? unitsProblem(msg.units);
      if (problem) return conn.error(id, 'invalid_format', problem);
      const t = times(conn, id, msg);
      if (!t) return;
      const rows = statisticsDuringPeriod(conn.home, conn.recorder.synth, {
        ids: msg.statistic_ids as string[] | undefined,
        period: msg.period as string,
        startMs: t.start / 1000,
        endMs: t.end / 1000,
        types: msg.types as string[] | undefined,
        units: msg.units as Record<string, string> | undefined,
      });
      conn.result(id, JSON.stringify(rows));
    },
  },

  'recorder/statistic_during_period': {
    schema: {
      calendar: { check: dict },
      rolling_window: { check: dict },
      fixed_period: { check: dict },
      statistic_id: { check: str },
      types: { check: list },
      units: { check: dict },
    },
    handler: (conn, id, msg) => {
      const given = ['calendar', 'rolling_window', 'fixed_period'].filter((k) => k in msg);
      if (given.length > 1) return conn.error(id, 'invalid_format', "two or more values in the same group of exclusion 'period' @ data[<period>]. Got None");
      const span = periodOf(msg, conn.home.data.config.time_zone);
      if (typeof span === 'string') return conn.error(id, 'invalid_format', span);
      const problem = typesProblem(msg.types, ['max', 'mean', 'min', 'change']) ?? unitsProblem(msg.units);
      if (problem) return conn.error(id, 'invalid_format', problem);
      if (typeof msg.statistic_id !== 'string') return conn.result(id, '{}');
      const result = statisticDuringPeriod(conn.home, conn.recorder.synth, msg.statistic_id, span.start, span.end, msg.types as string[] | undefined, msg.units as Record<string, string> | undefined);
      conn.result(id, JSON.stringify(result));
    },
  },

  'recorder/get_statistics_metadata': {
    schema: { statistic_ids: { check: strList } },
    handler: (conn, id, msg) => {
      const ids = statisticIds(conn.home);
      const wanted = msg.statistic_ids as string[] | undefined;
      const list = wanted ? ids.filter((s) => wanted.includes(String(s.statistic_id))) : ids;
      // HA answers in its database order (sums first here), not the asked order.
      conn.result(id, JSON.stringify([...list].sort((a, b) => Number(b.has_sum) - Number(a.has_sum))));
    },
  },

  'recorder/info': {
    handler: (conn, id) =>
      conn.result(
        id,
        JSON.stringify(
          conn.home.data.extras?.recorderInfo ?? {
            backlog: 0,
            db_in_default_location: true,
            max_backlog: 65000,
            migration_in_progress: false,
            migration_is_live: false,
            recording: true,
            thread_running: true,
          },
        ),
      ),
  },

  'energy/get_prefs': {
    handler: (conn, id) => conn.result(id, JSON.stringify(conn.home.data.energyPrefs)),
  },

  'energy/info': {
    handler: (conn, id) => conn.result(id, JSON.stringify(conn.home.data.extras?.energyInfo ?? { cost_sensors: {}, solar_forecast_domains: [] })),
  },
};
