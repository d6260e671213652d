// MCP tool results: structuredContent plus the same JSON as text; errors as isError results.
import type { CallToolResult } from '@modelcontextprotocol/server';
import { AppError, toAppError } from '../errors.js';

export function okResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

export function errorResult(err: unknown): CallToolResult {
  const appErr = err instanceof AppError ? err : toAppError(err);
  return { content: [{ type: 'text', text: JSON.stringify(appErr.toBody()) }], isError: true };
}
