// Compact views of Home Assistant's history and long-term statistics for models. State
// changes become runs ("on 07:12→07:40"), with the time spent in each state; numeric sensors
// become at most N points: their changes when there are few, else equal buckets with
// min/max/mean (time-weighted), and min/max/mean of the whole period; statistics rows are merged
// down to N rows the same way, meters giving their change per row and the period's total.
// Times are the home's wall clock; a series repeats the date only when it changes.
import { Clock, formatDate, formatDuration, offsetMs, type Span } from './time.js';

/** A row of history/history_during_period (compressed): state, last_updated (s), last_changed (s) when only attributes changed. */
export interface HaHistoryRow {
  s: string;
  lu: number;
  lc?: number;
}

/** A row of recorder/statistics_during_period; start/end in epoch ms. */
export interface HaStatisticsRow {
  start: number;
  end: number;
  mean?: number | null;
  min?: number | null;
  max?: number | null;
  change?: number | null;
}

export interface StateSeries {
  runs: string[];
  /** Time in each state over the period (all runs, also those left out). */
  time?: Record<string, string>;
  /** Runs left out (the oldest), when there were more than asked for. */
  earlier?: string;
}

export interface NumericSeries {
  unit?: string;
  min: number;
  max: number;
  mean: number;
  /** The changes as [time, value], when there are no more than the points asked for. */
  points?: [string, number | string][];
  /** Else [start, min, max, mean] per bucket of `step`. */
  step?: string;
  buckets?: [string, number, number, number][];
  /** Time without a number (unavailable, unknown). */
  unavailable?: string;
}

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NICE_STEPS = [MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 20 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 8 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];

function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(v * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

const decimalsOf = (s: string): number => {
  const i = s.indexOf('.');
  return i < 0 ? 0 : Math.min(3, s.length - i - 1);
};

function numberOf(s: string): number | undefined {
  if (s === '' || s === 'unavailable' || s === 'unknown') return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** True when the history reads as a numeric sensor: a unit or state_class, or only numbers (and gaps). */
export function isNumeric(rows: HaHistoryRow[], attributes: Record<string, unknown> | undefined): boolean {
  let numbers = 0;
  for (const r of rows) {
    if (numberOf(r.s) !== undefined) numbers++;
    else if (r.s !== 'unavailable' && r.s !== 'unknown' && r.s !== '') return false;
  }
  if (!numbers) return false;
  return !!attributes && ('unit_of_measurement' in attributes || 'state_class' in attributes) ? true : numbers >= 2;
}

/** A nice bucket length: the smallest step that makes no more than `points` buckets. */
function stepFor(spanMs: number, points: number): number {
  const want = spanMs / points;
  return NICE_STEPS.find((s) => s >= want) ?? Math.ceil(want / DAY) * DAY;
}

/** "30m", "4h", "1d". */
export function stepText(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  return `${Math.round(ms / MIN)}m`;
}

interface Run {
  state: string;
  since: number;
  until: number;
  updates: number;
}

export interface StateOptions {
  maxRuns: number;
  /** Times with seconds (else only when a run is shorter than two minutes). */
  seconds: boolean;
  /** Say how many attribute-only updates a run had (significant_changes_only false). */
  updates: boolean;
  /** The period ends now: the last run ends "now". */
  endIsNow: boolean;
}

/** Runs of equal states over the span, newest kept when there are more than maxRuns. */
export function stateSeries(rows: HaHistoryRow[], span: Span, tz: string, o: StateOptions): StateSeries {
  const runs: Run[] = [];
  for (const r of rows) {
    const t = Math.max(span.start, Math.round(r.lu * 1000));
    const last = runs.at(-1);
    if (last && last.state === r.s) {
      last.updates++;
      continue;
    }
    if (last) last.until = t;
    runs.push({ state: r.s, since: t, until: span.end, updates: 0 });
  }
  const time = new Map<string, number>();
  for (const r of runs) time.set(r.state, (time.get(r.state) ?? 0) + Math.max(0, r.until - r.since));
  const kept = runs.length > o.maxRuns ? runs.slice(runs.length - o.maxRuns) : runs;
  // Seconds when the period is short or a run is (minutes would read "on 22:12→22:12").
  const seconds = o.seconds || kept.some((r) => r.until - r.since < 120_000);
  const clock = new Clock(tz, seconds);
  const out: StateSeries = {
    runs: kept.map((r, i) => {
      const since = clock.label(r.since);
      const until = o.endIsNow && i === kept.length - 1 ? 'now' : clock.label(r.until);
      return `${r.state} ${since}→${until}${o.updates && r.updates ? ` (${r.updates} update${r.updates === 1 ? "" : "s"})` : ''}`;
    }),
  };
  if (time.size > 1 || runs.length > 1) {
    out.time = Object.fromEntries([...time].sort((a, b) => b[1] - a[1]).map(([s, ms]) => [s, formatDuration(ms)]));
  }
  if (kept.length < runs.length) {
    const left = runs.length - kept.length;
    const clockLeft = new Clock(tz, seconds);
    out.earlier = `${left} older runs left out (${clockLeft.label(runs[0]!.since)}→${clockLeft.label(kept[0]!.since)})`;
  }
  return out;
}

export interface NumericOptions {
  maxPoints: number;
  unit: string | undefined;
}

/** A numeric sensor over the span: its changes, or buckets with min/max/mean (time-weighted). */
export function numericSeries(rows: HaHistoryRow[], span: Span, tz: string, o: NumericOptions): NumericSeries {
  // Segments [t, next) holding a value (or a gap).
  const segs: { t: number; until: number; v: number | undefined; s: string }[] = [];
  let decimals = 0;
  for (const r of rows) {
    const t = Math.max(span.start, Math.round(r.lu * 1000));
    const v = numberOf(r.s);
    if (v !== undefined) decimals = Math.max(decimals, decimalsOf(r.s));
    const last = segs.at(-1);
    if (last) last.until = t;
    segs.push({ t, until: span.end, v, s: r.s });
  }
  const meanDecimals = Math.min(decimals + 1, 3);
  let min = Infinity;
  let max = -Infinity;
  let weighted = 0;
  let timed = 0;
  let gap = 0;
  for (const g of segs) {
    const d = Math.max(0, g.until - g.t);
    if (g.v === undefined) {
      gap += d;
      continue;
    }
    min = Math.min(min, g.v);
    max = Math.max(max, g.v);
    weighted += g.v * d;
    timed += d;
  }
  const values = segs.filter((g) => g.v !== undefined);
  const mean = timed > 0 ? weighted / timed : values.reduce((a, g) => a + g.v!, 0) / Math.max(1, values.length);
  const out: NumericSeries = {
    ...(o.unit ? { unit: o.unit } : {}),
    min: round(min, decimals),
    max: round(max, decimals),
    mean: round(mean, meanDecimals),
  };
  if (gap > 0) out.unavailable = formatDuration(gap);
  if (segs.length <= o.maxPoints) {
    const clock = new Clock(tz);
    out.points = segs.map((g) => [clock.label(g.t), g.v === undefined ? g.s : g.v]);
    return out;
  }
  const step = stepFor(span.end - span.start, o.maxPoints);
  // Buckets on the home's wall clock (hours and days start where people expect them).
  const off = offsetMs(span.start, tz);
  const first = Math.floor((span.start + off) / step) * step - off;
  const buckets: [string, number, number, number][] = [];
  const clock = new Clock(tz);
  let i = 0;
  for (let b = first; b < span.end; b += step) {
    const e = b + step;
    let bMin = Infinity;
    let bMax = -Infinity;
    let sum = 0;
    let dur = 0;
    while (i < segs.length && segs[i]!.until <= b) i++;
    for (let j = i; j < segs.length && segs[j]!.t < e; j++) {
      const g = segs[j]!;
      if (g.v === undefined) continue;
      const d = Math.min(g.until, e) - Math.max(g.t, b);
      bMin = Math.min(bMin, g.v);
      bMax = Math.max(bMax, g.v);
      if (d > 0) {
        sum += g.v * d;
        dur += d;
      }
    }
    if (bMin === Infinity) continue;
    buckets.push([clock.label(Math.max(b, span.start)), round(bMin, decimals), round(bMax, decimals), round(dur ? sum / dur : bMin, meanDecimals)]);
  }
  out.step = stepText(step);
  out.buckets = buckets;
  return out;
}

export interface StatisticsMeta {
  unit: string | undefined;
  hasSum: boolean;
}

export interface StatisticsSeries {
  unit?: string;
  /** Meters: what they counted over the period. */
  total?: number;
  min?: number;
  max?: number;
  mean?: number;
  /** Rows merged into one (when there were more than the points asked for), e.g. "4h". */
  step?: string;
  /** Meters: [start, change]; others: [start, min, max, mean]. */
  rows: (string | number | null)[][];
}

const PERIOD_MS: Record<string, number> = { '5minute': 5 * MIN, hour: HOUR, day: DAY, week: 7 * DAY };

/** Statistics rows for one statistic, merged down to maxPoints rows. */
export function statisticsSeries(rows: HaStatisticsRow[], meta: StatisticsMeta, period: string, tz: string, maxPoints: number, total: number | undefined): StatisticsSeries {
  const group = Math.max(1, Math.ceil(rows.length / maxPoints));
  const calendar = period === 'day' || period === 'week' || period === 'month';
  const clock = new Clock(tz);
  const label = (t: number): string => (calendar ? formatDate(t, tz) : clock.label(t));
  const dec = 3;
  const out: StatisticsSeries = { ...(meta.unit ? { unit: meta.unit } : {}), rows: [] };
  if (group > 1) out.step = period === 'month' ? `${group} months` : stepText(group * PERIOD_MS[period]!);
  if (meta.hasSum) {
    let sum = 0;
    for (let i = 0; i < rows.length; i += group) {
      const part = rows.slice(i, i + group);
      const change = part.reduce((a, r) => a + (r.change ?? 0), 0);
      sum += change;
      out.rows.push([label(part[0]!.start), round(change, dec)]);
    }
    out.total = round(total ?? sum, dec);
    return out;
  }
  let min = Infinity;
  let max = -Infinity;
  let means = 0;
  let n = 0;
  for (let i = 0; i < rows.length; i += group) {
    const part = rows.slice(i, i + group).filter((r) => typeof r.mean === 'number');
    if (!part.length) continue;
    const pMin = Math.min(...part.map((r) => r.min ?? r.mean!));
    const pMax = Math.max(...part.map((r) => r.max ?? r.mean!));
    const pMean = part.reduce((a, r) => a + r.mean!, 0) / part.length;
    min = Math.min(min, pMin);
    max = Math.max(max, pMax);
    means += pMean * part.length;
    n += part.length;
    out.rows.push([label(part[0]!.start), round(pMin, dec), round(pMax, dec), round(pMean, dec)]);
  }
  if (n) Object.assign(out, { min: round(min, dec), max: round(max, dec), mean: round(means / n, dec) });
  return out;
}
