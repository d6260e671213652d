// Raw JSON-RPC channels, below the MCP clients: one per way the server takes JSON-RPC
// (POST /messages, POST /mcp without a session, in a 2025 session, as 2026-07-28, the legacy SSE
// session endpoint, a stdio pipe). Each sends a body as it is and checks what comes back.
import { spawn, type ChildProcess } from 'node:child_process';
import { ENTRY, PKG_DIR, alive, sleep, track } from '../lib/procs.js';
import { isFailure, rawHttp } from '../lib/raw.js';
import { httpViolations, leaks, messageViolations, type OracleEnv, type Violation } from './oracle.js';

export interface RpcChannel {
  name: string;
  /** The adapter this channel belongs to, or "server". */
  transport: string;
  send(body: string, opts?: { maxBytes?: number; timeoutMs?: number }): Promise<{ violations: Violation[]; ms: number; status?: number; bytes?: number }>;
  close(): Promise<void>;
}

/** The server's documented request body limit (413 above it). */
const BODY_LIMIT = 1024 * 1024;

const JSON_HEADERS = (key: string): [string, string][] => [
  ['Authorization', `Bearer ${key}`],
  ['Content-Type', 'application/json'],
  ['Accept', 'application/json, text/event-stream'],
];

function httpChannel(name: string, transport: string, port: number, path: string, headers: [string, string][], env: OracleEnv): RpcChannel {
  return {
    name,
    transport,
    async send(body, opts = {}) {
      const res = await rawHttp(port, { method: 'POST', path, headers, body, timeoutMs: opts.timeoutMs ?? 15_000 });
      const violations = httpViolations(res, env, { request: body, context: name, maxBytes: opts.maxBytes, oversize: Buffer.byteLength(body) > BODY_LIMIT });
      return isFailure(res) ? { violations, ms: res.ms } : { violations, ms: res.ms, status: res.status, bytes: res.bytes };
    },
    close: async () => undefined,
  };
}

export const messagesChannel = (port: number, key: string, env: OracleEnv): RpcChannel => httpChannel('POST /messages', 'server', port, '/messages', JSON_HEADERS(key), env);

export const statelessChannel = (port: number, key: string, env: OracleEnv): RpcChannel => httpChannel('POST /mcp without session', 'server', port, '/mcp', JSON_HEADERS(key), env);

/** A 2025 session opened by hand (initialize + initialized), then hostile bodies in it. */
export async function sessionChannel(port: number, key: string, env: OracleEnv): Promise<RpcChannel> {
  const init = await rawHttp(port, {
    method: 'POST',
    path: '/mcp',
    headers: JSON_HEADERS(key),
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'stress-raw', version: '1' } } }),
  });
  if (isFailure(init) || !init.headers['mcp-session-id']) throw new Error(`raw initialize failed: ${JSON.stringify(init).slice(0, 200)}`);
  const sid = init.headers['mcp-session-id'];
  const headers: [string, string][] = [...JSON_HEADERS(key), ['mcp-session-id', sid], ['mcp-protocol-version', '2025-06-18']];
  await rawHttp(port, { method: 'POST', path: '/mcp', headers, body: '{"jsonrpc":"2.0","method":"notifications/initialized"}' });
  const ch = httpChannel('POST /mcp in a 2025 session', 'http-2025', port, '/mcp', headers, env);
  return { ...ch, close: async () => void (await rawHttp(port, { method: 'DELETE', path: '/mcp', headers })) };
}

export const modernChannel = (port: number, key: string, env: OracleEnv): RpcChannel =>
  httpChannel('POST /mcp as 2026-07-28', 'http-2026', port, '/mcp', [...JSON_HEADERS(key), ['mcp-protocol-version', '2026-07-28']], env);

/** Legacy HTTP+SSE: the stream carries the answers to what is POSTed to its endpoint. */
export async function sseChannel(url: string, port: number, key: string, env: OracleEnv): Promise<RpcChannel> {
  const ac = new AbortController();
  const res = await fetch(`${url}/sse`, { headers: { Authorization: `Bearer ${key}`, Accept: 'text/event-stream' }, signal: ac.signal });
  if (!res.ok || !res.body) throw new Error(`GET /sse answered ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const events: { event: string; data: string }[] = [];
  let waiters: (() => void)[] = [];
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const raw = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: ?(.*)$/m.exec(raw)?.[1] ?? 'message';
          const data = raw.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          events.push({ event, data });
          for (const w of waiters) w();
          waiters = [];
        }
      }
    } catch {
      // aborted
    }
  })();
  const next = async (ms: number) => {
    if (!events.length) await Promise.race([new Promise<void>((r) => waiters.push(r)), sleep(ms)]);
    return events.shift();
  };
  const first = await next(5000);
  if (first?.event !== 'endpoint') throw new Error(`no endpoint event on /sse (got ${JSON.stringify(first)})`);
  const endpoint = new URL(first.data, url);
  const path = `${endpoint.pathname}${endpoint.search}`;
  const headers: [string, string][] = [['Authorization', `Bearer ${key}`], ['Content-Type', 'application/json']];
  await rawHttp(port, { method: 'POST', path, headers, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'stress-raw', version: '1' } } }) });
  await next(5000);
  await rawHttp(port, { method: 'POST', path, headers, body: '{"jsonrpc":"2.0","method":"notifications/initialized"}' });
  return {
    name: 'POST /messages?sessionId= (SSE)',
    transport: 'sse',
    async send(body, opts = {}) {
      events.length = 0;
      const r = await rawHttp(port, { method: 'POST', path, headers, body, timeoutMs: opts.timeoutMs ?? 15_000 });
      const violations = httpViolations(r, env, { request: body, context: 'SSE POST', maxBytes: opts.maxBytes, oversize: Buffer.byteLength(body) > BODY_LIMIT });
      // Answers arrive on the stream: give them a moment.
      const messages: unknown[] = [];
      for (let e = await next(300); e; e = await next(100)) {
        try {
          messages.push(JSON.parse(e.data));
        } catch {
          messages.push({ unparsable: e.data.slice(0, 100) });
        }
        for (const l of leaks(e.data, env, body)) violations.push({ rule: 'leak', detail: `SSE stream: ${l}` });
      }
      violations.push(...messageViolations(messages, 'SSE stream'));
      return isFailure(r) ? { violations, ms: r.ms } : { violations, ms: r.ms, status: r.status, bytes: r.bytes };
    },
    close: async () => ac.abort(),
  };
}

/** A stdio server of our own (not through the SDK), fed one line per body. */
export async function stdioChannel(childEnv: NodeJS.ProcessEnv, env: OracleEnv): Promise<RpcChannel> {
  const child: ChildProcess = track(spawn(process.execPath, [ENTRY, '--stdio'], { cwd: PKG_DIR, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] }));
  child.stderr?.on('data', () => undefined);
  let buf = '';
  const lines: string[] = [];
  let waiters: (() => void)[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
      for (const w of waiters) w();
      waiters = [];
    }
  });
  const write = (s: string) => new Promise<void>((r) => child.stdin?.write(`${s}\n`, () => r()));
  /** Lines until one answers `id`, or the time is up. */
  const until = async (id: string, ms: number): Promise<{ lines: string[]; answered: boolean }> => {
    const got: string[] = [];
    const deadline = performance.now() + ms;
    for (;;) {
      while (lines.length) {
        const l = lines.shift() as string;
        got.push(l);
        if (l.includes(`"id":"${id}"`)) return { lines: got, answered: true };
      }
      const left = deadline - performance.now();
      if (left <= 0 || child.exitCode !== null) return { lines: got, answered: false };
      await Promise.race([new Promise<void>((r) => waiters.push(r)), sleep(left)]);
    }
  };
  await write(JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'stress-raw', version: '1' } } }));
  if (!(await until('init', 15_000)).answered) {
    child.kill('SIGKILL');
    throw new Error('the stdio server did not answer initialize');
  }
  await write('{"jsonrpc":"2.0","method":"notifications/initialized"}');
  let n = 0;
  return {
    name: 'stdio line',
    transport: 'stdio-2025',
    async send(body, opts = {}) {
      const t0 = performance.now();
      // Newlines would split the body into several messages: that is a case of its own.
      await write(body.replace(/\n/g, ' '));
      const pingId = `ping-${n++}`;
      await write(JSON.stringify({ jsonrpc: '2.0', id: pingId, method: 'ping' }));
      const { lines: got, answered } = await until(pingId, opts.timeoutMs ?? 15_000);
      const violations: Violation[] = [];
      if (!alive(child.pid)) violations.push({ rule: 'crash', detail: `stdio server exited (${child.exitCode})` });
      else if (!answered) violations.push({ rule: 'stall', detail: 'no answer to the ping that followed' });
      const messages: unknown[] = [];
      for (const l of got) {
        try {
          messages.push(JSON.parse(l));
        } catch {
          violations.push({ rule: 'shape', detail: `stdout line is not JSON: ${l.slice(0, 100)}` });
        }
        for (const x of leaks(l, env, body)) violations.push({ rule: 'leak', detail: `stdio: ${x}` });
      }
      violations.push(...messageViolations(messages, 'stdio'));
      return { violations, ms: performance.now() - t0 };
    },
    close: async () => {
      child.stdin?.end();
      await sleep(200);
      if (alive(child.pid)) child.kill('SIGKILL');
    },
  };
}
