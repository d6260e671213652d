// The client-adapter layer: one implementation per (protocol revision x transport), each giving
// the same small Session API, so that every part of the stress suite takes the transport as a
// parameter. An adapter the server does not support yet is found by probe() and reported as
// "not available" (with the reason) instead of failing the run.
import type { ChildProcess } from 'node:child_process';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport as SseV1 } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { Client as ClientV2, ProtocolError, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { ENTRY, PKG_DIR, alive, sleep } from './lib/procs.js';

export type AdapterId = 'http-2025' | 'http-2026' | 'stdio-2025' | 'stdio-2026' | 'sse';

export interface Target {
  url: string;
  mcpUrl: string;
  apiKey: string;
  /** Environment for a stdio server process; its own data folder unless one is given. */
  stdioEnv(dataDir?: string): Promise<NodeJS.ProcessEnv>;
}

export type CallOutcome =
  | { kind: 'ok'; ms: number; text: string; json: unknown; structured: unknown }
  | { kind: 'tool_error'; ms: number; text: string; json: unknown }
  | { kind: 'rpc_error'; ms: number; code: number; message: string }
  | { kind: 'failure'; ms: number; message: string; timeout?: boolean };

export interface ToolInfo {
  name: string;
  inputSchema: Record<string, unknown>;
}

export interface Session {
  adapter: AdapterId;
  /** The protocol revision the connection negotiated. */
  protocolVersion: string | undefined;
  /** The server process of a stdio session (for RSS and kill -9). */
  pid?: number | undefined;
  /** The inspector of a stdio server started with `inspect` (its ws:// URL on 127.0.0.1). */
  inspectUrl?(): string | undefined;
  call(name: string, args: unknown, timeoutMs?: number): Promise<CallOutcome>;
  listTools(): Promise<ToolInfo[]>;
  read(uri: string, timeoutMs?: number): Promise<CallOutcome>;
  /** Says goodbye: DELETE for an HTTP session, end of the pipe for stdio. */
  close(): Promise<void>;
  /** Goes away without a word: no DELETE (HTTP), the stream left open and unread (SSE), the pipe dropped (stdio). */
  abandon(): Promise<void>;
}

export interface Adapter {
  id: AdapterId;
  label: string;
  protocol: '2025' | '2026-07-28';
  transport: 'streamable-http' | 'stdio' | 'sse';
  /** Sessions share the HTTP server; a stdio session is its own server process. */
  shared: boolean;
  connect(target: Target, opts?: ConnectOptions): Promise<Session>;
}

export interface ConnectOptions {
  dataDir?: string;
  timeoutMs?: number;
  /** stdio: start the server with its inspector on a free 127.0.0.1 port (heap after GC). */
  inspect?: boolean;
}

const CLIENT_INFO = { name: 'mcp-ha-stress', version: '1.0.0' };
const DEFAULT_TIMEOUT_MS = 30_000;
const PIN_2026 = { versionNegotiation: { mode: { pin: '2026-07-28' } } } as const;

// pids of stdio servers the SDK spawned: killed when the runner exits.
const stdioPids = new Set<number>();
process.once('exit', () => {
  for (const pid of stdioPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

function errorOutcome(err: unknown, ms: number): CallOutcome {
  const e = err as { message?: string; code?: unknown };
  const message = String(e?.message ?? err);
  if (/timed? ?out|REQUEST_TIMEOUT/i.test(message) || e?.code === 'REQUEST_TIMEOUT') return { kind: 'failure', ms, message, timeout: true };
  // Only protocol errors carry a JSON-RPC code; an HTTP transport error's `code` is the HTTP status.
  if ((err instanceof McpError || err instanceof ProtocolError) && typeof e.code === 'number') {
    return { kind: 'rpc_error', ms, code: e.code, message: message.replace(/^MCP error -?\d+: /, '') };
  }
  return { kind: 'failure', ms, message };
}

function resultOutcome(r: { content?: unknown; isError?: unknown; structuredContent?: unknown }, ms: number): CallOutcome {
  const content = Array.isArray(r.content) ? (r.content as { type?: string; text?: string }[]) : [];
  const text = content.find((c) => c.type === 'text')?.text ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return r.isError ? { kind: 'tool_error', ms, text, json } : { kind: 'ok', ms, text, json, structured: r.structuredContent };
}

function readOutcome(r: { contents?: { text?: string }[] }, ms: number): CallOutcome {
  const text = r.contents?.[0]?.text ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { kind: 'ok', ms, text, json, structured: undefined };
}

/** The few client methods we use, as both SDK generations have them. */
interface Calls {
  callTool(params: { name: string; arguments: Record<string, unknown> }, timeoutMs: number): Promise<unknown>;
  listTools(): Promise<{ tools: ToolInfo[] }>;
  readResource(uri: string, timeoutMs: number): Promise<unknown>;
  close(): Promise<void>;
}

function v1Calls(c: ClientV1): Calls {
  return {
    callTool: (params, timeout) => c.callTool(params, undefined, { timeout }),
    listTools: () => c.listTools() as Promise<{ tools: ToolInfo[] }>,
    readResource: (uri, timeout) => c.readResource({ uri }, { timeout }),
    close: () => c.close(),
  };
}

function v2Calls(c: ClientV2): Calls {
  return {
    callTool: (params, timeout) => c.callTool(params, { timeout }),
    listTools: () => c.listTools() as unknown as Promise<{ tools: ToolInfo[] }>,
    readResource: (uri, timeout) => c.readResource({ uri }, { timeout, cacheMode: 'refresh' } as never),
    close: () => c.close(),
  };
}

function session(adapter: AdapterId, calls: Calls, extra: { protocolVersion: string | undefined; pid?: number | undefined; inspectUrl?: () => string | undefined; close(): Promise<void>; abandon(): Promise<void> }): Session {
  return {
    adapter,
    protocolVersion: extra.protocolVersion,
    pid: extra.pid,
    inspectUrl: extra.inspectUrl,
    async call(name, args, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const t0 = performance.now();
      try {
        const r = await calls.callTool({ name, arguments: args as Record<string, unknown> }, timeoutMs);
        return resultOutcome(r as never, performance.now() - t0);
      } catch (err) {
        return errorOutcome(err, performance.now() - t0);
      }
    },
    async listTools() {
      return (await calls.listTools()).tools;
    },
    async read(uri, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const t0 = performance.now();
      try {
        return readOutcome((await calls.readResource(uri, timeoutMs)) as never, performance.now() - t0);
      } catch (err) {
        return errorOutcome(err, performance.now() - t0);
      }
    },
    close: extra.close,
    abandon: extra.abandon,
  };
}

const bearer = (t: Target) => ({ Authorization: `Bearer ${t.apiKey}` });

const quietly = async (p: Promise<unknown> | undefined) => {
  try {
    await p;
  } catch {
    // closing something half-open
  }
};

/** The child process a stdio transport spawned (private in both SDKs). */
const childOf = (t: object): ChildProcess | undefined => (t as { _process?: ChildProcess })._process;

async function stdioSession(adapter: AdapterId, target: Target, opts: ConnectOptions, v2: boolean): Promise<Session> {
  const env = await target.stdioEnv(opts.dataDir);
  const args = [...(opts.inspect ? ['--inspect=127.0.0.1:0'] : []), ENTRY, '--stdio'];
  const params = { command: process.execPath, args, env: env as Record<string, string>, cwd: PKG_DIR, stderr: 'pipe' as const };
  const transport = v2 ? new StdioV2(params) : new StdioV1(params);
  // Drain stderr (the server's log) so that a chatty server never blocks on a full pipe; keep
  // its start for the inspector's address.
  let head = '';
  (transport.stderr as NodeJS.ReadableStream | null)?.on('data', (d: Buffer) => {
    if (head.length < 4096) head += d.toString();
  });
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = v2 ? new ClientV2(CLIENT_INFO, PIN_2026) : new ClientV1(CLIENT_INFO);
  const connecting = (client as ClientV1).connect(transport as StdioV1, { timeout });
  // The pid exists once start() spawned the child, even if the handshake then hangs.
  const watch = setInterval(() => transport.pid && stdioPids.add(transport.pid), 20);
  try {
    await connecting;
  } catch (err) {
    await quietly(transport.close());
    throw err;
  } finally {
    clearInterval(watch);
  }
  const pid = transport.pid ?? undefined;
  if (pid) stdioPids.add(pid);
  const calls = v2 ? v2Calls(client as ClientV2) : v1Calls(client as ClientV1);
  const protocolVersion = v2 ? (client as ClientV2).getNegotiatedProtocolVersion() : (transport as unknown as { protocolVersion?: string }).protocolVersion ?? '2025 (initialize)';
  const s = session(adapter, calls, {
    protocolVersion,
    pid,
    inspectUrl: () => /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(head)?.[0],
    close: async () => {
      await quietly(calls.close());
      if (pid) stdioPids.delete(pid);
    },
    abandon: async () => {
      // Like a client that crashed: the pipe closes; the server must notice and exit by itself.
      const child = childOf(transport);
      child?.stdin?.destroy();
      child?.stdout?.destroy();
    },
  });
  // A fresh stdio server loads the home first; an HTTP server is waited for through /health.
  const ready = performance.now() + 30_000;
  for (;;) {
    const r = await s.call('ha_get_state', { entity_id: 'sun.sun' }, 10_000);
    if (r.kind !== 'tool_error' || !r.text.includes('ha_unreachable') || performance.now() > ready) break;
    await sleep(100);
  }
  return s;
}

export const ADAPTERS: Adapter[] = [
  {
    id: 'http-2025',
    label: '2025 Streamable HTTP (v1 SDK client)',
    protocol: '2025',
    transport: 'streamable-http',
    shared: true,
    async connect(target, opts = {}) {
      const transport = new HttpV1(new URL(target.mcpUrl), { requestInit: { headers: bearer(target) } });
      const client = new ClientV1(CLIENT_INFO);
      await client.connect(transport, { timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      return session('http-2025', v1Calls(client), {
        protocolVersion: transport.protocolVersion,
        close: async () => {
          await quietly(transport.terminateSession());
          await quietly(client.close());
        },
        // Closing the transport drops the GET stream and sends no DELETE: the server keeps the session.
        abandon: () => quietly(transport.close()),
      });
    },
  },
  {
    id: 'http-2026',
    label: '2026-07-28 Streamable HTTP (v2 SDK client, pinned)',
    protocol: '2026-07-28',
    transport: 'streamable-http',
    shared: true,
    async connect(target, opts = {}) {
      const transport = new HttpV2(new URL(target.mcpUrl), { requestInit: { headers: bearer(target) } });
      const client = new ClientV2(CLIENT_INFO, PIN_2026);
      await client.connect(transport, { timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      return session('http-2026', v2Calls(client), {
        protocolVersion: client.getNegotiatedProtocolVersion(),
        close: async () => {
          if (transport.sessionId) await quietly(transport.terminateSession());
          await quietly(client.close());
        },
        abandon: () => quietly(transport.close()),
      });
    },
  },
  {
    id: 'stdio-2025',
    label: '2025 stdio (v1 SDK client, node dist/main.js --stdio)',
    protocol: '2025',
    transport: 'stdio',
    shared: false,
    connect: (target, opts = {}) => stdioSession('stdio-2025', target, opts, false),
  },
  {
    id: 'stdio-2026',
    label: '2026-07-28 stdio (v2 SDK client, pinned)',
    protocol: '2026-07-28',
    transport: 'stdio',
    shared: false,
    connect: (target, opts = {}) => stdioSession('stdio-2026', target, opts, true),
  },
  {
    id: 'sse',
    label: 'legacy HTTP+SSE (GET /sse + POST /messages?sessionId=, v1 SDK client)',
    protocol: '2025',
    transport: 'sse',
    shared: true,
    async connect(target, opts = {}) {
      const headers = bearer(target);
      const transport = new SseV1(new URL(`${target.url}/sse`), {
        requestInit: { headers },
        eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) },
      });
      const client = new ClientV1(CLIENT_INFO);
      await client.connect(transport, { timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      return session('sse', v1Calls(client), {
        protocolVersion: (transport as unknown as { _protocolVersion?: string })._protocolVersion ?? '2025 (initialize)',
        close: () => quietly(client.close()),
        // A stuck client: the stream stays open and nobody reads or writes; close() ends it later.
        abandon: async () => undefined,
      });
    },
  },
];

export const adapterById = (id: string): Adapter | undefined => ADAPTERS.find((a) => a.id === id);

export interface Availability {
  adapter: AdapterId;
  available: boolean;
  reason?: string;
  protocolVersion?: string;
  connect_ms?: number;
}

/** Connects, lists tools and reads one state; anything else means the server does not offer it (yet). */
export async function probe(adapter: Adapter, target: Target, timeoutMs = 15_000): Promise<Availability> {
  const t0 = performance.now();
  let s: Session | undefined;
  try {
    s = await Promise.race([
      adapter.connect(target, { timeoutMs }),
      sleep(timeoutMs + 2000).then(() => {
        throw new Error(`no handshake within ${timeoutMs} ms`);
      }),
    ]);
    const connectMs = Math.round(performance.now() - t0);
    const tools = await s.listTools();
    if (!tools.some((t) => t.name === 'ha_get_state')) throw new Error('tools/list has no ha_get_state');
    const r = await s.call('ha_get_state', { entity_id: 'sun.sun' }, timeoutMs);
    if (r.kind !== 'ok') throw new Error(`ha_get_state answered ${r.kind}: ${'message' in r ? r.message : r.text}`.slice(0, 300));
    if (adapter.protocol === '2026-07-28' && s.protocolVersion !== '2026-07-28') throw new Error(`negotiated ${s.protocolVersion}, not 2026-07-28`);
    return { adapter: adapter.id, available: true, protocolVersion: s.protocolVersion, connect_ms: connectMs };
  } catch (err) {
    return { adapter: adapter.id, available: false, reason: String((err as Error)?.message ?? err).split('\n')[0]?.slice(0, 300) };
  } finally {
    if (s) await quietly(s.close());
    // A stdio server that did not speak stdio may still be running: the exit hook kills it.
    if (s?.pid && alive(s.pid)) process.kill(s.pid, 'SIGKILL');
  }
}
