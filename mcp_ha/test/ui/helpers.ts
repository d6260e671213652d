// The add-on page's test stack: the page built, the server and simulator (test/helpers/stack.ts),
// the ingress listener on its own port, and a stand-in for the Supervisor's ingress proxy that
// maps /api/hassio_ingress/<token>/... to that listener with the headers the real one adds
// (X-Ingress-Path, X-Remote-User-Id/-Name/-Display-Name). Each token is one logged-in user.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildPage } from '../../ui/build.js';
import type { Config } from '../../src/config/schema.js';
import { buildIngressApp } from '../../src/ui/ingress.js';
import type { UiService } from '../../src/ui/service.js';
import { startStack, type Stack, type StackOptions } from '../helpers/stack.js';
import { startOAuthStack, type OAuthStack, type OAuthStackOptions } from '../oauth/helpers.js';

/** Users of the recorded Home Assistant (config/auth/list in the simulator): an admin and a read-only one. */
export const ADMIN = { token: 'ingress-admin-token', id: '5c7071a96a444e988e0e0ae09f989d3e', name: 'mcp', display: 'MCP Test' };
export const NON_ADMIN = { token: 'ingress-user-token', id: 'ebe382f842b94529a9865b121e13f200', name: 'content', display: 'Home Assistant Content' };

interface Ingress {
  /** The ingress listener itself (accepts 127.0.0.1 here, as it would 172.30.32.2). */
  ingressUrl: string;
  /** The fake ingress proxy's origin. */
  proxyUrl: string;
  /** The page's address for a user: proxyUrl + /api/hassio_ingress/<token>/ */
  pageUrl(user: { token: string }): string;
  /** Paths the proxy was asked for (to check the page stays under its prefix). */
  proxied: string[];
}

export type UiStack = Stack & Ingress;
/** The same with OAuth on (base_url set): grants to list and revoke on the page. */
export type OAuthUiStack = OAuthStack & Ingress;

let built: Promise<void> | undefined;

export async function startUiStack(opts: StackOptions = {}): Promise<UiStack> {
  await (built ??= buildPage());
  const stack = await startStack({ ...opts, env: { MCP_INGRESS_SOURCES: '127.0.0.1', ...opts.env } });
  return withIngress(stack, stack.built.ui, stack.deps.config);
}

export async function startOAuthUiStack(opts: OAuthStackOptions = {}): Promise<OAuthUiStack> {
  await (built ??= buildPage());
  const stack = await startOAuthStack({ ...opts, env: { MCP_INGRESS_SOURCES: '127.0.0.1', ...opts.env } });
  return withIngress(stack, stack.built.ui, stack.deps.config);
}

async function withIngress<S extends { close(): Promise<void> }>(stack: S, ui: UiService, config: Config): Promise<S & Ingress> {
  const ingress = buildIngressApp(ui, config.ui.ingressSources);
  await ingress.listen({ host: '127.0.0.1', port: 0 });
  const ingressPort = (ingress.server.address() as AddressInfo).port;
  const users = new Map([ADMIN, NON_ADMIN].map((u) => [u.token, u]));
  const proxied: string[] = [];

  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    proxied.push(url.split('?')[0] as string);
    const m = /^\/api\/hassio_ingress\/([^/]+)(\/.*)?$/.exec(url);
    const user = m ? users.get(m[1] as string) : undefined;
    if (!m || !user) {
      res.writeHead(401).end('401: Unauthorized');
      return;
    }
    const headers: Record<string, string | string[] | undefined> = { ...req.headers };
    for (const k of Object.keys(headers)) if (k.startsWith('x-remote-user')) delete headers[k];
    Object.assign(headers, {
      host: `127.0.0.1:${ingressPort}`,
      'x-ingress-path': `/api/hassio_ingress/${m[1]}`,
      'x-remote-user-id': user.id,
      'x-remote-user-name': user.name,
      'x-remote-user-display-name': user.display,
    });
    const up = request({ host: '127.0.0.1', port: ingressPort, method: req.method, path: m[2] ?? '/', headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  return {
    ...stack,
    ingressUrl: `http://127.0.0.1:${ingressPort}`,
    proxyUrl,
    proxied,
    pageUrl: (u) => `${proxyUrl}/api/hassio_ingress/${u.token}/`,
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
      await ingress.close();
      await stack.close();
    },
  };
}
