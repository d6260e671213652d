// The MCP HTTP entry: one /mcp URL for every protocol revision. 2026-07-28 requests (a per-request
// _meta envelope) go to the SDK's per-request handler; 2025-era traffic (initialize, sessions, the
// GET stream, DELETE) to our sessionful Streamable HTTP wiring; a 2025 POST without a session that
// is not initialize is answered statelessly as JSON. Also the legacy HTTP+SSE transport (GET /sse,
// POST /messages?sessionId=) and plain JSON-RPC (POST /messages). Auth, Host and Origin checks run
// before any of this, in src/http.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  InMemoryServerEventBus,
  WebStandardStreamableHTTPServerTransport,
  classifyInboundRequest,
  createMcpHandler,
  type AuthInfo,
  type JSONRPCMessage,
  type McpHandlerRequestOptions,
} from '@modelcontextprotocol/server';
import { SSEServerTransport } from '@modelcontextprotocol/server-legacy/sse';
import { callerLabel, type Caller } from '../auth/caller.js';
import { homeLive } from '../home/live.js';
import type { AppDeps } from '../tools/tool.js';
import { GuardedTransport } from './guard.js';
import { answerOnce } from './oneShot.js';
import { precheck, unparsable } from './precheck.js';
import { createMcpServer } from './server.js';
import { SessionStore, type Session } from './sessions.js';
import { sendResponse, toRequest } from './webBridge.js';
import { sessionServer } from './sessionServer.js';
import { MAX_SUBSCRIPTIONS, resourceFeed } from './subscriptions.js';

const SESSION_HEADER = 'mcp-session-id';
/** Open subscriptions/listen streams, all callers together. */
const MAX_LISTEN_STREAMS = 256;
const BODY_LIMIT = 1024 * 1024;
const REMOVED_IN_2026 = new Set(['initialize', 'resources/subscribe', 'resources/unsubscribe', 'logging/setLevel']);

export interface McpHttp {
  /** /mcp: POST, GET and DELETE, every revision. */
  streamable(req: IncomingMessage, res: ServerResponse, body: unknown, caller: Caller): Promise<void>;
  /** GET /sse: opens a legacy HTTP+SSE session whose messages go to `postPath?sessionId=…`. */
  openSse(res: ServerResponse, caller: Caller, postPath: string): Promise<void>;
  /** POST /messages?sessionId=…: a message for a legacy SSE session. Returns false when the session is unknown. */
  postSse(sessionId: string, req: IncomingMessage, res: ServerResponse, body: unknown, caller: Caller): Promise<boolean>;
  /** POST /messages without sessionId: plain JSON-RPC, answered at once. */
  answer(messages: JSONRPCMessage[], caller: Caller): Promise<JSONRPCMessage[]>;
  readonly sessions: SessionStore;
  close(): Promise<void>;
}

const authInfoOf = (caller: Caller): AuthInfo => ({ token: '', clientId: callerLabel(caller), scopes: [], extra: { caller } });
const callerOf = (opts: McpHandlerRequestOptions | undefined): Caller => (opts?.authInfo?.extra as { caller: Caller }).caller;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const rpcError = (status: number, code: number, message: string, headers?: Record<string, string>): Response =>
  json(status, { jsonrpc: '2.0', id: null, error: { code, message } }, headers);

function header(request: Request, name: string): string | undefined {
  return request.headers.get(name) ?? undefined;
}

function isInitialize(body: unknown): boolean {
  const items = Array.isArray(body) ? body : [body];
  return items.some((m) => m && typeof m === 'object' && (m as { method?: unknown }).method === 'initialize');
}

/** A subscriptions/listen asking for more resource subscriptions than one stream may hold. */
function tooManySubscriptions(body: unknown): Response | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const m = body as { id?: unknown; method?: unknown; params?: { notifications?: { resourceSubscriptions?: unknown } } };
  if (m.method !== 'subscriptions/listen') return undefined;
  const subs = m.params?.notifications?.resourceSubscriptions;
  if (!Array.isArray(subs) || subs.length <= MAX_SUBSCRIPTIONS) return undefined;
  return json(200, {
    jsonrpc: '2.0',
    id: typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null,
    error: { code: -32602, message: `Too many resourceSubscriptions (${subs.length}); one stream may hold ${MAX_SUBSCRIPTIONS}. Subscribe to hass://overview for changes anywhere, or open fewer.` },
  });
}

export function createMcpHttp(deps: AppDeps): McpHttp {
  const { config, logger } = deps;
  const log = logger.child({ component: 'mcp' });
  const sessions = new SessionStore(config.mcp.maxSessions, config.mcp.sessionIdleMs, log);
  const feed = resourceFeed(deps.ha.cache);
  const onerror = (err: Error): void => log.debug({ err: err.message }, 'mcp transport error');

  // 2026-07-28: a fresh server per request; change events reach subscriptions/listen streams through the bus.
  const bus = new InMemoryServerEventBus(onerror);
  const modern = createMcpHandler(({ authInfo }) => createMcpServer(deps, { caller: (authInfo?.extra as { caller: Caller }).caller, era: 'modern', sessionId: () => undefined }), {
    legacy: 'reject',
    onerror,
    bus,
    maxSubscriptions: MAX_LISTEN_STREAMS,
    maxRequestBodySize: BODY_LIMIT,
  });
  const stopFeed = feed.listen((uri) => {
    if (bus.listenerCount > 0) modern.notify.resourceUpdated(uri);
  });
  const stopList = homeLive(deps.ha.cache).onEntityListChanged(() => {
    if (bus.listenerCount > 0) modern.notify.resourcesChanged();
  });

  /** A 2025 session's server, with its own subscription set. */

  const full = (reason: 'caller_limit' | 'full'): Response =>
    rpcError(
      503,
      -32000,
      reason === 'caller_limit'
        ? 'This credential already holds its share of MCP sessions and all of them are busy. Close unused clients (DELETE the session) and retry.'
        : 'Too many busy MCP sessions. Retry shortly, close unused clients, or raise the add-on option max_sessions.',
      { 'retry-after': '5' },
    );

  async function initialize(request: Request, opts: McpHandlerRequestOptions, caller: Caller): Promise<Response> {
    const admission = await sessions.admit(caller);
    if (!admission.ok) return full(admission.reason);
    let sessionId: string | undefined;
    const server = sessionServer(deps, feed, { caller, era: 'legacy', sessionId: () => sessionId });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        sessionId = sid;
        sessions.add({ id: sid, kind: 'streamable', transport, server, caller, lastSeen: Date.now(), busy: 0 });
      },
      onsessionclosed: (sid) => sessions.forget(sid),
    });
    transport.onclose = () => {
      if (sessionId) sessions.forget(sessionId);
    };
    await server.connect(transport);
    const response = await transport.handleRequest(request, opts);
    // A handshake that failed leaves no session: release the server and its listeners now.
    if (sessionId === undefined) {
      await transport.close().catch(() => undefined);
      await server.close().catch(() => undefined);
    }
    return response;
  }

  async function stateless(request: Request, opts: McpHandlerRequestOptions, caller: Caller): Promise<Response> {
    const server = createMcpServer(deps, { caller, era: 'legacy', sessionId: () => undefined });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      // Simple clients often send only "Accept: application/json"; the answer is JSON either way.
      const headers = new Headers(request.headers);
      headers.set('accept', 'application/json, text/event-stream');
      return await transport.handleRequest(new Request(request.url, { method: 'POST', headers }), opts);
    } finally {
      await transport.close().catch(() => undefined);
      await server.close().catch(() => undefined);
    }
  }

  async function legacy(request: Request, opts: McpHandlerRequestOptions): Promise<Response> {
    const caller = callerOf(opts);
    const id = header(request, SESSION_HEADER);
    if (id !== undefined) {
      const session = sessions.get(id, caller);
      if (!session) return rpcError(404, -32001, 'Session not found: it expired or was closed. Send initialize again without mcp-session-id.');
      if (session.kind !== 'streamable') return rpcError(400, -32000, 'This session id belongs to an HTTP+SSE session: POST its messages to /messages?sessionId=….');
      return sessions.use(session, () => (session.transport as WebStandardStreamableHTTPServerTransport).handleRequest(request, opts));
    }
    if (request.method !== 'POST') {
      return rpcError(405, -32000, 'Method not allowed without mcp-session-id: initialize a session with POST first.', { allow: 'POST' });
    }
    if (isInitialize(opts.parsedBody)) return initialize(request, opts, caller);
    return stateless(request, opts, caller);
  }

  async function route(request: Request, opts: McpHandlerRequestOptions = {}): Promise<Response> {
    const body = opts.parsedBody;
    const classified = classifyInboundRequest({
      httpMethod: request.method,
      protocolVersionHeader: header(request, 'mcp-protocol-version'),
      mcpMethodHeader: header(request, 'mcp-method'),
      mcpNameHeader: header(request, 'mcp-name'),
      body,
    });
    // Methods 2026-07-28 removed (initialize, resources/subscribe...) are the modern path's to refuse (404, -32601).
    const bad = Array.isArray(body) || (classified.kind !== 'legacy' && REMOVED_IN_2026.has((body as { method?: string } | undefined)?.method ?? '')) ? undefined : precheck(body);
    if (bad) return json(200, bad);
    if (classified.kind === 'legacy') return legacy(request, opts);
    return tooManySubscriptions(body) ?? modern.fetch(request, opts);
  }


  return {
    sessions,
    async streamable(req, res, body, caller) {
      try {
        await sendResponse(res, await route(toRequest(req, res), { parsedBody: body, authInfo: authInfoOf(caller) }));
      } catch (err) {
        onerror(err as Error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'Internal error.' } }));
        else res.end();
      }
    },

    async openSse(res, caller, postPath) {
      const admission = await sessions.admit(caller);
      if (!admission.ok) {
        const r = full(admission.reason);
        res.writeHead(r.status, Object.fromEntries(r.headers)).end(await r.text());
        return;
      }
      const sse = new SSEServerTransport(postPath, res);
      const transport = new GuardedTransport(sse);
      const server = sessionServer(deps, feed, { caller, era: 'legacy', sessionId: () => sse.sessionId });
      const session: Session = { id: sse.sessionId, kind: 'sse', transport, server, caller, lastSeen: Date.now(), busy: 0 };
      sessions.add(session);
      transport.onclose = () => sessions.forget(sse.sessionId);
      res.on('close', () => void sessions.close(sse.sessionId));
      await server.connect(transport);
    },

    async postSse(sessionId, req, res, body, caller) {
      const session = sessions.get(sessionId, caller);
      if (!session || session.kind !== 'sse') return false;
      const bad = unparsable(body);
      if (bad) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(bad));
        return true;
      }
      const sse = (session.transport as GuardedTransport).inner as SSEServerTransport;
      await sessions.use(session, () => sse.handlePostMessage(req, res, body));
      return true;
    },

    async answer(messages, caller) {
      return answerOnce(createMcpServer(deps, { caller, era: 'legacy', sessionId: () => undefined }), messages);
    },

    async close() {
      stopFeed();
      stopList();
      await sessions.closeAll();
      await modern.close().catch(() => undefined);
    },
  };
}
