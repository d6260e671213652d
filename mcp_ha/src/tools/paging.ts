// Pagination shared by every list tool: limit/offset in, has_more out.
import { z } from 'zod';

export const pagingInput = {
  limit: z.number().int().min(1).max(1000).default(100).describe('Max items (default 100)'),
  offset: z.number().int().min(0).default(0).describe('Items to skip'),
};

export const pagingOutput = {
  total: z.number().int(),
  offset: z.number().int(),
  has_more: z.boolean(),
};

export function page<T>(items: readonly T[], limit: number, offset: number): { items: T[]; total: number; offset: number; has_more: boolean } {
  return {
    items: items.slice(offset, offset + limit),
    total: items.length,
    offset,
    has_more: offset + limit < items.length,
  };
}
