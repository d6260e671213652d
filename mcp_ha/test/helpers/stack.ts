// A whole stack for tests, over real sockets: the Home Assistant simulator, our server on a
// random port (built by the same createDeps/buildApp as production), and MCP clients.
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig } from '../../src/config/load.js';
import type { Options } from '../../src/config/schema.js';
import { createDeps } from '../../src/deps.js';
import { buildApp, type BuiltApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import type { AppDeps } from '../../src/tools/tool.js';
import { startSimulator, type Simulator, type SimOptions } from '../../sim/server.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const API_KEY = 'test-api-key-0123456789abcdef';
export const USER_TOKEN = 'user-token-abcdef0123456789';

export interface StackOptions {
  home?: SimOptions['home'];
  /** Add-on options (api_keys gets the test key added). */
  options?: Options;
  /** Extra environment variables for loadConfig. */
  env?: NodeJS.ProcessEnv;
  /** Do not wait for the Home Assistant cache (for unreachable-at-start tests). */
  noWait?: boolean;
  /** Token verdict cache for the server (ms). */
  authCacheMs?: number;
  /** Use an already running simulator. */
  sim?: Simulator;
}

export interface Stack {
  sim: Simulator;
  deps: AppDeps;
  built: BuiltApp;
  /** http://127.0.0.1:PORT */
  url: string;
  mcpUrl: string;
  /** Every log line the server wrote, for secret greps. */
  logs(): string;
  /** An SDK Client connected over Streamable HTTP with this bearer token (default: the API key). */
  client(token?: string, capabilities?: ConstructorParameters<typeof Client>[1]): Promise<Client>;
  /** tools/call through a shared SDK client; returns the result and its parsed JSON text. */
  call(name: string, args?: Record<string, unknown>, client?: Client): Promise<{ result: CallToolResult; json: Record<string, unknown> }>;
  /** Plain JSON-RPC POST /messages. */
  rpc(body: unknown, token?: string): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const sim = opts.sim ?? (await startSimulator({ port: 0, home: opts.home ?? 'demo' }));
  sim.addToken(USER_TOKEN, { id: 'user-1', name: 'Test User', is_admin: true });
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-stack-'));
  const optionsFile = join(dir, 'options.json');
  const options: Options = { ...opts.options, api_keys: [...(opts.options?.api_keys ?? []), { name: 'test', key: API_KEY }] };
  writeFileSync(optionsFile, JSON.stringify(options));
  const config = loadConfig({
    HOMEASSISTANT_URL: sim.url,
    HOMEASSISTANT_TOKEN: sim.token,
    MCP_OPTIONS_FILE: optionsFile,
    MCP_DATA_DIR: join(dir, 'data'),
    MCP_HOST: '127.0.0.1',
    MCP_PORT: '1',
    ...opts.env,
  });
  let logText = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  const logger = createLogger('debug', sink);
  const deps = createDeps(config, logger, { ha: { backoff: { initialMs: 50, maxMs: 500 }, heartbeatMs: 1000 } });
  const built = buildApp(deps, { authCacheMs: opts.authCacheMs });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = built.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const mcpUrl = `${url}${config.secretPath}`;
  await deps.ha.start();
  if (!opts.noWait) await deps.ha.waitReady(10_000);

  const clients: Client[] = [];
  let shared: Client | undefined;
  const client: Stack['client'] = async (token = API_KEY, capabilities) => {
    const c = new Client({ name: 'stack-test', version: '1.0.0' }, capabilities);
    const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    await c.connect(transport);
    clients.push(c);
    return c;
  };

  return {
    sim,
    deps,
    built,
    url,
    mcpUrl,
    logs: () => logText,
    client,
    async call(name, args = {}, c) {
      const target = c ?? (shared ??= await client());
      const result = (await target.callTool({ name, arguments: args })) as CallToolResult;
      const text = result.content.find((p) => p.type === 'text');
      const json = text && text.type === 'text' ? (JSON.parse(text.text) as Record<string, unknown>) : {};
      return { result, json };
    },
    async rpc(body, token = API_KEY) {
      const res = await fetch(`${url}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await built.app.close();
      await deps.ha.close();
      if (!opts.sim) await sim.close();
    },
  };
}
