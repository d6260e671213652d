// DNS-rebinding protection for the MCP endpoints: a browser page on another origin must not
// reach the server through a name that resolves to it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const hostnameOf = (hostHeader: string): string => hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();

export function createOriginCheck(allowedHosts: string[], allowedOrigins: string[]) {
  const hosts = new Set(allowedHosts.map((h) => hostnameOf(h)));
  const origins = new Set(allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));
  return async function originCheck(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const host = req.headers.host ?? '';
    if (hosts.size > 0 && !hosts.has(hostnameOf(host))) {
      const err = new AppError('forbidden', `Host ${hostnameOf(host)} is not allowed.`, 'Add it to the add-on option allowed_hosts, or call the server by an allowed name.');
      await reply.code(403).send(err.toBody());
      return;
    }
    const origin = req.headers.origin;
    if (origin === undefined || origins.has(origin.toLowerCase())) return;
    let originHost: string;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      originHost = '';
    }
    // Same-origin requests (a page served by the host it calls) are fine; anything else needs listing.
    const forwardedHost = req.headers['x-forwarded-host'];
    const candidates = [host, typeof forwardedHost === 'string' ? forwardedHost : ''].map((h) => h.toLowerCase());
    if (originHost && candidates.includes(originHost)) return;
    const err = new AppError('forbidden', `Origin ${origin} is not allowed.`, 'Add it to the add-on option allowed_origins if this web client should reach the server.');
    await reply.code(403).send(err.toBody());
  };
}
