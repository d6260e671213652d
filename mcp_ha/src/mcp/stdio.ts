// MCP over stdio for local clients (Claude Desktop and the like): stdin and stdout carry nothing
// but protocol; the SDK's serveStdio pins each connection to the era its opening exchange
// chooses (2026-07-28 discover, or a 2025 initialize). The local user is the caller.
import { serveStdio, StdioServerTransport, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../tools/tool.js';
import { GuardedTransport } from './guard.js';
import { sessionServer } from './sessionServer.js';
import { resourceFeed } from './subscriptions.js';

/** The caller of a stdio connection: whoever started the process (recorded as api_key:stdio). */
export const STDIO_CALLER: Caller = { kind: 'api_key', name: 'stdio' };

export function serveMcpStdio(deps: AppDeps, opts: { onClose?: () => void } = {}): StdioServerHandle {
  const transport = new GuardedTransport(new StdioServerTransport());
  const handle = serveStdio(
    ({ era }) => {
      const server = sessionServer(deps, resourceFeed(deps.ha.cache), { caller: STDIO_CALLER, era, sessionId: () => undefined });
      if (era === 'modern') {
        // 2026-07-28 has no resources/subscribe: every change is offered, and serveStdio delivers
        // it to the subscriptions/listen streams whose resourceSubscriptions name it.
        const stop = resourceFeed(deps.ha.cache).listen((uri) => {
          server.sendResourceUpdated({ uri }).catch(() => undefined);
        });
        const closed = server.onclose;
        server.onclose = () => {
          stop();
          closed?.();
        };
      }
      return server;
    },
    { transport, onerror: (err) => deps.logger.debug({ err: err.message }, 'stdio transport error') },
  );
  // The client closing stdin ends the process, as local MCP servers are expected to.
  process.stdin.once('end', () => opts.onClose?.());
  return handle;
}
