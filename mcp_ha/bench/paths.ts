// Cached ha_get_state through every MCP path against a direct REST GET /api/states/<id> to the
// simulator, 1,000 alternating calls each, keep-alive on both sides: a 2025 session (SDK v1
// client), the 2026-07-28 per-request path (SDK v2 client), and stdio (v1 and v2 clients).
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Simulator } from '../sim/server.js';
import { alternate, type Timing } from './measure.js';
import type { ServerChild } from './server.js';

export const PATH_CALLS = 1000;

export interface PathResult {
  path: string;
  mcp: Timing;
  rest: Timing;
  ratio_median: number;
}

interface Caller {
  callTool(req: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

async function openPaths(server: ServerChild, entry: string, sim: Simulator): Promise<[string, Caller][]> {
  const requestInit = { headers: { Authorization: `Bearer ${server.apiKey}` } };
  const v1 = new Client({ name: 'bench-v1', version: '1' });
  await v1.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit }));
  const v2 = new ClientV2({ name: 'bench-v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await v2.connect(new HttpV2(new URL(server.mcpUrl), { requestInit }));
  const stdioParams = {
    command: process.execPath,
    args: [entry, '--stdio'],
    env: { PATH: process.env.PATH ?? '', HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: sim.token, LOG_LEVEL: 'warn', MCP_DATA_DIR: `${server.dataDir}-stdio` },
  };
  const s1 = new Client({ name: 'bench-stdio-v1', version: '1' });
  await s1.connect(new StdioClientTransport(stdioParams));
  const s2 = new ClientV2({ name: 'bench-stdio-v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await s2.connect(new StdioV2(stdioParams));
  return [
    ['2025-11-25 session (Streamable HTTP, v1 client)', v1],
    ['2026-07-28 (Streamable HTTP, v2 client)', v2],
    ['stdio 2025-11-25 (v1 client)', s1],
    ['stdio 2026-07-28 (v2 client)', s2],
  ];
}

export async function benchPaths(server: ServerChild, entry: string, sim: Simulator, ids: string[]): Promise<PathResult[]> {
  const paths = await openPaths(server, entry, sim);
  const pick = (i: number): string => ids[(i * 7919) % ids.length] ?? 'sun.sun';
  const restGet = (id: string) => fetch(`${sim.url}/api/states/${id}`, { headers: { Authorization: `Bearer ${sim.token}` } }).then((r) => r.arrayBuffer());
  const out: PathResult[] = [];
  try {
    for (const [path, client] of paths) {
      const mcpGet = async (id: string) => {
        const r = (await client.callTool({ name: 'ha_get_state', arguments: { entity_id: id } })) as { isError?: boolean; content: { text?: string }[] };
        if (r.isError) throw new Error(`${path}: ${r.content[0]?.text ?? ''}`);
      };
      // Warm-up (the stdio server loads its own cache first).
      const { a: mcp, b: rest } = await alternate((i) => mcpGet(pick(i)), (i) => restGet(pick(i)), PATH_CALLS, 100);
      out.push({ path, mcp, rest, ratio_median: Math.round((mcp.median_ms / rest.median_ms) * 1000) / 1000 });
    }
  } finally {
    await Promise.allSettled(paths.map(([, c]) => c.close()));
  }
  return out;
}
