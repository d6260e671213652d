// The OAuth routes, in their own Fastify scope (form bodies, cookies and rate limits apply only
// here): metadata documents, /oauth/authorize -> Home Assistant -> /oauth/ha-callback -> consent,
// /oauth/token, /oauth/revoke, /oauth/register, /oauth/jwks. Endpoints a client calls from its
// own origin (metadata, token, revoke, register) answer CORS; they carry no cookies.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resourceMetadata, serverMetadata } from '../auth/oauth/metadata.js';
import { BROWSER_COOKIE, type JsonResult, type OAuthService, type PageResult } from '../auth/oauth/service.js';

/** Paths with no bearer token and no cookies: no Host/Origin check either (nothing ambient to protect). */
export function oauthPublicPaths(service: OAuthService): Set<string> {
  return new Set([...service.urls.resourceMetadataPaths, ...service.urls.serverMetadataPaths, '/oauth/token', '/oauth/revoke', '/oauth/register', '/oauth/jwks']);
}

/** Browser pages: Host and Origin are checked, no bearer token. */
export const OAUTH_BROWSER_PATHS = new Set(['/oauth/authorize', '/oauth/ha-callback', '/oauth/consent']);

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, MCP-Protocol-Version',
  'Access-Control-Max-Age': '600',
};

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

type Params = Record<string, string | undefined>;

/** Flat string parameters; undefined when one is repeated or not a string (OAuth: invalid_request). */
function flat(input: unknown): Params | undefined {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object') return undefined;
  const out: Params = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (typeof v !== 'string' || v.length > 4096) return undefined;
    out[k] = v;
  }
  return out;
}

/** RFC 6749 2.3.1: Basic with form-urlencoded id and secret. */
function basicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  try {
    return { id: decodeURIComponent(text.slice(0, i).replace(/\+/g, ' ')), secret: decodeURIComponent(text.slice(i + 1).replace(/\+/g, ' ')) };
  } catch {
    return undefined;
  }
}

const BAD_PARAMS: JsonResult = { status: 400, body: { error: 'invalid_request', error_description: 'parameters must be single strings of at most 4096 characters' } };

export async function registerOAuthRoutes(app: FastifyInstance, service: OAuthService): Promise<void> {
  const base = new URL(service.urls.issuer);
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: base.protocol === 'https:', path: `${base.pathname.replace(/\/$/, '')}/oauth`, maxAge: 600 };

  await app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 64 * 1024 });
    await scope.register(cookie);
    await scope.register(rateLimit, { global: false });

    const sendJson = (reply: FastifyReply, r: JsonResult): FastifyReply => {
      void reply.headers({ ...CORS, ...r.headers }).code(r.status);
      return r.body === undefined ? reply.send() : reply.type('application/json').send(r.body);
    };
    const sendPage = (reply: FastifyReply, r: PageResult): FastifyReply => {
      if (r.kind === 'redirect' && r.setCookie) void reply.setCookie(BROWSER_COOKIE, r.setCookie, cookieOptions);
      if (r.clearCookie) void reply.clearCookie(BROWSER_COOKIE, { path: cookieOptions.path });
      if (r.kind === 'redirect') return reply.code(302).headers({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).redirect(r.location);
      return reply.code(r.status).headers(PAGE_HEADERS).send(r.html);
    };
    const unavailable = { status: 503, body: { error: 'temporarily_unavailable', error_description: 'OAuth is off: the add-on log says why.' } };

    for (const path of service.urls.resourceMetadataPaths) {
      scope.get(path, async (_req, reply) => sendJson(reply, service.available ? { status: 200, body: resourceMetadata(service.urls) } : unavailable));
    }
    for (const path of service.urls.serverMetadataPaths) {
      const openid = path.startsWith('/.well-known/openid-configuration');
      scope.get(path, async (_req, reply) => sendJson(reply, service.available ? { status: 200, body: serverMetadata(service.urls, openid) } : unavailable));
    }
    scope.get('/oauth/jwks', async (_req, reply) => sendJson(reply, { status: 200, body: { keys: [] } }));
    // CORS preflight only where CORS is answered (never on /mcp).
    for (const path of oauthPublicPaths(service)) scope.options(path, async (_req, reply) => reply.code(204).headers(CORS).send());

    const pageLimit = { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } };
    const cookieOf = (req: FastifyRequest): string | undefined => req.cookies[BROWSER_COOKIE];

    scope.get('/oauth/authorize', pageLimit, async (req, reply) => {
      const q = flat(req.query);
      if (!q) return reply.code(400).headers(PAGE_HEADERS).send('Repeated or oversized parameters.');
      return sendPage(reply, await service.authorize(q, cookieOf(req)));
    });
    scope.get('/oauth/ha-callback', pageLimit, async (req, reply) => {
      const q = flat(req.query);
      if (!q) return reply.code(400).headers(PAGE_HEADERS).send('Repeated or oversized parameters.');
      return sendPage(reply, await service.callback(q, cookieOf(req)));
    });
    scope.post('/oauth/consent', pageLimit, async (req, reply) => {
      const form = flat(req.body);
      if (!form) return reply.code(400).headers(PAGE_HEADERS).send('Repeated or oversized parameters.');
      return sendPage(reply, await service.consent(form, cookieOf(req)));
    });

    scope.post('/oauth/token', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (req, reply) => {
      const form = flat(req.body);
      return sendJson(reply, form ? await service.token(form, basicAuth(req.headers.authorization)) : BAD_PARAMS);
    });
    scope.post('/oauth/revoke', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (req, reply) => {
      const form = flat(req.body);
      return sendJson(reply, form ? await service.revoke(form, basicAuth(req.headers.authorization)) : BAD_PARAMS);
    });
    // Registration writes to the store: a few per client address and hour are plenty.
    scope.post('/oauth/register', { config: { rateLimit: { max: 20, timeWindow: '1 hour' } } }, async (req, reply) => {
      let body: unknown;
      try {
        body = typeof req.body === 'string' ? JSON.parse(req.body) : req.body;
      } catch {
        return sendJson(reply, { status: 400, body: { error: 'invalid_client_metadata', error_description: 'the body is not JSON' } });
      }
      return sendJson(reply, await service.register(body));
    });
  });
}

/** The 401 of a protected route while OAuth is on: names our resource metadata (RFC 9728 5.1). */
export function oauthChallenge(service: OAuthService, tokenPresented: boolean, description: string): string {
  const parts = [`Bearer resource_metadata="${service.urls.resourceMetadataUrl}"`, 'scope="mcp"'];
  if (tokenPresented) parts.push('error="invalid_token"', `error_description="${description.replace(/["\\]/g, '').slice(0, 200)}"`);
  return parts.join(', ');
}
