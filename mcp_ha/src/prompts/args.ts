// Argument schemas and lookups shared by the prompts. MCP prompt arguments are strings; an empty
// string counts as not given (clients send "" for an optional field left blank).
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { HomeCache } from '../ha/types.js';
import { closestAreaIds } from '../home/complete.js';
import { findArea } from '../home/placement.js';
import { MAX_AREA_ARG } from './prompt.js';

/** An optional area id or name. */
export const areaArg = z.string().max(MAX_AREA_ARG).optional().describe('Area id or name');

/** The area id for an id or name; an unknown one is not_found naming the closest areas. */
export function resolveArea(cache: HomeCache, ref: string): string {
  try {
    return findArea(cache, ref.trim());
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'not_found') throw err;
    const closest = closestAreaIds(cache, ref);
    const suggestion = closest.length
      ? `Did you mean ${closest.join(', ')}? ${err.suggestion}`
      : err.suggestion;
    throw new AppError('not_found', err.message, suggestion, { details: { area: ref, closest } });
  }
}
