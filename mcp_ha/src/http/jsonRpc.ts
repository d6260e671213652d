// Parsing a JSON-RPC body ourselves so that bad input gets the standard codes:
// -32700 for unparsable JSON, -32600 for something that is not a JSON-RPC message.
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface RpcError {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

export type ParsedBody =
  | { ok: true; messages: JSONRPCMessage[]; batch: boolean; raw: unknown }
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
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, status: 400, error: rpcError(null, -32700, 'Parse error: the body is not valid JSON.') };
    }
  }
  const batch = Array.isArray(value);
  const items = batch ? (value as unknown[]) : [value];
  if (items.length === 0) return { ok: false, status: 400, error: rpcError(null, -32600, 'Invalid Request: empty batch.') };
  const messages: JSONRPCMessage[] = [];
  for (const item of items) {
    const parsed = JSONRPCMessageSchema.safeParse(item);
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

export function isInitialize(messages: JSONRPCMessage[]): boolean {
  return messages.some((m) => 'method' in m && m.method === 'initialize');
}
