// A whole stack for tests, over real sockets: the Home Assistant simulator, our server on a
// random port (built by the same createDeps/buildApp as production), and MCP clients.
import { Writable } from 'node:stream';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpTransportV2 } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ResourceListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
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

/**
 * Which MCP client the end-to-end tests drive the server with: 'v1' is the SDK v1 Client that
 * 2025-era clients run (initialize, a session); 'v2' is the SDK v2 Client negotiating the era
 * itself ('auto', so protocol 2026-07-28 against this server). scripts/test runs the MCP test
 * files once with each (MCP_TEST_CLIENT).
 */
export type ClientKind = 'v1' | 'v2';
export const CLIENT_KIND: ClientKind = process.env.MCP_TEST_CLIENT === 'v2' ? 'v2' : 'v1';
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
  /** The MCP client kind (default: MCP_TEST_CLIENT, else v1). */
  client?: ClientKind;
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
  /** The client kind this stack's client() makes. */
  clientKind: ClientKind;
  /**
   * An SDK Client (of clientKind) connected over Streamable HTTP with this bearer token (default:
   * the API key). Typed as the v1 Client: the calls tests make (callTool, listTools, readResource...)
   * are the same on both; kind-specific parts go through the helpers below.
   */
  client(token?: string, capabilities?: ConstructorParameters<typeof Client>[1]): Promise<Client>;
  /** Calls back on notifications/resources/list_changed (a subscriptions/listen stream on 2026-07-28). */
  onResourceListChanged(client: Client, listener: () => void): Promise<void>;
  /** Answers the server's elicitation requests (2025 sessions) or input_required rounds (2026-07-28). */
  onElicit(client: Client, answer: (message: string) => Promise<{ action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean | string[]> }>): void;
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

  const clientKind = opts.client ?? CLIENT_KIND;
  const clients: { close(): Promise<void> }[] = [];
  let shared: Client | undefined;
  const client: Stack['client'] = async (token = API_KEY, capabilities) => {
    const requestInit = { headers: { Authorization: `Bearer ${token}` } };
    if (clientKind === 'v2') {
      const c = new ClientV2({ name: 'stack-test', version: '1.0.0' }, { ...(capabilities as object), versionNegotiation: { mode: 'auto' } });
      await c.connect(new HttpTransportV2(new URL(mcpUrl), { requestInit }));
      if (c.getProtocolEra() !== 'modern') throw new Error(`the v2 client negotiated ${c.getProtocolEra()}, not the 2026-07-28 era`);
      clients.push(c);
      return c as unknown as Client;
    }
    const c = new Client({ name: 'stack-test', version: '1.0.0' }, capabilities);
    await c.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit }));
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
    clientKind,
    client,
    async onResourceListChanged(c, listener) {
      if (clientKind === 'v2') {
        const v2 = c as unknown as ClientV2;
        v2.setNotificationHandler('notifications/resources/list_changed', () => listener());
        const sub = await v2.listen({ resourcesListChanged: true });
        clients.push(sub);
        return;
      }
      c.setNotificationHandler(ResourceListChangedNotificationSchema, () => listener());
    },
    onElicit(c, answer) {
      if (clientKind === 'v2') {
        (c as unknown as ClientV2).setRequestHandler('elicitation/create', async (req) => answer((req.params as { message: string }).message));
        return;
      }
      c.setRequestHandler(ElicitRequestSchema, async (req) => answer(req.params.message));
    },
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
