// The one mapping from our AppError to a JSON-RPC error, for the requests that are not tool calls
// (resources, prompts, completion): a fault on our side or Home Assistant's is -32603, anything the
// request got wrong -32602, and an unknown entity behind a resource URI the SDK's "resource not found".
import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError } from '@modelcontextprotocol/server';
import { AppError, type ErrorCode } from '../errors.js';

const SERVER_SIDE: ReadonlySet<ErrorCode> = new Set(['ha_unreachable', 'ha_timeout', 'ha_error', 'internal_error']);

export function asProtocolError(err: unknown, uri?: string): Error {
  if (err instanceof ProtocolError) return err;
  if (err instanceof AppError) {
    const text = `${err.message} ${err.suggestion}`;
    if (err.code === 'entity_not_found' && uri) return new ResourceNotFoundError(uri, text);
    return new ProtocolError(SERVER_SIDE.has(err.code) ? ProtocolErrorCode.InternalError : ProtocolErrorCode.InvalidParams, text);
  }
  return new ProtocolError(ProtocolErrorCode.InternalError, 'Unexpected internal error.');
}
