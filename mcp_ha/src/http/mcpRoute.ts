// The MCP routes: Streamable HTTP at the secret path (POST, GET, DELETE; every protocol revision),
// the legacy HTTP+SSE transport (GET /sse, POST /messages?sessionId=…) and plain JSON-RPC
// (POST /messages). This file only parses and checks; src/mcp serves.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { McpHttp } from '../mcp/http.js';
import { parseRpcBody, rpcError } from './jsonRpc.js';

/** The largest answer /messages sends; past it the client is told to ask for less. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export interface McpRouteOptions {
  path: string;
  ssePath: string;
  messagesPath: string;
  /** The public URL's path (behind a proxy), '' when none: SSE clients are told to post under it. */
  prefix: string;
}

export function registerMcpRoutes(app: FastifyInstance, mcp: McpHttp, opts: McpRouteOptions): void {
  const { path } = opts;

  app.post(path, async (req, reply) => {
    const parsed = parseRpcBody(req.body);
    if (!parsed.ok) return reply.code(parsed.status).send(parsed.error);
    reply.hijack();
    await mcp.streamable(req.raw, reply.raw, parsed.raw, req.caller);
    return reply;
  });

  const bodiless = async (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    await mcp.streamable(req.raw, reply.raw, undefined, req.caller);
    return reply;
  };
  app.get(path, bodiless);
  app.delete(path, bodiless);

  // No HEAD route: a HEAD would open a stream that never ends.
  app.get(opts.ssePath, { exposeHeadRoute: false }, async (req, reply) => {
    reply.hijack();
    await mcp.openSse(reply.raw, req.caller, `${opts.prefix}${opts.messagesPath}`);
    return reply;
  });

  const messages = async (req: FastifyRequest, reply: FastifyReply) => {
    const parsed = parseRpcBody(req.body);
    if (!parsed.ok) return reply.code(parsed.status).send(parsed.error);
    const sessionId = (req.query as { sessionId?: unknown }).sessionId;
    if (typeof sessionId === 'string' && sessionId) {
      if (parsed.batch) return reply.code(400).send(rpcError(null, -32600, 'An HTTP+SSE session takes one message per POST.'));
      reply.hijack();
      const known = await mcp.postSse(sessionId, req.raw, reply.raw, parsed.raw, req.caller);
      if (!known) {
        reply.raw
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify(rpcError(null, -32001, `Session not found: it expired or was closed. Open a new one with GET ${opts.ssePath}.`)));
      }
      return reply;
    }
    const responses = await mcp.answer(parsed.messages as never, req.caller);
    if (responses.length === 0) return reply.code(202).send();
    const text = JSON.stringify(parsed.batch ? responses : responses[0]);
    if (Buffer.byteLength(text) > MAX_ANSWER_BYTES) {
      return reply
        .code(413)
        .send(rpcError(null, -32600, `The answer would be ${Buffer.byteLength(text)} bytes, more than ${MAX_ANSWER_BYTES}. Send fewer messages per batch, or page (offset/limit, cursor).`));
    }
    return reply.type('application/json').send(text);
  };
  app.post(opts.messagesPath, messages);
  if (opts.prefix && `${opts.prefix}${opts.messagesPath}` !== path) app.post(`${opts.prefix}${opts.messagesPath}`, messages);
}
