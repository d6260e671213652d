// A server for one long-lived connection (a 2025 session, an SSE connection, stdio) together with
// its resources/subscribe set, which sends each subscribed URI's change to that server.
import type { Server } from '@modelcontextprotocol/server';
import type { AppDeps } from '../tools/tool.js';
import { createMcpServer, type SessionInfo } from './server.js';
import { MAX_SUBSCRIPTIONS, SessionSubscriptions, type ResourceFeed } from './subscriptions.js';

export function sessionServer(deps: AppDeps, feed: ResourceFeed, info: Omit<SessionInfo, 'subscriptions'>): Server {
  let server: Server | undefined = undefined;
  const subscriptions = new SessionSubscriptions(feed, MAX_SUBSCRIPTIONS, (uri) => {
    server?.sendResourceUpdated({ uri }).catch(() => undefined);
  });
  server = createMcpServer(deps, { ...info, subscriptions });
  return server;
}
