// Parsing a JSON-RPC body ourselves so that bad input gets the standard codes: -32700 for
// unparsable JSON, -32600 for something that is not a JSON-RPC message or a batch over the limit.
import { z } from 'zod';

/** Messages in one batch; past it the whole batch is refused (-32600) before any work. */
export const MAX_BATCH = 50;

/**
 * Nesting levels a body may have before it is parsed. JSON.parse of a body nested 100,000 deep
 * holds the one thread for 100-200 ms here; 10,000 levels cost a tenth of that. Real MCP
 * messages need a handful: the tools hold service_data to 32 levels with an error a model can
 * read, so this guard is only for the absurd, which gets no further than this scan.
 */
export const MAX_DEPTH = 10_000;

/** Whether JSON text nests deeper than max, in one pass over the text (strings skipped). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** JSON-RPC ids: a string or an integer (the SDK drops anything else without an answer). */
const Id = z.union([z.string().max(256), z.int()]);
const Message = z.union([
  z.looseObject({ jsonrpc: z.literal('2.0'), id: Id, method: z.string().max(256), params: z.record(z.string(), z.unknown()).optional() }),
  z.looseObject({ jsonrpc: z.literal('2.0'), method: z.string().max(256), params: z.record(z.string(), z.unknown()).optional() }).refine((m) => !('id' in m), 'a notification has no id'),
  z.looseObject({ jsonrpc: z.literal('2.0'), id: Id, result: z.record(z.string(), z.unknown()) }),
  z.looseObject({ jsonrpc: z.literal('2.0'), id: Id.nullable(), error: z.looseObject({ code: z.number().int(), message: z.string() }) }),
]);
export type RpcMessage = z.infer<typeof Message>;

export interface RpcError {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

export type ParsedBody =
  | { ok: true; messages: RpcMessage[]; batch: boolean; raw: unknown }
  | { ok: false; status: number; error: RpcError };

export function rpcError(id: string | number | null, code: number, message: string): RpcError {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

function idOf(value: unknown): string | number | null {
  if (value && typeof value === 'object' && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

export function parseRpcBody(body: unknown): ParsedBody {
  let value = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString();
    if (nestsDeeperThan(text, MAX_DEPTH)) {
      return { ok: false, status: 400, error: rpcError(null, -32600, `Invalid Request: the body nests deeper than ${MAX_DEPTH} levels. Flatten the arguments: service_data takes at most 32 levels.`) };
    }
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, status: 400, error: rpcError(null, -32700, 'Parse error: the body is not valid JSON.') };
    }
  }
  const batch = Array.isArray(value);
  const items = batch ? (value as unknown[]) : [value];
  if (items.length === 0) return { ok: false, status: 400, error: rpcError(null, -32600, 'Invalid Request: empty batch.') };
  if (items.length > MAX_BATCH) {
    return { ok: false, status: 400, error: rpcError(null, -32600, `Invalid Request: a batch holds at most ${MAX_BATCH} messages (this one has ${items.length}). Send smaller batches.`) };
  }
  const messages: RpcMessage[] = [];
  for (const item of items) {
    const id = item && typeof item === 'object' && 'id' in item ? (item as { id: unknown }).id : undefined;
    if (id !== undefined && id !== null && !(typeof id === 'string' || Number.isSafeInteger(id))) {
      return { ok: false, status: 400, error: rpcError(null, -32600, 'Invalid Request: "id" must be a string or an integer.') };
    }
    const parsed = Message.safeParse(item);
    if (!parsed.success) {
      return {
        ok: false,
        status: 400,
        error: rpcError(idOf(item), -32600, 'Invalid Request: expected {"jsonrpc":"2.0","id":1,"method":"...","params":{...}}.'),
      };
    }
    messages.push(parsed.data);
  }
  return { ok: true, messages, batch, raw: value };
}
