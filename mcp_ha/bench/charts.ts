// Charts (ha_history as: "chart"): milliseconds per chart and PNG bytes, a week of one power
// sensor and of five temperature sensors in 48 buckets on the 2,000-entity home: the drawing
// alone (SVG, then PNG in the chart worker) and the whole call through MCP against the built
// server. Median over 50 after a warm-up. Called from bench/run.ts; alone: npx tsx bench/charts.ts
// (after npm run build).
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSimulator } from '../sim/server.js';
import { chartSvg } from '../src/home/chart.js';
import { numericLine, type ChartSeries } from '../src/home/chartData.js';
import { svgToPng } from '../src/home/chartPng.js';
import { timing, type Timing } from './measure.js';
import { startServer } from './server.js';

const RUNS = 50;
const WARM = 3;
const POINTS = 48;
const DAY = 86_400_000;

export interface ChartBench {
  entities: number;
  points: number;
  render: Timing;
  mcp: Timing;
  png_bytes: number;
}

async function median(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARM; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return timing(samples);
}

export async function benchCharts(entry: string): Promise<ChartBench[]> {
  const sim = await startSimulator({ port: 0, home: 2000, seed: 1 });
  const server = await startServer(entry, { url: sim.url, token: sim.token });
  const client = new Client({ name: 'bench-charts', version: '1.0.0' });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${server.apiKey}` } } }));
    const temperatures = await temperatureIds(client);
    if (temperatures.length < 5) throw new Error(`5 temperature sensors expected, found ${temperatures.join(', ')}`);
    const out: ChartBench[] = [];
    for (const ids of [['sensor.smart_meter_power'], temperatures.slice(0, 5)]) {
      const args = { entity_ids: ids, start: '-7d', points: POINTS, as: 'chart' };
      let bytes = 0;
      const mcp = await median(async () => {
        const r = (await client.callTool({ name: 'ha_history', arguments: args })) as { content: { type: string; data?: string; text?: string }[]; isError?: boolean };
        if (r.isError) throw new Error(`ha_history chart failed: ${r.content[0]?.text ?? ''}`);
        bytes = Buffer.from(r.content[1]?.data ?? '', 'base64').length;
      });
      // The drawing alone, from the same week of history (the simulator's rows).
      const end = Date.now();
      const span = { start: end - 7 * DAY, end };
      const rows = await historyRows(sim.url, sim.token, ids, span);
      const series: ChartSeries[] = ids.map((id) => ({ id, name: id, unit: ids.length === 1 ? 'W' : '°C', kind: 'line', ...lineOf(rows[id] ?? [], span) }));
      const render = await median(() => svgToPng(chartSvg({ title: ids.join(', '), span, tz: 'Europe/Amsterdam', series })));
      out.push({ entities: ids.length, points: POINTS, render, mcp, png_bytes: bytes });
    }
    console.log(`\nCharts (ha_history as "chart", a week in ${POINTS} buckets, 2,000-entity home; median / p99 ms over ${RUNS}):\n`);
    console.log('| entities | drawing (SVG + PNG) ms | through MCP ms | PNG bytes |');
    console.log('|---|---|---|---|');
    for (const r of out) console.log(`| ${r.entities} | ${r.render.median_ms} / ${r.render.p99_ms} | ${r.mcp.median_ms} / ${r.mcp.p99_ms} | ${r.png_bytes} |`);
    return out;
  } finally {
    await client.close().catch(() => undefined);
    await server.stop();
    await sim.close();
  }
}

function lineOf(rows: { s: string; lu: number }[], span: { start: number; end: number }): { points: ReturnType<typeof numericLine>['points']; stepped: boolean; band: boolean } {
  const line = numericLine(rows, span, POINTS);
  return { points: line.points, stepped: line.stepped, band: !line.stepped };
}

async function temperatureIds(client: Client): Promise<string[]> {
  const r = (await client.callTool({ name: 'ha_search_entities', arguments: { query: 'climate sensor temperature', limit: 20 } })) as { content: { text: string }[] };
  const found = (JSON.parse(r.content[0]!.text) as { results: { entity_id: string }[] }).results.map((x) => x.entity_id);
  return found.filter((id) => id.startsWith('sensor.') && id.includes('temperature')).slice(0, 5);
}

async function historyRows(url: string, token: string, ids: string[], span: { start: number; end: number }): Promise<Record<string, { s: string; lu: number }[]>> {
  const q = new URLSearchParams({ filter_entity_id: ids.join(','), end_time: new Date(span.end).toISOString(), minimal_response: '', no_attributes: '' });
  const res = await fetch(`${url}/api/history/period/${new Date(span.start).toISOString()}?${q}`, { headers: { Authorization: `Bearer ${token}` } });
  const lists = (await res.json()) as { entity_id?: string; state: string; last_changed?: string; last_updated?: string }[][];
  const out: Record<string, { s: string; lu: number }[]> = {};
  for (const list of lists) {
    const id = list[0]?.entity_id;
    if (!id) continue;
    out[id] = list.map((r) => ({ s: r.state, lu: Date.parse(r.last_updated ?? r.last_changed ?? '') / 1000 }));
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const entry = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'main.js');
  benchCharts(entry).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
