// Params of the requests the SDK parses itself (initialize, tools/call, resources/read...),
// checked before the SDK sees them: a bad one answers -32602 naming the field, where the SDK
// would answer -32603 (initialize) or a raw zod issue list.
import { parseJSONRPCMessage } from '@modelcontextprotocol/server';
import { z } from 'zod';

const str = (max: number) => z.string().max(max);
const meta = z.record(z.string(), z.unknown()).optional();

const Initialize = z.object({
  protocolVersion: str(64),
  capabilities: z.record(z.string(), z.unknown()),
  clientInfo: z.looseObject({ name: str(256), version: str(256) }),
  _meta: meta,
});

/** Param schemas by method; methods not listed are left to the SDK. A Map: a method named "constructor" is not a schema. */
const PARAMS = new Map<string, z.ZodType>(Object.entries({
  initialize: Initialize,
  'logging/setLevel': z.looseObject({ level: z.enum(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']) }),
  'tools/call': z.looseObject({ name: str(256), arguments: z.record(z.string(), z.unknown()).optional() }),
  'resources/read': z.looseObject({ uri: str(2048) }),
  'resources/subscribe': z.looseObject({ uri: str(2048) }),
  'resources/unsubscribe': z.looseObject({ uri: str(2048) }),
  'prompts/get': z.looseObject({ name: str(256), arguments: z.record(z.string(), z.string().max(10_000)).optional() }),
  'completion/complete': z.looseObject({
    ref: z.looseObject({ type: z.enum(['ref/prompt', 'ref/resource']) }),
    argument: z.looseObject({ name: str(256), value: z.string().max(10_000) }),
  }),
}));

export function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export interface RpcErrorResponse {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

/** An error response for a request whose params are wrong, or undefined when they are fine. */
export function precheck(message: unknown): RpcErrorResponse | undefined {
  if (!message || typeof message !== 'object') return undefined;
  const m = message as { id?: unknown; method?: unknown; params?: unknown };
  if (typeof m.method !== 'string' || (typeof m.id !== 'string' && typeof m.id !== 'number')) return undefined;
  const schema = PARAMS.get(m.method);
  if (!schema) return undefined;
  const parsed = schema.safeParse(m.params ?? {});
  if (parsed.success) return undefined;
  const hint = m.method === 'initialize' ? ' Expected {"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"...","version":"..."}}.' : '';
  return { jsonrpc: '2.0', id: m.id, error: { code: -32602, message: `Invalid params for ${m.method}: ${describeIssue(parsed.error.issues)}.${hint}` } };
}

/** -32600 for a message the SDK's own schema refuses (it would drop it unanswered), else undefined. */
export function unparsable(message: unknown): RpcErrorResponse | undefined {
  try {
    parseJSONRPCMessage(message);
    return undefined;
  } catch {
    const id = message && typeof message === 'object' ? (message as { id?: unknown }).id : undefined;
    return {
      jsonrpc: '2.0',
      id: typeof id === 'string' || typeof id === 'number' ? id : null,
      error: { code: -32600, message: 'Invalid Request: not a valid MCP message (check "params": an object, "_meta" an object when present).' },
    };
  }
}
