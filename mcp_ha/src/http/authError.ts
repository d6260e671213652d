// The HTTP answer to a failed authentication.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../errors.js';

/** Sends an auth failure: 401 with WWW-Authenticate, or 503 when Home Assistant could not check the token. */
export function sendAuthError(reply: FastifyReply, _req: FastifyRequest, err: AppError): FastifyReply {
  if (err.code === 'unauthorized') {
    void reply.header('WWW-Authenticate', 'Bearer realm="mcp-ha", error="invalid_token"');
    return reply.code(401).send(err.toBody());
  }
  return reply.code(503).header('Retry-After', '5').send(err.toBody());
}
