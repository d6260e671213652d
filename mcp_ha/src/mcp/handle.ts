// Request handlers whose params are parsed by our own zod schema, so that bad params answer
// -32602 (Invalid params) with a message a model can read, not a raw issue list.
import { ProtocolError, ProtocolErrorCode, type RequestMethod, type Server, type ServerContext } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { describeIssue } from './precheck.js';

export function handle<S extends z.ZodType<{ params?: unknown }>>(
  server: Server,
  method: RequestMethod,
  schema: S,
  handler: (request: z.infer<S>, ctx: ServerContext) => Promise<Record<string, unknown>>,
): void {
  server.setRequestHandler(method, (async (request: unknown, ctx: ServerContext) => {
    const parsed = schema.safeParse(request);
    if (!parsed.success) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid params for ${method}: ${describeIssue(parsed.error.issues)}`);
    return handler(parsed.data, ctx);
  }) as never);
}
