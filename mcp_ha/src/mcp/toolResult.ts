// MCP tool results: structuredContent plus the same JSON as text, then any images the tool returned
// (ToolDef's `images` field) as image content; errors as isError results.
import type { CallToolResult } from '@modelcontextprotocol/server';
import { AppError, toAppError } from '../errors.js';
import type { ToolImage } from '../tools/tool.js';

export function okResult(answer: Record<string, unknown> & { images?: readonly ToolImage[] }): CallToolResult {
  const { images, ...value } = answer;
  const content: CallToolResult['content'] = [{ type: 'text', text: JSON.stringify(value) }];
  for (const image of images ?? []) content.push({ type: 'image', data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength).toString('base64'), mimeType: image.mimeType });
  return { content, structuredContent: value };
}

export function errorResult(err: unknown): CallToolResult {
  const appErr = err instanceof AppError ? err : toAppError(err);
  return { content: [{ type: 'text', text: JSON.stringify(appErr.toBody()) }], isError: true };
}
