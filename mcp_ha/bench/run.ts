// The benchmark (not a test): the simulator with the demo home and generated homes of 100,
// 2,000 and 10,000 entities; the built server as a child process; MCP clients over HTTP.
// Prints a table and writes bench/results/latest.json. Run through scripts/bench.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSimulator, type Simulator } from '../sim/server.js';
import { alternate, throughput, timed, timing, tokens, type Timing } from './measure.js';
import { benchNames } from './names.js';
import { benchPaths, PATH_CALLS, type PathResult } from './paths.js';
import { startServer, type ServerChild } from './server.js';
import { rankingFor } from '../test/home/ranking/ranking.js';

const here = dirname(fileURLToPath(import.meta.url));
const ENTRY = join(here, '..', 'dist', 'main.js');
const HOMES: { label: string; home: 'demo' | number }[] = [
  { label: 'demo', home: 'demo' },
  { label: '100', home: 100 },
  { label: '2000', home: 2000 },
  { label: '10000', home: 10_000 },
];
const LATENCY_SAMPLES = 300;
const THROUGHPUT_MS = 1500;
const SEARCHES = 20;

interface HomeResult {
  home: string;
  entities: number;
  overview_tokens: number;
  compact_bytes: number;
  raw_states_bytes: number;
  compact_ratio: number;
  get_state_mcp: Timing;
  get_state_rest: Timing;
  latency_ratio_median: number;
  latency_ratio_p99: number;
  calls_per_s_1: number;
  calls_per_s_16: number;
  search_mcp: Timing;
  /** The ranking set's share of queries with the expected entity first (demo and 2000 only). */
  search_first_place?: number;
  rss_after_load_mb: number;
  rss_end_mb: number;
}

async function connect(server: ServerChild): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${server.apiKey}` } } }),
  );
  return client;
}

async function callText(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const r = (await client.callTool({ name, arguments: args })) as { content: { type: string; text?: string }[]; isError?: boolean };
  const text = r.content[0]?.text ?? '';
  if (r.isError) throw new Error(`${name} failed: ${text}`);
  return text;
}

/** A query with a typo: the longest word of a name loses its second-to-last letter. */
function typo(name: string): string {
  const words = name.split(' ');
  const i = words.reduce((best, w, j) => (w.length > (words[best]?.length ?? 0) ? j : best), 0);
  const w = words[i] ?? '';
  if (w.length > 4) words[i] = w.slice(0, -2) + w.slice(-1);
  return words.join(' ');
}

async function benchHome(label: string, home: 'demo' | number, out: { toolsListTokens?: number; paths?: PathResult[] }): Promise<HomeResult> {
  const sim: Simulator = await startSimulator({ port: 0, home, seed: 1 });
  const server = await startServer(ENTRY, { url: sim.url, token: sim.token });
  const clients: Client[] = [];
  try {
    const rssAfterLoad = server.rssMb();
    const client = await connect(server);
    clients.push(client);
    if (out.toolsListTokens === undefined) out.toolsListTokens = tokens(JSON.stringify((await client.listTools()).tools));

    const overview = await callText(client, 'ha_overview', {});
    const entities = (JSON.parse(overview) as { home: { entities: number } }).home.entities;

    const rawRes = await fetch(`${sim.url}/api/states`, { headers: { Authorization: `Bearer ${sim.token}` } });
    const rawText = await rawRes.text();
    const raw = JSON.parse(rawText) as { entity_id: string; attributes: { friendly_name?: string } }[];
    let compactBytes = 0;
    for (let offset = 0; offset < raw.length; offset += 1000) {
      compactBytes += Buffer.byteLength(await callText(client, 'ha_list_entities', { limit: 1000, offset }));
    }

    // ha_get_state through MCP against GET /api/states/<id> to the simulator, interleaved.
    const ids = raw.map((s) => s.entity_id).sort();
    const pick = (i: number): string => ids[(i * 7919) % ids.length] ?? 'sun.sun';
    const restGet = (id: string) =>
      fetch(`${sim.url}/api/states/${id}`, { headers: { Authorization: `Bearer ${sim.token}` } }).then((r) => r.arrayBuffer());
    const mcpGet = (id: string) => callText(client, 'ha_get_state', { entity_id: id });
    const { a: mcpT, b: restT } = await alternate((i) => mcpGet(pick(i)), (i) => restGet(pick(i)), LATENCY_SAMPLES, 50);

    if (label === 'demo') out.paths = await benchPaths(server, ENTRY, sim, ids);

    const one = await throughput([(i) => mcpGet(pick(i))], THROUGHPUT_MS);
    const many = await Promise.all(Array.from({ length: 16 }, () => connect(server)));
    clients.push(...many);
    const sixteen = await throughput(many.map((c) => (i: number) => callText(c, 'ha_get_state', { entity_id: pick(i) })), THROUGHPUT_MS);

    const names = raw.map((s) => s.attributes.friendly_name).filter((n): n is string => typeof n === 'string' && n.length > 6).sort();
    const queries = Array.from({ length: SEARCHES }, (_, i) => typo(names[Math.floor((i * names.length) / SEARCHES)] ?? 'kitchen light'));
    for (const q of queries.slice(0, 3)) await callText(client, 'ha_search_entities', { query: q });
    const searchTimes: number[] = [];
    for (const q of queries) searchTimes.push(await timed(() => callText(client, 'ha_search_entities', { query: q })));
    const searchIds = async (query: string): Promise<string[]> =>
      (JSON.parse(await callText(client, 'ha_search_entities', { query, limit: 5 })) as { results: { entity_id: string }[] }).results.map((r) => r.entity_id);
    const ranking = await rankingFor(label, sim, searchIds);

    const round3 = (v: number): number => Math.round(v * 1000) / 1000;
    return {
      home: label,
      entities,
      overview_tokens: tokens(overview),
      compact_bytes: compactBytes,
      raw_states_bytes: Buffer.byteLength(rawText),
      compact_ratio: round3(compactBytes / Buffer.byteLength(rawText)),
      get_state_mcp: mcpT,
      get_state_rest: restT,
      latency_ratio_median: round3(mcpT.median_ms / restT.median_ms),
      latency_ratio_p99: round3(mcpT.p99_ms / restT.p99_ms),
      calls_per_s_1: one,
      calls_per_s_16: sixteen,
      search_mcp: timing(searchTimes),
      ...(ranking ? { search_first_place: ranking.first_place } : {}),
      rss_after_load_mb: rssAfterLoad,
      rss_end_mb: server.rssMb(),
    };
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    await server.stop();
    await sim.close();
  }
}

function table(results: HomeResult[], toolsListTokens: number): string {
  const rows: [string, (r: HomeResult) => string | number][] = [
    ['entities', (r) => r.entities],
    ['overview tokens (target <= 1500)', (r) => r.overview_tokens],
    ['compact list / raw /api/states bytes (target <= 0.10)', (r) => r.compact_ratio],
    ['ha_get_state via MCP median / p99 ms', (r) => `${r.get_state_mcp.median_ms} / ${r.get_state_mcp.p99_ms}`],
    ['REST GET /api/states/<id> median / p99 ms', (r) => `${r.get_state_rest.median_ms} / ${r.get_state_rest.p99_ms}`],
    ['latency ratio MCP/REST median / p99 (target <= 1.0)', (r) => `${r.latency_ratio_median} / ${r.latency_ratio_p99}`],
    ['calls/s, 1 client', (r) => r.calls_per_s_1],
    ['calls/s, 16 clients', (r) => r.calls_per_s_16],
    ['ha_search_entities via MCP median / p99 ms', (r) => `${r.search_mcp.median_ms} / ${r.search_mcp.p99_ms}`],
    ['search ranking set, first place right (target >= 0.95)', (r) => r.search_first_place ?? '-'],
    ['server RSS after load / at end MB (target <= 150)', (r) => `${r.rss_after_load_mb} / ${r.rss_end_mb}`],
  ];
  const header = ['metric', ...results.map((r) => r.home)];
  const body = rows.map(([name, f]) => [name, ...results.map((r) => String(f(r)))]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `tools/list: ${toolsListTokens} tokens (o200k; target <= 6000)`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const out: { toolsListTokens?: number; paths?: PathResult[] } = {};
  const results: HomeResult[] = [];
  // BENCH_HOMES=demo,2000 runs a subset (for quick comparisons; the README table uses all).
  const only = process.env.BENCH_HOMES?.split(',');
  for (const { label, home } of HOMES.filter((h) => !only || only.includes(h.label))) {
    const t0 = performance.now();
    results.push(await benchHome(label, home, out));
    console.error(`home ${label}: ${Math.round(performance.now() - t0)} ms`);
  }
  const report = {
    command: 'scripts/bench',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    tools_list_tokens: out.toolsListTokens,
    paths: out.paths,
    homes: results,
    names: await benchNames(), // bench/names.ts: search with 10,000 learned names on the 10,000-entity home
    charts: await (await import('./charts.js')).benchCharts(ENTRY),
    tools: await (await import('./tools.js')).benchTools(ENTRY), // bench/tools.ts: tokens per tool in tools/list and per typical answer
    seconds: Math.round((performance.now() - started) / 1000),
  };
  const dir = join(here, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(table(results, out.toolsListTokens ?? 0));
  if (out.paths) {
    console.log(`\nCached ha_get_state per path vs REST GET /api/states/<id>, ${PATH_CALLS} alternating calls (demo home; target ratio <= 1.0):\n`);
    console.log('| path | MCP median / p99 ms | REST median / p99 ms | ratio (median) |');
    console.log('|---|---|---|---|');
    for (const p of out.paths) console.log(`| ${p.path} | ${p.mcp.median_ms} / ${p.mcp.p99_ms} | ${p.rest.median_ms} / ${p.rest.p99_ms} | ${p.ratio_median} |`);
  }
  console.log(`\n${report.seconds} s; saved bench/results/latest.json`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
