// buildApp: the Fastify instance with every route, not yet listening (tests and main share it).
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { AppError, toAppError } from '../errors.js';
import { createMcpHttp, type McpHttp } from '../mcp/http.js';
import type { AppDeps } from '../tools/tool.js';
import { createAuthenticator, HOW_TO_AUTH } from '../auth/authenticator.js';
import { sendAuthError } from './authError.js';
import type { Caller } from '../auth/caller.js';
import { badRequestOptions } from './badUrl.js';
import { registerHealth } from './health.js';
import { registerMcpRoutes } from './mcpRoute.js';
import { createOriginCheck } from './originCheck.js';
import { createOAuthService, type OAuthService } from '../auth/oauth/service.js';
import { loadCa } from '../ha/tls.js';
import { OAUTH_BROWSER_PATHS, oauthChallenge, oauthPublicPaths, registerOAuthRoutes } from './oauthRoutes.js';
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
  /** The OAuth authorization server when base_url is set (its `grants` are the web page's internal API). */
  oauth: OAuthService | undefined;
  /** The add-on's page (served here at /ui, and by the ingress listener). */
  ui: UiService;
}

export interface BuildOptions {
  /** How long a Home Assistant token's verdict is cached (at most 60 s; tests shorten it). */
  authCacheMs?: number;
  /** Tests: the OAuth server's clock and access token lifetime. */
  oauth?: { now?: () => number; accessTokenSeconds?: number };
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
  const oauth = config.oauth
    ? createOAuthService({
        config,
        oauth: config.oauth,
        logger: deps.logger.child({ component: 'oauth' }),
        haExternalUrl: () => deps.ha.cache.config?.external_url ?? undefined,
        ca: loadCa(config.ha.caFile, deps.logger),
        ...opts.oauth,
      })
    : undefined;
  const auth = createAuthenticator(config.apiKeys, deps.ha, opts.authCacheMs, oauth);
  // The OAuth base URL is the public address too (its host is known, its origin our own).
  const publicUrl = config.publicUrl ?? config.oauth?.baseUrl;
  const allowedHosts = config.oauth ? [...config.mcp.allowedHosts, new URL(config.oauth.baseUrl).host] : config.mcp.allowedHosts;
  const originCheck = createOriginCheck({ ...deps, config: { ...config, publicUrl, mcp: { ...config.mcp, allowedHosts } } });
  const oauthOpen = oauth ? oauthPublicPaths(oauth) : new Set<string>();
  const ui = createUiService(deps, mcp, oauth);

  // Bodies are parsed by our JSON-RPC parser, so that bad JSON gets -32700 rather than Fastify's error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.decorateRequest('caller', null as never);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] as string;
    if (OPEN_PATHS.has(path) || oauthOpen.has(path)) return;
    // Host and Origin first (DNS rebinding): a foreign name gets 403 naming the option, never a token check.
    await originCheck(req, reply);
    if (reply.sent) return;
    if (oauth && OAUTH_BROWSER_PATHS.has(path)) return;
    if (UI_FILES.has(path)) return;
    if (path === config.secretPath) ui.tally.note(req.headers['mcp-protocol-version']);
    try {
      req.caller = await auth.authenticate(req.headers.authorization);
    } catch (err) {
      const e = toAppError(err);
      // With OAuth on, every 401 tells the client where to sign in.
      if (oauth && e.code === 'unauthorized') {
        void reply.header('WWW-Authenticate', oauthChallenge(oauth, req.headers.authorization !== undefined, e.message));
        const hint = e.suggestion === HOW_TO_AUTH ? `Sign in with OAuth (the WWW-Authenticate header names ${oauth.urls.resourceMetadataUrl}), or: ${HOW_TO_AUTH}` : e.suggestion;
        return reply.code(401).send(new AppError('unauthorized', e.message, hint).toBody());
      }
      return sendAuthError(reply, req, e);
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
  const prefix = publicUrl ? new URL(publicUrl).pathname.replace(/\/$/, '') : '';
  registerMcpRoutes(app, mcp, { path: config.secretPath, ssePath: '/sse', messagesPath: '/messages', prefix });
  registerUiRoutes(app, ui, { base: '/ui', viewerOf: (req) => bearerViewer(req.caller) });

  if (oauth) {
    void app.register(async (scope) => registerOAuthRoutes(scope, oauth));
    app.addHook('onReady', async () => oauth.start());
  }

  app.addHook('onClose', async () => {
    ui.close();
    await mcp.close();
    await oauth?.close();
  });
  return { app, mcp, oauth, ui };
}
