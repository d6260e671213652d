// Long-term statistics. The recorded demo home answers its recorded 5-minute rows (the instance
// was under an hour old: `hour` and longer give `{}`). Other homes compile statistics for every
// sensor with a state_class: generated homes from their synthesized past (sim/state/synth.ts:
// means, minima and maxima of the signal, meters' change and running sum), any other home flat at
// the current value from when it started. 5-minute and hourly rows cover complete periods; day,
// week and month rows are reduced from the hourly ones at local midnight in the home's time zone
// (weeks from Monday), the period still running included, as Home Assistant does.
//
// Row keys follow ws-statistics-more.json: Home Assistant builds 5-minute and hourly rows from a
// Python set of types, so their key order differs between processes; the simulator keeps the
// order that recording shows (with all types, and with a `types` subset), and the order of the
// day/week/month reduction, which is fixed in Home Assistant's code.
import { pyRepr } from '../util/pyrepr.js';
import { nextPeriodStart, periodStart, validZone, type CalendarPeriod } from '../util/zone.js';
import type { SimHome } from './home.js';
import type { Synth } from './synth.js';

const UNIT_CLASS: Record<string, string> = {
  temperature: 'temperature', energy: 'energy', power: 'power', gas: 'volume', water: 'volume', humidity: 'unitless',
  pressure: 'pressure', voltage: 'voltage', current: 'electric_current', carbon_dioxide: 'unitless', illuminance: 'illuminance',
  battery: 'unitless', distance: 'distance', speed: 'speed', volume: 'volume', weight: 'mass',
};

const FIVE_MIN = 300_000;
const HOUR = 3_600_000;
/** Home Assistant keeps 5-minute statistics for 10 days. */
const SHORT_TERM_KEEP = 10 * 86_400_000;
const MAX_ROWS = 5000;

export const PERIODS = ['5minute', 'hour', 'day', 'week', 'month'];
export const TYPES = ['change', 'last_reset', 'max', 'mean', 'min', 'state', 'sum'];
const SHORT_ORDER = ['sum', 'min', 'mean', 'max', 'state', 'last_reset', 'change'];
const SHORT_ORDER_TYPES = ['mean', 'min', 'max', 'sum', 'state', 'last_reset', 'change'];
const LONG_ORDER = ['mean', 'min', 'max', 'last_reset', 'state', 'sum', 'change'];

export function statisticIds(home: SimHome): Record<string, unknown>[] {
  const recorded = home.data.extras?.statisticIds;
  if (recorded) return recorded;
  const out: Record<string, unknown>[] = [];
  for (const s of home.store.all()) {
    const a = s.attributes;
    if (!s.entity_id.startsWith('sensor.') || typeof a.state_class !== 'string') continue;
    const hasSum = a.state_class !== 'measurement';
    const unit = (a.unit_of_measurement as string | undefined) ?? null;
    out.push({
      statistic_id: s.entity_id,
      display_unit_of_measurement: unit,
      has_mean: !hasSum,
      mean_type: hasSum ? 0 : 1,
      has_sum: hasSum,
      name: null,
      source: 'recorder',
      statistics_unit_of_measurement: unit,
      unit_class: UNIT_CLASS[String(a.device_class)] ?? null,
    });
  }
  return out;
}

// ---- units (`units` argument): converters as in homeassistant.util.unit_conversion ----

interface Converter {
  enum: string;
  /** unit -> [enum member, factor to the base unit, offset] */
  units: Record<string, [string, number, number?]>;
}

const CONVERTERS: Record<string, Converter> = {
  energy: {
    enum: 'UnitOfEnergy',
    units: {
      GJ: ['GIGA_JOULE', 1e9 / 3600], GWh: ['GIGA_WATT_HOUR', 1e9], Gcal: ['GIGA_CALORIE', (4.184e9) / 3600], J: ['JOULE', 1 / 3600],
      MJ: ['MEGA_JOULE', 1e6 / 3600], MWh: ['MEGA_WATT_HOUR', 1e6], Mcal: ['MEGA_CALORIE', 4.184e6 / 3600], TWh: ['TERA_WATT_HOUR', 1e12],
      Wh: ['WATT_HOUR', 1], cal: ['CALORIE', 4.184 / 3600], kJ: ['KILO_JOULE', 1000 / 3600], kWh: ['KILO_WATT_HOUR', 1000],
      kcal: ['KILO_CALORIE', 4184 / 3600], mWh: ['MILLIWATT_HOUR', 0.001],
    },
  },
  power: {
    enum: 'UnitOfPower',
    units: {
      'BTU/h': ['BTU_PER_HOUR', 0.29307107], GW: ['GIGA_WATT', 1e9], MW: ['MEGA_WATT', 1e6], TW: ['TERA_WATT', 1e12], W: ['WATT', 1],
      kW: ['KILO_WATT', 1000], mW: ['MILLIWATT', 0.001],
    },
  },
  temperature: {
    enum: 'UnitOfTemperature',
    units: { K: ['KELVIN', 1, -273.15], '°C': ['CELSIUS', 1, 0], '°F': ['FAHRENHEIT', 5 / 9, -32] },
  },
};

/** The error text for a bad `units` argument, or null. */
export function unitsProblem(units: unknown): string | null {
  if (units === undefined) return null;
  if (typeof units !== 'object' || units === null || Array.isArray(units)) return `expected a dictionary for dictionary value @ data['units']. Got ${pyRepr(units)}`;
  for (const [cls, unit] of Object.entries(units)) {
    const conv = CONVERTERS[cls];
    if (!conv) continue;
    if (typeof unit !== 'string' || !(unit in conv.units)) {
      const list = Object.keys(conv.units)
        .sort()
        .map((u) => `<${conv.enum}.${conv.units[u]![0]}: ${pyRepr(u)}>`)
        .join(', ');
      return `value must be one of [${list}] for dictionary value @ data['units']['${cls}']. Got ${pyRepr(unit)}`;
    }
  }
  return null;
}

/** Converts from a statistic's unit into the asked unit of its class (no change when unknown). */
function converter(meta: Record<string, unknown>, units: Record<string, string> | undefined): { value: (v: number) => number; delta: (v: number) => number } | undefined {
  const cls = meta.unit_class as string | null;
  const from = meta.statistics_unit_of_measurement as string | null;
  const to = cls ? units?.[cls] : undefined;
  const conv = cls ? CONVERTERS[cls] : undefined;
  if (!conv || !from || !to || from === to) return undefined;
  const f = conv.units[from];
  const t = conv.units[to];
  if (!f || !t) return undefined;
  const [, ff, fo = 0] = f;
  const [, tf, tOff = 0] = t;
  return { value: (v) => (v + fo) * (ff / tf) - tOff, delta: (v) => v * (ff / tf) };
}

// ---- compiled rows ----

interface Base {
  start: number;
  end: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  state: number | null;
  sum: number | null;
  change: number | null;
}

interface Source {
  meta: Record<string, unknown>;
  hasSum: boolean;
  /** The reading at t, or undefined when there was none. */
  at(tMs: number): number | undefined;
  /** Where the statistic begins (sum counts from here). */
  fromMs: number;
}

const tidy = (v: number): number => Math.round(v * 1e6) / 1e6;

function compile(src: Source, start: number, end: number): Base | undefined {
  if (src.hasSum) {
    const a = src.at(Math.max(start, src.fromMs));
    const b = src.at(end - 1);
    const origin = src.at(src.fromMs);
    if (a === undefined || b === undefined || origin === undefined) return undefined;
    return { start, end, mean: null, min: null, max: null, state: b, sum: tidy(b - origin), change: tidy(b - a) };
  }
  const step = end - start <= FIVE_MIN ? 60_000 : FIVE_MIN;
  let n = 0;
  let total = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let t = start + step / 2; t < end; t += step) {
    const v = src.at(t);
    if (v === undefined) continue;
    n++;
    total += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!n) return undefined;
  return { start, end, mean: tidy(total / n), min, max, state: null, sum: null, change: null };
}

function reduce(rows: Base[], start: number, end: number, hasSum: boolean): Base {
  const last = rows.at(-1)!;
  if (hasSum) {
    const change = rows.reduce((s, r) => s + (r.change ?? 0), 0);
    return { start, end, mean: null, min: null, max: null, state: last.state, sum: last.sum, change: tidy(change) };
  }
  const means = rows.map((r) => r.mean ?? 0);
  return {
    start, end,
    mean: tidy(means.reduce((a, b) => a + b, 0) / means.length),
    min: Math.min(...rows.map((r) => r.min ?? Infinity)),
    max: Math.max(...rows.map((r) => r.max ?? -Infinity)),
    state: null, sum: null, change: null,
  };
}

function shaped(b: Base, period: string, hasSum: boolean, types: string[] | undefined, conv: ReturnType<typeof converter>): Record<string, unknown> {
  const short = period === '5minute' || period === 'hour';
  let order = short ? (types ? SHORT_ORDER_TYPES : SHORT_ORDER) : LONG_ORDER;
  if (!short && period !== 'day' && hasSum) order = order.filter((k) => k !== 'mean' && k !== 'min' && k !== 'max');
  const value = (k: string): unknown => {
    if (k === 'last_reset') return null;
    const v = b[k as keyof Base] as number | null;
    if (v === null || !conv) return v;
    return tidy(k === 'change' || k === 'sum' ? conv.delta(v) : conv.value(v));
  };
  const row: Record<string, unknown> = { start: b.start, end: b.end };
  for (const k of order) if (!types || types.includes(k)) row[k] = value(k);
  return row;
}

export interface StatsQuery {
  ids: string[] | undefined;
  period: string;
  startMs: number;
  endMs: number;
  types?: string[] | undefined;
  units?: Record<string, string> | undefined;
}

function sources(home: SimHome, synth: Synth | undefined, ids: string[] | undefined): Source[] {
  const metas = statisticIds(home);
  const wanted = ids ? new Set(ids) : undefined;
  const out: Source[] = [];
  for (const meta of metas) {
    const sid = String(meta.statistic_id);
    if (wanted && !wanted.has(sid)) continue;
    const current = (): number => Number(home.store.get(sid)?.state);
    if (!Number.isFinite(current())) continue;
    const hasSum = meta.has_sum === true;
    if (synth?.has(sid)) {
      out.push({ meta, hasSum, fromMs: synth.originMs, at: (t) => (t > Date.now() ? undefined : synth.value(sid, t, current())) });
    } else {
      const from = home.startedAtMs;
      out.push({ meta, hasSum, fromMs: from, at: (t) => (t < from || t > Date.now() ? undefined : current()) });
    }
  }
  return out;
}

function hourly(src: Source, startMs: number, endMs: number, now: number): Base[] {
  const rows: Base[] = [];
  const first = Math.max(Math.ceil(startMs / HOUR) * HOUR, Math.floor(src.fromMs / HOUR) * HOUR);
  for (let t = first; t < endMs && t + HOUR <= now && rows.length < MAX_ROWS * 24; t += HOUR) {
    const b = compile(src, t, t + HOUR);
    if (b) rows.push(b);
  }
  return rows;
}

/** `recorder/statistics_during_period`: {statistic_id: rows}, ids in sorted order. */
export function statisticsDuringPeriod(home: SimHome, synth: Synth | undefined, q: StatsQuery): Record<string, Record<string, unknown>[]> {
  const recorded = home.data.extras?.statistics5m;
  const out: Record<string, Record<string, unknown>[]> = {};
  if (recorded) {
    // The recorded home was under an hour old: only 5-minute rows exist.
    if (q.period !== '5minute') return out;
    for (const [sid, rows] of Object.entries(recorded)) {
      if (q.ids && !q.ids.includes(sid)) continue;
      const inRange = rows.filter((r) => (r.start as number) >= q.startMs - FIVE_MIN && (r.start as number) <= q.endMs);
      if (inRange.length) out[sid] = inRange;
    }
    return out;
  }
  const now = Date.now();
  const tz = validZone(home.data.config.time_zone);
  const list = sources(home, synth, q.ids).sort((a, b) => String(a.meta.statistic_id).localeCompare(String(b.meta.statistic_id)));
  for (const src of list) {
    const sid = String(src.meta.statistic_id);
    const conv = converter(src.meta, q.units);
    const rows: Base[] = [];
    if (q.period === '5minute' || q.period === 'hour') {
      const step = q.period === 'hour' ? HOUR : FIVE_MIN;
      const from = Math.max(src.fromMs, q.period === '5minute' ? now - SHORT_TERM_KEEP : -Infinity);
      const first = Math.max(Math.ceil(q.startMs / step) * step, Math.floor(from / step) * step);
      for (let t = first; t < q.endMs && t + step <= now && rows.length < MAX_ROWS; t += step) {
        const b = compile(src, t, t + step);
        if (b) rows.push(b);
      }
    } else {
      const period = q.period as CalendarPeriod;
      const hours = hourly(src, q.startMs, q.endMs, now);
      let i = 0;
      while (i < hours.length && rows.length < MAX_ROWS) {
        const start = periodStart(hours[i]!.start, period, tz);
        const end = nextPeriodStart(start, period, tz);
        const group: Base[] = [];
        while (i < hours.length && hours[i]!.start < end) group.push(hours[i++]!);
        rows.push(reduce(group, start, end, src.hasSum));
      }
    }
    if (rows.length) out[sid] = rows.map((b) => shaped(b, q.period, src.hasSum, q.types, conv));
  }
  return out;
}

/** `recorder/statistic_during_period` over [startMs, endMs): {max, mean, min, change} (or the asked types), {} for an unknown id. */
export function statisticDuringPeriod(
  home: SimHome,
  synth: Synth | undefined,
  sid: string,
  startMs: number,
  endMs: number,
  types: string[] | undefined,
  units: Record<string, string> | undefined,
): Record<string, unknown> {
  const recorded = home.data.extras?.statistics5m;
  if (recorded) {
    // The recorded home: from its 5-minute rows.
    const meta = statisticIds(home).find((m) => m.statistic_id === sid);
    if (!meta) return {};
    const rows = (recorded[sid] ?? []).filter((r) => (r.start as number) >= startMs && (r.end as number) <= endMs);
    const means = rows.map((r) => r.mean).filter((v): v is number => typeof v === 'number');
    const all = {
      max: means.length ? Math.max(...rows.map((r) => (r.max as number | null) ?? -Infinity)) : null,
      mean: means.length ? tidy(means.reduce((a, b) => a + b, 0) / means.length) : null,
      min: means.length ? Math.min(...rows.map((r) => (r.min as number | null) ?? Infinity)) : null,
      change: meta.has_sum ? tidy(rows.reduce((a, r) => a + ((r.change as number | null) ?? 0), 0)) : null,
    };
    const out: Record<string, unknown> = {};
    for (const k of ['max', 'mean', 'min', 'change'] as const) if (!types || types.includes(k)) out[k] = all[k];
    return out;
  }
  const src = sources(home, synth, [sid])[0];
  if (!src) return {};
  const conv = converter(src.meta, units);
  const now = Date.now();
  const from = Math.max(startMs, src.fromMs);
  const to = Math.min(endMs, now);
  const b = to > from ? compile(src, from, to) : undefined;
  const value = (k: 'max' | 'mean' | 'min' | 'change'): number | null => {
    const v = b ? b[k] : null;
    if (v === null) return src.hasSum && k === 'change' ? 0 : null;
    if (!conv) return v;
    return tidy(k === 'change' ? conv.delta(v) : conv.value(v));
  };
  const out: Record<string, unknown> = {};
  for (const k of ['max', 'mean', 'min', 'change'] as const) if (!types || types.includes(k)) out[k] = value(k);
  return out;
}
