// Request handlers whose bad params answer -32602 (Invalid params). The SDK parses a request
// with the handler's schema before calling it, and a failed parse would surface as -32603.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, McpError, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export function handle<S extends z.ZodObject<{ method: z.ZodLiteral<string> }>>(
  server: Server,
  schema: S,
  handler: (request: z.infer<S>, extra: Extra) => Promise<Record<string, unknown>>,
): void {
  const method = schema.shape.method.value;
  const loose = z.looseObject({ method: z.literal(method) });
  server.setRequestHandler(loose as never, async (request: unknown, extra: Extra) => {
    const parsed = schema.safeParse(request);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
      throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}${where}: ${issue?.message ?? 'invalid'}`);
    }
    return handler(parsed.data, extra) as never;
  });
}
