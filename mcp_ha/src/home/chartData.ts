// What a chart draws, from Home Assistant's rows: a numeric sensor as a line (its changes as a
// step line when there are few, else equal time buckets: the time-weighted mean with a min–max
// band), a state entity as runs on a timeline, statistics rows as a line with a band (means) or
// bars (a meter's change per period). Times stay epoch ms: chart.ts places them on the home's
// wall clock. Each series also carries the figures the text beside the picture gives.
import type { HaHistoryRow, HaStatisticsRow } from './history.js';
import { formatDuration, type Span } from './time.js';

export interface LinePoint {
  t: number;
  /** The value (a change) or the bucket's mean; null is a gap (unavailable, no reading). */
  v: number | null;
  min?: number;
  max?: number;
}

export interface Run {
  state: string;
  start: number;
  end: number;
}

export interface Bar {
  start: number;
  end: number;
  v: number;
}

interface Named {
  id: string;
  name: string;
  unit?: string | undefined;
}

export type ChartSeries =
  | (Named & { kind: 'line'; points: LinePoint[]; stepped: boolean; band: boolean })
  | (Named & { kind: 'bars'; bars: Bar[] })
  | (Named & { kind: 'states'; runs: Run[] });

export interface Summary {
  unit?: string;
  min?: number;
  max?: number;
  mean?: number;
  total?: number;
  /** States: time in each, longest first. */
  time?: Record<string, string>;
}

const numberOf = (s: string): number | null => {
  if (s === '' || s === 'unavailable' || s === 'unknown') return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
};

const round = (v: number): number => {
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? 0 : r;
};

interface Segment {
  t: number;
  until: number;
  v: number | null;
}

function segments(rows: HaHistoryRow[], span: Span): Segment[] {
  const segs: Segment[] = [];
  for (const r of rows) {
    const t = Math.max(span.start, Math.round(r.lu * 1000));
    const last = segs.at(-1);
    if (last) last.until = t;
    segs.push({ t, until: span.end, v: numberOf(r.s) });
  }
  return segs;
}

/** A numeric sensor's line: its changes when there are at most `buckets`, else that many buckets. */
export function numericLine(rows: HaHistoryRow[], span: Span, buckets: number): { points: LinePoint[]; stepped: boolean; summary: Summary } {
  const segs = segments(rows, span);
  let min = Infinity;
  let max = -Infinity;
  let weighted = 0;
  let timed = 0;
  for (const g of segs) {
    if (g.v === null) continue;
    min = Math.min(min, g.v);
    max = Math.max(max, g.v);
    weighted += g.v * (g.until - g.t);
    timed += g.until - g.t;
  }
  const summary: Summary = min <= max ? { min: round(min), max: round(max), mean: round(timed ? weighted / timed : min) } : {};
  if (segs.length <= buckets) {
    const points: LinePoint[] = segs.map((g) => ({ t: g.t, v: g.v }));
    // The last value holds until the end of the period.
    const last = segs.at(-1);
    if (last && last.until > last.t) points.push({ t: last.until, v: last.v });
    return { points, stepped: true, summary };
  }
  const width = (span.end - span.start) / buckets;
  const points: LinePoint[] = [];
  let i = 0;
  for (let k = 0; k < buckets; k++) {
    const b = span.start + k * width;
    const e = b + width;
    let bMin = Infinity;
    let bMax = -Infinity;
    let sum = 0;
    let dur = 0;
    while (i < segs.length && segs[i]!.until <= b) i++;
    for (let j = i; j < segs.length && segs[j]!.t < e; j++) {
      const g = segs[j]!;
      if (g.v === null) continue;
      const d = Math.min(g.until, e) - Math.max(g.t, b);
      bMin = Math.min(bMin, g.v);
      bMax = Math.max(bMax, g.v);
      if (d > 0) {
        sum += g.v * d;
        dur += d;
      }
    }
    const t = b + width / 2;
    points.push(bMin === Infinity ? { t, v: null } : { t, v: dur ? sum / dur : bMin, min: bMin, max: bMax });
  }
  return { points, stepped: false, summary };
}

/** Runs of equal states over the span, with the time in each state. */
export function stateRuns(rows: HaHistoryRow[], span: Span): { runs: Run[]; summary: Summary } {
  const runs: Run[] = [];
  for (const r of rows) {
    const t = Math.max(span.start, Math.round(r.lu * 1000));
    const last = runs.at(-1);
    if (last?.state === r.s) continue;
    if (last) last.end = t;
    runs.push({ state: r.s, start: t, end: span.end });
  }
  const time = new Map<string, number>();
  for (const r of runs) time.set(r.state, (time.get(r.state) ?? 0) + Math.max(0, r.end - r.start));
  const summary: Summary = { time: Object.fromEntries([...time].sort((a, b) => b[1] - a[1]).map(([s, ms]) => [s, formatDuration(ms)])) };
  return { runs, summary };
}

/** Statistics rows merged down to at most `points`: means as a line with a band, meters as bars. */
export function statisticsData(rows: HaStatisticsRow[], hasSum: boolean, points: number, total: number | undefined): { line?: LinePoint[]; bars?: Bar[]; summary: Summary } {
  const group = Math.max(1, Math.ceil(rows.length / points));
  const parts: HaStatisticsRow[][] = [];
  for (let i = 0; i < rows.length; i += group) parts.push(rows.slice(i, i + group));
  if (hasSum) {
    const bars = parts.map((p) => ({ start: p[0]!.start, end: p.at(-1)!.end, v: p.reduce((a, r) => a + (r.change ?? 0), 0) }));
    return { bars, summary: { total: round(total ?? bars.reduce((a, b) => a + b.v, 0)) } };
  }
  let min = Infinity;
  let max = -Infinity;
  let means = 0;
  let n = 0;
  const line = parts.map((p): LinePoint => {
    const t = (p[0]!.start + p.at(-1)!.end) / 2;
    const withMean = p.filter((r) => typeof r.mean === 'number');
    if (!withMean.length) return { t, v: null };
    const pMin = Math.min(...withMean.map((r) => r.min ?? r.mean!));
    const pMax = Math.max(...withMean.map((r) => r.max ?? r.mean!));
    const pMean = withMean.reduce((a, r) => a + r.mean!, 0) / withMean.length;
    min = Math.min(min, pMin);
    max = Math.max(max, pMax);
    means += pMean * withMean.length;
    n += withMean.length;
    return { t, v: pMean, min: pMin, max: pMax };
  });
  return { line, summary: n ? { min: round(min), max: round(max), mean: round(means / n) } : {} };
}

/** True when the series has something to draw. */
export function hasData(s: ChartSeries): boolean {
  if (s.kind === 'line') return s.points.some((p) => p.v !== null);
  if (s.kind === 'bars') return s.bars.length > 0;
  return s.runs.length > 0;
}
