// MCP Streamable HTTP at the secret path: POST (requests), GET (server-to-client stream),
// DELETE (end session). Sessions are created by initialize; a POST without a session that is
// not an initialize is answered statelessly, so that simple clients work too.
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createMcpServer } from '../mcp/server.js';
import type { SessionStore } from '../mcp/sessions.js';
import type { AppDeps } from '../tools/tool.js';
import { isInitialize, parseRpcBody, rpcError } from './jsonRpc.js';

const SESSION_HEADER = 'mcp-session-id';

export function registerMcpRoute(app: FastifyInstance, deps: AppDeps, sessions: SessionStore, path: string, preHandler: (req: FastifyRequest, reply: FastifyReply) => Promise<void>): void {
  const sessionIdOf = (req: FastifyRequest): string | undefined => {
    const v = req.headers[SESSION_HEADER];
    return typeof v === 'string' && v ? v : undefined;
  };

  const unknownSession = (reply: FastifyReply) =>
    reply.code(404).send(rpcError(null, -32001, 'Session not found: it expired or was closed. Send initialize again without mcp-session-id.'));

  app.post(path, { preHandler }, async (req, reply) => {
    const parsed = parseRpcBody(req.body);
    if (!parsed.ok) return reply.code(parsed.status).send(parsed.error);
    const id = sessionIdOf(req);

    if (id !== undefined) {
      const session = sessions.get(id, req.caller);
      if (!session) return unknownSession(reply);
      reply.hijack();
      await session.transport.handleRequest(req.raw, reply.raw, parsed.raw);
      return reply;
    }

    if (isInitialize(parsed.messages)) {
      if (sessions.full) {
        return reply
          .code(503)
          .header('Retry-After', '30')
          .send(rpcError(null, -32000, 'Too many open MCP sessions. Close unused clients, or raise the add-on option max_sessions.'));
      }
      const caller = req.caller;
      let sessionId: string | undefined;
      const server = createMcpServer(deps, { caller, sessionId: () => sessionId });
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => {
          sessionId = sid;
          sessions.add({ id: sid, transport, server, caller, lastSeen: Date.now() });
        },
        onsessionclosed: (sid) => sessions.forget(sid),
      });
      transport.onclose = () => {
        if (sessionId) sessions.forget(sessionId);
      };
      await server.connect(transport);
      reply.hijack();
      await transport.handleRequest(req.raw, reply.raw, parsed.raw);
      return reply;
    }

    // Stateless: a fresh server answers this one request as JSON.
    const server = createMcpServer(deps, { caller: req.caller, sessionId: () => undefined });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    // Simple clients often send only "Accept: application/json"; the answer is JSON either way.
    req.raw.headers.accept = 'application/json, text/event-stream';
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await transport.handleRequest(req.raw, reply.raw, parsed.raw);
    return reply;
  });

  const streamOrDelete = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = sessionIdOf(req);
    if (id === undefined) {
      return reply
        .code(405)
        .header('Allow', 'POST')
        .send(rpcError(null, -32000, 'Method not allowed without mcp-session-id: initialize a session with POST first.'));
    }
    const session = sessions.get(id, req.caller);
    if (!session) return unknownSession(reply);
    reply.hijack();
    await session.transport.handleRequest(req.raw, reply.raw);
    return reply;
  };
  app.get(path, { preHandler }, streamOrDelete);
  app.delete(path, { preHandler }, streamOrDelete);
}
