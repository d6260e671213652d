// A chart as SVG text, 768 px wide (what a model's image input keeps without scaling): one panel
// per unit for lines (mean with a min–max band) and bars, a timeline lane per state entity, one
// time axis on the home's wall clock, the time zone and the period in the subtitle. Hand-written
// because the layout is small and fixed; d3 would only bring scales, and their time ticks know
// the process's zone, not the home's.
import { AppError } from '../errors.js';
import type { ChartSeries, LinePoint, Run } from './chartData.js';
import { formatTime, offsetMs, type Span } from './time.js';

export const CHART_WIDTH = 768;
export const MAX_CHART_HEIGHT = 768;
/** Lines a reader can tell apart by colour. */
export const MAX_CHART_SERIES = 8;
/** Panels (units) that keep a readable height within 768 px. */
export const MAX_CHART_UNITS = 3;

const FONT = 'Inter';
const LEFT = 64;
const RIGHT = 16;
const PLOT_W = CHART_WIDTH - LEFT - RIGHT;
const HEADER = 52;
const LEGEND = 24;
const LEGEND_ROW = 18;
const BAND_NOTE = 'line: mean, band: min–max';
/** A timeline lane: the name above a bar. */
const LANE = 34;
const BAR = 16;
/** Lanes of a chart without panels: taller bars fill the picture. */
const LANE_ALONE = 46;
const BAR_ALONE = 26;
const AXIS = 40;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const STATE_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f'];
const OFF_COLORS = ['#c9d1da', '#a3adb8', '#dde2e8'];
const OFF_LIKE = new Set(['off', 'closed', 'not_home', 'idle', 'locked', 'standby', 'paused', 'clear', 'below_horizon', 'disarmed', 'docked']);
const GAP_LIKE = new Set(['unavailable', 'unknown', '']);

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const TIME_STEPS = [5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];
const MONTH_STEPS = [1, 2, 3, 6, 12];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface ChartSpec {
  title: string;
  span: Span;
  tz: string;
  series: ChartSeries[];
  /** A short line under the title, after the period (e.g. "hourly statistics"). */
  caption?: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number): string => (Math.round(v * 10) / 10).toString();
/** Inter at 12 px averages about 6.6 px a character. */
const textWidth = (s: string, size = 12): number => s.length * size * 0.55;

function fit(s: string, px: number, size = 12): string {
  if (textWidth(s, size) <= px) return s;
  const n = Math.max(1, Math.floor(px / (size * 0.55)) - 1);
  return `${s.slice(0, n)}…`;
}

const text = (x: number, y: number, s: string, attrs = ''): string => `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ''}>${esc(s)}</text>`;

/** Panels by unit, in the order the series came; state series go to the timeline. */
function panelsOf(series: ChartSeries[]): { panels: ChartSeries[][]; lanes: ChartSeries[] } {
  const byUnit = new Map<string, ChartSeries[]>();
  const lanes: ChartSeries[] = [];
  for (const s of series) {
    if (s.kind === 'states') {
      lanes.push(s);
      continue;
    }
    const key = `${s.kind === 'bars' ? 'bars' : 'line'}|${s.unit ?? ''}`;
    const list = byUnit.get(key) ?? [];
    list.push(s);
    byUnit.set(key, list);
  }
  return { panels: [...byUnit.values()], lanes };
}

/** Throws when the series would not make a readable chart, saying how to split them. */
export function checkChartable(series: { unit?: string | undefined; kind: string }[]): void {
  if (series.length > MAX_CHART_SERIES) {
    throw new AppError('invalid_input', `A chart shows at most ${MAX_CHART_SERIES} entities; ${series.length} were asked.`, `Split them over several calls of at most ${MAX_CHART_SERIES} (e.g. by unit or room), or leave out "as" for the numbers of all.`);
  }
  const units = new Set(series.filter((s) => s.kind !== 'states').map((s) => `${s.kind === 'bars' ? 'bars' : 'line'}|${s.unit ?? ''}`));
  if (units.size > MAX_CHART_UNITS) {
    throw new AppError('invalid_input', `A chart has at most ${MAX_CHART_UNITS} panels (one per unit); these entities have ${units.size}.`, `Ask one chart per unit (at most ${MAX_CHART_UNITS} units a call), or leave out "as" for the numbers.`);
  }
}

/** Round numbers for an axis from lo to hi, about `count` of them. */
export function niceTicks(lo: number, hi: number, count: number): { ticks: number[]; decimals: number } {
  // Flat, or apart by float noise only (15.599999999999998 and 15.6): a range around the value.
  if (!(hi - lo > Math.max(Math.abs(lo), Math.abs(hi)) * 1e-9)) {
    const pad = Math.abs(lo) > 1 ? Math.abs(lo) * 0.05 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i <= 50 && first + i * step <= last + step / 2; i++) {
    const v = first + i * step;
    ticks.push(Math.abs(v) < step / 1e6 ? 0 : v);
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + (step / mag === 2.5 && mag < 10 ? 1 : 0);
  return { ticks, decimals: Math.min(decimals, 4) };
}

/** The instant whose wall clock in tz reads `wall` (a UTC timestamp of the wall time). */
function fromWall(wall: number, tz: string): number {
  const t = wall - offsetMs(wall, tz);
  return wall - offsetMs(t, tz);
}

interface TimeTick {
  t: number;
  label: string;
  /** The date (or month, or year) under the label, where it changes. */
  sub?: string;
}

/** Ticks on the home's wall clock: whole hours, days (weeks on Monday) or months; at most ~maxTicks. */
export function timeTicks(span: Span, tz: string, maxTicks: number): TimeTick[] {
  const len = span.end - span.start;
  const ticks: TimeTick[] = [];
  const wallOf = (t: number) => new Date(t + offsetMs(t, tz));
  const step = TIME_STEPS.find((s) => len / s <= maxTicks);
  if (step !== undefined) {
    const wStart = span.start + offsetMs(span.start, tz);
    const wEnd = span.end + offsetMs(span.end, tz);
    // Weeks start on Monday: epoch day 0 was a Thursday.
    const origin = step >= 7 * DAY ? 4 * DAY : 0;
    let lastDay = '';
    let lastMonth = '';
    for (let w = Math.ceil((wStart - origin) / step) * step + origin; w <= wEnd; w += step) {
      const t = fromWall(w, tz);
      if (t < span.start || t > span.end) continue;
      const d = wallOf(t);
      const day = `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()}`;
      const month = `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
      if (step < DAY) {
        const label = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
        const dayKey = `${day} ${MONTHS[d.getUTCMonth()]}`;
        ticks.push({ t, label, ...(dayKey !== lastDay ? { sub: dayKey } : {}) });
        lastDay = dayKey;
      } else {
        ticks.push({ t, label: day, ...(month !== lastMonth ? { sub: month } : {}) });
        lastMonth = month;
      }
    }
    return ticks;
  }
  const months = Math.max(1, len / (30.44 * DAY));
  const mStep = MONTH_STEPS.find((m) => months / m <= maxTicks) ?? Math.ceil(months / maxTicks / 12) * 12;
  const s = wallOf(span.start);
  let y = s.getUTCFullYear();
  let m = s.getUTCMonth() + 1;
  m = Math.ceil(m / mStep) * mStep;
  let lastYear = -1;
  for (let guard = 0; guard < 1000; guard++) {
    const wall = Date.UTC(y, m, 1);
    const t = fromWall(wall, tz);
    if (!(t <= span.end)) break;
    const d = new Date(wall);
    if (t >= span.start) {
      ticks.push({ t, label: MONTHS[d.getUTCMonth()]!, ...(d.getUTCFullYear() !== lastYear ? { sub: String(d.getUTCFullYear()) } : {}) });
      lastYear = d.getUTCFullYear();
    }
    m += mStep;
    if (m >= 12) {
      y += Math.floor(m / 12);
      m %= 12;
    }
  }
  return ticks;
}

/** Gaps light grey, resting states (off, idle, closed) greys, the others colours, in order of appearance. */
function stateColor(state: string, palette: Map<string, string>): string {
  if (GAP_LIKE.has(state)) return '#ececec';
  let c = palette.get(state);
  if (!c) {
    const off = OFF_LIKE.has(state);
    const taken = [...palette.keys()].filter((s) => OFF_LIKE.has(s) === off).length;
    c = off ? OFF_COLORS[taken % OFF_COLORS.length]! : STATE_COLORS[taken % STATE_COLORS.length]!;
    palette.set(state, c);
  }
  return c;
}

/** A path through the points; a null value breaks it. Stepped: each value holds until the next. */
function linePath(points: LinePoint[], x: (t: number) => number, y: (v: number) => number, stepped: boolean): string {
  let d = '';
  let open = false;
  for (const p of points) {
    if (p.v === null) {
      if (open && stepped) d += `H${num(x(p.t))}`;
      open = false;
      continue;
    }
    const px = num(x(p.t));
    const py = y(p.v);
    if (!open) d += `M${px},${num(py)}`;
    else d += stepped ? `H${px}V${num(py)}` : `L${px},${num(py)}`;
    open = true;
  }
  return d;
}

/** Closed shapes from min to max over each unbroken run of buckets. */
function bandPath(points: LinePoint[], x: (t: number) => number, y: (v: number) => number): string {
  let d = '';
  let run: LinePoint[] = [];
  const flush = () => {
    if (run.length > 1) {
      d += `M${run.map((p) => `${num(x(p.t))},${num(y(p.max!))}`).join('L')}`;
      d += `L${[...run].reverse().map((p) => `${num(x(p.t))},${num(y(p.min!))}`).join('L')}Z`;
    }
    run = [];
  };
  for (const p of points) {
    if (p.v === null || p.min === undefined || p.max === undefined) flush();
    else run.push(p);
  }
  flush();
  return d;
}

/** Legend items: one row when the names fit, else two, names cut only to share a row. */
function legendRows(names: string[]): { items: { x: number; row: number; label: string }[]; rows: number } {
  const widthOf = (labels: string[]) => labels.reduce((a, l) => a + 16 + textWidth(l) + 14, -14);
  const full = names.map((n) => fit(n, PLOT_W - 30));
  const half = Math.ceil(names.length / 2);
  const rows = widthOf(full) <= PLOT_W || names.length === 1 ? [full] : [full.slice(0, half), full.slice(half)];
  const items: { x: number; row: number; label: string }[] = [];
  rows.forEach((labels, row) => {
    const cut = widthOf(labels) <= PLOT_W ? labels : labels.map((l) => fit(l, PLOT_W / labels.length - 30));
    let x = LEFT;
    for (const label of cut) {
      items.push({ x, row, label });
      x += 16 + textWidth(label) + 14;
    }
  });
  return { items, rows: rows.length };
}

/** More runs than pixels (a busy motion sensor over a month): per pixel column the state that held longest there, equal neighbours joined. */
export function pixelRuns(runs: Run[], span: Span): Run[] {
  if (runs.length <= PLOT_W * 2) return runs;
  const width = (span.end - span.start) / PLOT_W;
  const out: Run[] = [];
  let i = 0;
  for (let col = 0; col < PLOT_W; col++) {
    const b = span.start + col * width;
    const e = b + width;
    const time = new Map<string, number>();
    while (i < runs.length && runs[i]!.end <= b) i++;
    for (let j = i; j < runs.length && runs[j]!.start < e; j++) {
      const r = runs[j]!;
      time.set(r.state, (time.get(r.state) ?? 0) + Math.min(r.end, e) - Math.max(r.start, b));
    }
    let state: string | undefined;
    let most = 0;
    for (const [st, ms] of time) if (ms > most) [state, most] = [st, ms];
    if (state === undefined) continue;
    const last = out.at(-1);
    if (last && last.state === state && last.end >= b - 1) last.end = e;
    else out.push({ state, start: b, end: e });
  }
  return out;
}

/** The chart as an SVG document: CHART_WIDTH wide, at most MAX_CHART_HEIGHT high. */
export function chartSvg(spec: ChartSpec): string {
  checkChartable(spec.series);
  const { panels, lanes } = panelsOf(spec.series);
  const lane = panels.length ? LANE : LANE_ALONE;
  const bar = panels.length ? BAR : BAR_ALONE;
  const laneBlock = lanes.length ? lanes.length * lane + LEGEND : 0;
  const legends = panels.map((panel) => legendRows(panel.map((p) => p.name)));
  const fixed = HEADER + legends.reduce((a, l) => a + l.rows * LEGEND_ROW + (LEGEND - LEGEND_ROW), 0) + laneBlock + AXIS;
  const plotH = panels.length ? Math.max(110, Math.min(panels.length === 1 ? 300 : 200, Math.floor((MAX_CHART_HEIGHT - fixed) / panels.length))) : 0;
  const height = Math.min(MAX_CHART_HEIGHT, fixed + panels.length * plotH + (panels.length ? 0 : 8));
  const span = spec.span;
  const x = (t: number): number => LEFT + ((Math.min(Math.max(t, span.start), span.end) - span.start) / (span.end - span.start)) * PLOT_W;
  const ticks = timeTicks(span, spec.tz, 10);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}" font-family="${FONT}" font-size="12" fill="#333">`);
  out.push(`<rect width="${CHART_WIDTH}" height="${height}" fill="#fff"/>`);
  out.push(text(LEFT, 22, fit(spec.title, PLOT_W, 16), 'font-size="16" fill="#111"'));
  const period = `${formatTime(span.start, spec.tz)} → ${formatTime(span.end, spec.tz)} (${spec.tz})${spec.caption ? ` · ${spec.caption}` : ''}`;
  out.push(text(LEFT, 40, fit(period, PLOT_W), 'fill="#666"'));

  let top = HEADER;
  let colour = 0;
  const grid = (y0: number, h: number) => ticks.map((k) => `<line shape-rendering="crispEdges" x1="${num(x(k.t))}" y1="${y0}" x2="${num(x(k.t))}" y2="${y0 + h}" stroke="#eee"/>`).join('');
  for (const panel of panels) {
    const colours = panel.map(() => COLORS[colour++ % COLORS.length]!);
    // Legend: a swatch and the name per series; the unit once, left, above the axis.
    const legend = legends[panels.indexOf(panel)]!;
    const unit = panel[0]!.unit;
    if (unit) out.push(text(LEFT - 8, top + 14, fit(unit, LEFT - 10), 'text-anchor="end" fill="#666"'));
    legend.items.forEach((item, i) => {
      const y = top + item.row * LEGEND_ROW;
      out.push(`<rect x="${num(item.x)}" y="${y + 5}" width="12" height="10" fill="${colours[i]}"/>`);
      out.push(text(item.x + 16, y + 14, item.label));
    });
    const firstEnd = Math.max(LEFT, ...legend.items.filter((i) => i.row === 0).map((i) => i.x + 16 + textWidth(i.label)));
    if (panel.some((s) => s.kind === 'line' && s.band) && firstEnd + 14 + textWidth(BAND_NOTE, 11) <= LEFT + PLOT_W) {
      out.push(text(LEFT + PLOT_W, top + 14, BAND_NOTE, 'text-anchor="end" font-size="11" fill="#888"'));
    }
    top += legend.rows * LEGEND_ROW + (LEGEND - LEGEND_ROW);
    // The y range over every value drawn (bands included); bars from zero.
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of panel) {
      if (s.kind === 'line') {
        for (const p of s.points) {
          if (p.v === null) continue;
          lo = Math.min(lo, p.min ?? p.v, p.v);
          hi = Math.max(hi, p.max ?? p.v, p.v);
        }
      } else if (s.kind === 'bars') {
        for (const b of s.bars) {
          lo = Math.min(lo, b.v, 0);
          hi = Math.max(hi, b.v, 0);
        }
      }
    }
    if (lo === Infinity) {
      lo = 0;
      hi = 1;
    }
    const { ticks: yTicks, decimals } = niceTicks(lo, hi, Math.max(3, Math.round(plotH / 45)));
    const y0 = yTicks[0]!;
    const y1 = yTicks.at(-1)!;
    const y = (v: number): number => top + plotH - ((v - y0) / (y1 - y0)) * plotH;
    out.push(grid(top, plotH));
    for (const v of yTicks) {
      out.push(`<line shape-rendering="crispEdges" x1="${LEFT}" y1="${num(y(v))}" x2="${LEFT + PLOT_W}" y2="${num(y(v))}" stroke="${v === 0 && y0 < 0 ? '#bbb' : '#eee'}"/>`);
      out.push(text(LEFT - 8, y(v) + 4, v.toFixed(decimals), 'text-anchor="end" fill="#555"'));
    }
    const bars = panel.filter((s) => s.kind === 'bars');
    panel.forEach((s, i) => {
      const c = colours[i]!;
      if (s.kind === 'line') {
        if (s.band) out.push(`<path d="${bandPath(s.points, x, y)}" fill="${c}" fill-opacity="0.18" stroke="none" shape-rendering="crispEdges"/>`);
        out.push(`<path d="${linePath(s.points, x, y, s.stepped)}" fill="none" stroke="${c}" stroke-width="2" stroke-linejoin="round"/>`);
      } else if (s.kind === 'bars') {
        const k = bars.indexOf(s);
        for (const b of s.bars) {
          const bx = x(b.start);
          const w = Math.max(1, (x(b.end) - bx) / bars.length);
          const inner = Math.max(1, w * (w > 4 ? 0.8 : 1));
          const top1 = y(Math.max(0, b.v));
          out.push(`<rect shape-rendering="crispEdges" x="${num(bx + k * w + (w - inner) / 2)}" y="${num(top1)}" width="${num(inner)}" height="${num(Math.max(0.5, Math.abs(y(b.v) - y(0))))}" fill="${c}"/>`);
        }
      }
    });
    out.push(`<rect x="${LEFT}" y="${top}" width="${PLOT_W}" height="${plotH}" fill="none" stroke="#ccc"/>`);
    top += plotH;
  }

  if (lanes.length) {
    const palette = new Map<string, string>();
    const used = new Map<string, string>();
    out.push(grid(top, lanes.length * lane));
    for (const s of lanes) {
      if (s.kind !== 'states') continue;
      out.push(text(LEFT, top + 12, fit(s.name, PLOT_W), 'fill="#333"'));
      const by = top + 16;
      for (const r of pixelRuns(s.runs, span)) {
        const c = stateColor(r.state, palette);
        used.set(r.state, c);
        const rx = x(r.start);
        const w = Math.max(0.5, x(r.end) - rx);
        out.push(`<rect shape-rendering="crispEdges" x="${num(rx)}" y="${by}" width="${num(w)}" height="${bar}" fill="${c}"/>`);
        if (w > textWidth(r.state, 11) + 8) out.push(text(rx + 4, by + bar / 2 + 4, r.state, `font-size="11" fill="${OFF_LIKE.has(r.state) || GAP_LIKE.has(r.state) ? '#333' : '#fff'}"`));
      }
      top += lane;
    }
    // Which colour is which state (states too short to carry their name still show here).
    let lx = LEFT;
    for (const [state, c] of [...used].slice(0, 12)) {
      const label = state || '(empty)';
      if (lx + 16 + textWidth(label) > LEFT + PLOT_W) break;
      out.push(`<rect x="${num(lx)}" y="${top + 6}" width="12" height="10" fill="${c}"/>`);
      out.push(text(lx + 16, top + 15, label, 'font-size="11"'));
      lx += 16 + textWidth(label, 11) + 14;
    }
    top += LEGEND;
  }

  // The time axis, once, at the bottom.
  out.push(`<line x1="${LEFT}" y1="${top}" x2="${LEFT + PLOT_W}" y2="${top}" stroke="#999"/>`);
  for (const k of ticks) {
    const tx = x(k.t);
    out.push(`<line x1="${num(tx)}" y1="${top}" x2="${num(tx)}" y2="${top + 4}" stroke="#999"/>`);
    out.push(text(tx, top + 17, k.label, 'text-anchor="middle" fill="#555"'));
    if (k.sub) out.push(text(tx, top + 31, k.sub, 'text-anchor="middle" fill="#888" font-size="11"'));
  }
  out.push('</svg>');
  return out.join('');
}
