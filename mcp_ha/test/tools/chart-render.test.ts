// The chart renderer without Home Assistant: axis ticks on the home's wall clock (across a DST
// change), round y ticks, the limits that keep a chart readable, and an SVG drawn to a PNG that
// decodes at 768 px wide and is not blank. The charts through MCP: chart-mcp.test.ts.
import t from 'tap';
import { CHART_WIDTH, MAX_CHART_HEIGHT, chartSvg, checkChartable, niceTicks, pixelRuns, timeTicks } from '../../src/home/chart.js';
import { numericLine, stateRuns, statisticsData, type ChartSeries } from '../../src/home/chartData.js';
import { svgToPng } from '../../src/home/chartPng.js';
import { pixelStats } from './chartPixels.js';

const TZ = 'Europe/Amsterdam';
const HOUR = 3_600_000;

t.test('time ticks: local hours and days, across the end of summer time', async (t) => {
  // 2026-10-25 03:00 CEST -> 02:00 CET in Amsterdam.
  const start = Date.parse('2026-10-24T22:00:00Z'); // 00:00 local, the 25th
  const day = timeTicks({ start, end: start + 25 * HOUR }, TZ, 10);
  t.same(day.map((k) => k.label), ['00:00', '03:00', '06:00', '09:00', '12:00', '15:00', '18:00', '21:00', '00:00']);
  t.equal(day[0]!.sub, 'Sun 25 Oct', 'the date under the first tick');
  t.equal(day.at(-1)!.sub, 'Mon 26 Oct', 'and where the day changes');
  t.equal(day[1]!.t - day[0]!.t, 4 * HOUR, 'the night with an extra hour');
  t.equal(day[2]!.t - day[1]!.t, 3 * HOUR);
  const week = timeTicks({ start: Date.parse('2026-11-23T10:00:00Z'), end: Date.parse('2026-11-30T10:00:00Z') }, TZ, 10);
  t.same(week.map((k) => k.label), ['Tue 24', 'Wed 25', 'Thu 26', 'Fri 27', 'Sat 28', 'Sun 29', 'Mon 30']);
  t.equal(week[0]!.sub, 'Nov 2026');
  const year = timeTicks({ start: Date.parse('2025-12-15T00:00:00Z'), end: Date.parse('2026-12-15T00:00:00Z') }, TZ, 10);
  t.same(year.map((k) => k.label), ['Jan', 'Mar', 'May', 'Jul', 'Sep', 'Nov']);
  t.equal(year[0]!.sub, '2026');
  t.equal(new Date(year[0]!.t).toISOString(), '2025-12-31T23:00:00.000Z', 'local midnight of 1 January');
});

t.test('y ticks are round and cover the values', async (t) => {
  t.same(niceTicks(17.2, 23.9, 5), { ticks: [16, 18, 20, 22, 24], decimals: 0 });
  t.same(niceTicks(0, 0.9, 4), { ticks: [0, 0.25, 0.5, 0.75, 1], decimals: 2 });
  const flat = niceTicks(100, 100, 5);
  t.ok(flat.ticks[0]! < 100 && flat.ticks.at(-1)! > 100, 'a flat line gets a range around it');
  const noise = niceTicks(15.599999999999998, 15.6, 5);
  t.ok(noise.ticks.length > 2 && noise.ticks.length < 12 && noise.ticks[0]! < 15.6 && noise.ticks.at(-1)! > 15.6, 'means apart by float noise only: a flat line (found by the demo statistics)');
  t.ok(niceTicks(1e15, 1e15 + 1, 5).ticks.length <= 51, 'never more than 51 ticks');
});

t.test('more runs than pixels: one run per column at most, the state that held longest', async (t) => {
  const span = { start: 0, end: 31 * 24 * HOUR };
  // A motion sensor: 30 s "on" every 5 minutes for a month (17,856 runs).
  const runs = [];
  for (let t0 = 0; t0 < span.end; t0 += 300_000) runs.push({ state: 'on', start: t0, end: t0 + 30_000 }, { state: 'off', start: t0 + 30_000, end: t0 + 300_000 });
  const drawn = pixelRuns(runs, span);
  t.ok(drawn.length <= 688, `${drawn.length} runs drawn of ${runs.length}`);
  t.same(new Set(drawn.map((r) => r.state)), new Set(['off']), 'mostly off in every column');
  const few = runs.slice(0, 10);
  t.equal(pixelRuns(few, span), few, 'few runs are drawn as they are');
  const svg = chartSvg({ title: 'Motion', span, tz: TZ, series: [{ kind: 'states', id: 'binary_sensor.m', name: 'Motion', runs }] });
  t.ok(svg.length < 100_000, `SVG ${svg.length} characters`);
});

t.test('limits: entities and units per chart, with advice', async (t) => {
  const line = (unit: string) => ({ kind: 'line', unit });
  t.throws(() => checkChartable(Array.from({ length: 9 }, () => line('W'))), { code: 'invalid_input', message: 'A chart shows at most 8 entities; 9 were asked.', suggestion: /several calls/ });
  t.throws(() => checkChartable([line('W'), line('°C'), line('%'), line('lx')]), { code: 'invalid_input', message: /at most 3 panels.*4/, suggestion: /one chart per unit/ });
  t.doesNotThrow(() => checkChartable([line('W'), line('W'), { kind: 'states' }, { kind: 'states' }, line('°C')]));
});

t.test('an SVG drawn to PNG: 768 px wide, names escaped, not blank', async (t) => {
  const end = Date.parse('2026-12-01T12:00:00Z');
  const span = { start: end - 7 * 24 * HOUR, end };
  const rows = (f: (i: number) => string, every: number) => Array.from({ length: Math.floor((span.end - span.start) / every) }, (_, i) => ({ s: f(i), lu: (span.start + i * every) / 1000 }));
  const temp = numericLine(rows((i) => (20 + 3 * Math.sin(i / 40)).toFixed(1), 300_000), span, 48);
  t.equal(temp.points.length, 48, '2,016 readings in 48 buckets');
  t.notOk(temp.stepped);
  t.ok(temp.points.every((p) => p.min! <= p.v! && p.v! <= p.max!), 'min <= mean <= max in each bucket');
  const few = numericLine([{ s: '5', lu: span.start / 1000 + 60 }, { s: 'unavailable', lu: span.start / 1000 + 7200 }, { s: '7.5', lu: span.start / 1000 + 9000 }], span, 48);
  t.ok(few.stepped, 'few changes: a step line');
  t.same(few.points.map((p) => p.v), [5, null, 7.5, 7.5], 'a gap, and the last value until the end');
  t.same(few.summary, { min: 5, max: 7.5, mean: 7.47 });
  const light = stateRuns(rows((i) => (i % 7 < 2 ? 'on' : 'off'), HOUR), span);
  t.equal(light.runs.length, Math.ceil(168 / 7) * 2 - 0, 'runs of equal states');
  const meter = statisticsData(Array.from({ length: 7 }, (_, i) => ({ start: span.start + i * 24 * HOUR, end: span.start + (i + 1) * 24 * HOUR, change: i + 1 })), true, 48, undefined);
  t.same(meter.summary, { total: 28 });
  const series: ChartSeries[] = [
    { kind: 'line', id: 'sensor.a', name: 'Living <Room> & "Temperature"', unit: '°C', points: temp.points, stepped: false, band: true },
    { kind: 'bars', id: 'sensor.e', name: 'Energy', unit: 'kWh', bars: meter.bars! },
    { kind: 'states', id: 'light.a', name: 'Light', runs: light.runs },
  ];
  const svg = chartSvg({ title: 'Test', span, tz: TZ, series });
  t.match(svg, /Living &lt;Room&gt; &amp; &quot;Temperature&quot;/, 'names escaped');
  t.match(svg, /\(Europe\/Amsterdam\)/, 'the time zone under the title');
  const png = await svgToPng(svg);
  const stats = pixelStats(png);
  t.equal(stats.width, CHART_WIDTH);
  t.ok(stats.height > 300 && stats.height <= MAX_CHART_HEIGHT, `height ${stats.height}`);
  t.ok(stats.variance > 100, `variance ${stats.variance.toFixed(0)}`);
  t.ok(stats.coloured > 2000, `${stats.coloured} coloured pixels`);
  t.comment(`PNG ${png.length} bytes`);
  const tall = chartSvg({ title: 'Tall', span, tz: TZ, series: [...['W', '°C', '%'].map((unit, i) => ({ ...series[0]!, id: `s${i}`, unit }) as ChartSeries), ...Array.from({ length: 5 }, (_, i) => ({ ...series[2]!, id: `l${i}` }))] });
  t.ok(pixelStats(await svgToPng(tall)).height <= MAX_CHART_HEIGHT, '3 panels and 5 lanes stay within 768 px');
});
