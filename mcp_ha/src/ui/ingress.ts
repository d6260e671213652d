// The ingress listener: Home Assistant's sidebar shows the add-on's page through the Supervisor's
// ingress proxy, which has already checked the Home Assistant login. So this listener answers only
// that proxy's address (172.30.32.2; MCP_INGRESS_SOURCES for tests) and takes the user from the
// headers the proxy sets. The page sits at '/', and reaches everything by relative URLs, so it
// works under whatever /api/hassio_ingress/<token>/ prefix Home Assistant gives it.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { registerUiRoutes } from './routes.js';
import type { UiService } from './service.js';
import { ingressViewer, type Viewer } from './viewer.js';

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | undefined;
  }
}

/** IPv4 peers may show as ::ffff:a.b.c.d on a dual-stack socket. */
const plain = (addr: string | undefined): string => (addr ?? '').replace(/^::ffff:/, '');

export function buildIngressApp(ui: UiService, sources: readonly string[]): FastifyInstance {
  const allowed = new Set(sources.map(plain));
  const app = Fastify({
    loggerInstance: ui.deps.logger.child({ component: 'ingress' }) as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    forceCloseConnections: true,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.decorateRequest('viewer', undefined);
  app.addHook('onRequest', async (req, reply) => {
    const peer = plain(req.socket.remoteAddress);
    if (!allowed.has(peer)) {
      req.log.warn({ peer }, 'ingress request from outside the Supervisor refused');
      const e = new AppError('forbidden', 'This port answers only Home Assistant\'s ingress proxy.', 'Open the page from Home Assistant\'s sidebar; MCP clients use port 8099.');
      return reply.code(403).send(e.toBody());
    }
    if (req.url.split('?')[0]?.startsWith('/api/')) req.viewer = await ingressViewer(req.headers, ui.admins);
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug({ method: req.method, url: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(new AppError('not_found', `No route ${req.method} ${req.url.split('?')[0]?.slice(0, 200)}.`, 'Open the page at its root.').toBody()));
  registerUiRoutes(app, ui, { base: '', viewerOf: (req) => req.viewer });
  return app;
}
