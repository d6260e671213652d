// POST /messages: plain JSON-RPC for curl and simple clients. No handshake, no session,
// no Accept header needed; one JSON answer per request (an array for a batch).
import type { FastifyInstance } from 'fastify';
import { createMcpServer } from '../mcp/server.js';
import { answerOnce } from '../mcp/oneShot.js';
import type { AppDeps } from '../tools/tool.js';
import { parseRpcBody } from './jsonRpc.js';

export function registerMessages(app: FastifyInstance, deps: AppDeps, path: string): void {
  app.post(path, async (req, reply) => {
    const parsed = parseRpcBody(req.body);
    if (!parsed.ok) return reply.code(parsed.status).send(parsed.error);
    const server = createMcpServer(deps, { caller: req.caller, sessionId: () => undefined });
    const responses = await answerOnce(server, parsed.messages);
    if (responses.length === 0) return reply.code(202).send();
    return reply.send(parsed.batch ? responses : responses[0]);
  });
}
