// buildApp: the Fastify instance with every route, not yet listening (tests and main share it).
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { AppError, toAppError } from '../errors.js';
import { createMcpHttp, type McpHttp } from '../mcp/http.js';
import type { AppDeps } from '../tools/tool.js';
import { createAuthenticator } from '../auth/authenticator.js';
import { sendAuthError } from './authError.js';
import type { Caller } from '../auth/caller.js';
import { badRequestOptions } from './badUrl.js';
import { registerHealth } from './health.js';
import { registerMcpRoutes } from './mcpRoute.js';
import { createOriginCheck } from './originCheck.js';
import { registerUiRoutes } from '../ui/routes.js';
import { createUiService, type UiService } from '../ui/service.js';
import { bearerViewer } from '../ui/viewer.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

const BODY_LIMIT = 1024 * 1024;
const OPEN_PATHS = new Set(['/health']);
/** The page's own files hold nothing secret: a browser loads them without a token, after the Host/Origin check. */
const UI_FILES = new Set(['/ui', '/ui/', '/ui/app.js', '/ui/app.css']);

export interface BuiltApp {
  app: FastifyInstance;
  mcp: McpHttp;
  /** The add-on's page (served here at /ui, and by the ingress listener). */
  ui: UiService;
}

export interface BuildOptions {
  /** How long a Home Assistant token's verdict is cached (at most 60 s; tests shorten it). */
  authCacheMs?: number;
}

export function buildApp(deps: AppDeps, opts: BuildOptions = {}): BuiltApp {
  const { config } = deps;
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
    // One line per request is logged in onResponse instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    ...badRequestOptions, // malformed URLs and requests in the project's error shape
  });
  const mcp = createMcpHttp(deps);
  const auth = createAuthenticator(config.apiKeys, deps.ha, opts.authCacheMs);
  const originCheck = createOriginCheck(deps);
  const ui = createUiService(deps, mcp);

  // Bodies are parsed by our JSON-RPC parser, so that bad JSON gets -32700 rather than Fastify's error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.decorateRequest('caller', null as never);
  app.addHook('onRequest', async (req, reply) => {
    if (OPEN_PATHS.has(req.url.split('?')[0] as string)) return;
    // Host and Origin first (DNS rebinding): a foreign name gets 403 naming the option, never a token check.
    await originCheck(req, reply);
    if (reply.sent) return;
    const path = req.url.split('?')[0] as string;
    if (UI_FILES.has(path)) return;
    if (path === config.secretPath) ui.tally.note(req.headers['mcp-protocol-version']);
    try {
      req.caller = await auth.authenticate(req.headers.authorization);
    } catch (err) {
      return sendAuthError(reply, req, toAppError(err));
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ method: req.method, url: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(new AppError('invalid_input', 'Request body too large.', `Keep requests under ${BODY_LIMIT} bytes.`, { statusCode: 413 }).toBody());
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply.code(err.statusCode).send(new AppError('invalid_input', err.message, 'Check the request and try again.', { statusCode: err.statusCode }).toBody());
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(toAppError(err).toBody());
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(new AppError('not_found', `No route ${req.method} ${req.url.split('?')[0]}.`, `MCP is at ${config.secretPath}; plain JSON-RPC at POST /messages; health at GET /health.`).toBody()),
  );

  registerHealth(app, deps.ha, () => mcp.sessions.size);
  // Behind a proxy at a path (public_url https://host/mcp), an SSE client must be told to post to
  // that path: the stream names <prefix>/messages, and the server answers both forms.
  const prefix = config.publicUrl ? new URL(config.publicUrl).pathname.replace(/\/$/, '') : '';
  registerMcpRoutes(app, mcp, { path: config.secretPath, ssePath: '/sse', messagesPath: '/messages', prefix });
  registerUiRoutes(app, ui, { base: '/ui', viewerOf: (req) => bearerViewer(req.caller) });

  app.addHook('onClose', async () => {
    ui.close();
    await mcp.close();
  });
  return { app, mcp, ui };
}
