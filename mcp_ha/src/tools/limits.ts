// Bounds on tool arguments, so that no input can make a call slow for everyone: each string has a
// maximum length taken from what Home Assistant itself allows (homeassistant/const.py:
// MAX_LENGTH_STATE_ENTITY_ID = 255, MAX_LENGTH_STATE_DOMAIN = 64, MAX_LENGTH_STATE_STATE = 255),
// and free-form JSON (service_data, template variables) has a maximum depth and size. A bad
// argument fails in the tool's zod schema, before any work, as invalid_input naming the field.
import { z } from 'zod';
import { MAX_ENTITY_ID_LENGTH } from '../home/entityLookup.js';

/** Home Assistant's MAX_LENGTH_STATE_ENTITY_ID. */
export const MAX_ENTITY_ID = MAX_ENTITY_ID_LENGTH;
/** Home Assistant's MAX_LENGTH_STATE_DOMAIN. */
export const MAX_DOMAIN = 64;
/** Service names, registry ids and names, states, device classes, labels of callers: Home
 * Assistant has no tighter limit for these than its 255 for states and entity ids. */
export const MAX_NAME = 255;
/** Free-form JSON: levels of objects and lists below the argument itself. */
export const MAX_JSON_DEPTH = 32;
/** Free-form JSON: characters as JSON text. */
export const MAX_JSON_CHARS = 65_536;

const tooLong = (max: number, what: string): string => `at most ${max} characters (${what})`;

/** An entity_id: Home Assistant allows 255 characters. */
export const entityIdArg = (): z.ZodString => z.string().min(1).max(MAX_ENTITY_ID, tooLong(MAX_ENTITY_ID, "Home Assistant's limit for an entity_id"));

/** A domain such as "light": Home Assistant allows 64 characters. */
export const domainArg = (): z.ZodString =>
  z.string().regex(/^[a-z0-9_]+$/).max(MAX_DOMAIN, tooLong(MAX_DOMAIN, "Home Assistant's limit for a domain"));

/** A service name such as "turn_on". */
export const serviceArg = (): z.ZodString => z.string().regex(/^[a-z0-9_]+$/).max(MAX_NAME, tooLong(MAX_NAME, 'longer is no service name'));

/** Any other short text: an area, floor, label or device id or name, a state, a device class. */
export const nameArg = (): z.ZodString => z.string().max(MAX_NAME, tooLong(MAX_NAME, 'longer is no Home Assistant id, name or state'));

interface JsonProblem {
  path: (string | number)[];
  message: string;
}

/**
 * The first problem with a JSON value's shape: nested deeper than MAX_JSON_DEPTH, or larger than
 * MAX_JSON_CHARS as JSON. Iterative, and it stops at the first problem, so it costs at most the
 * size bound however the value is built.
 */
export function jsonShapeProblem(value: unknown, name: string): JsonProblem | undefined {
  let chars = 0;
  const stack: { v: unknown; depth: number; field: string | undefined }[] = [{ v: value, depth: 0, field: undefined }];
  while (stack.length) {
    const { v, depth, field } = stack.pop() as (typeof stack)[number];
    if (v !== null && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) {
        return {
          path: field === undefined ? [] : [field],
          message: `nested more than ${MAX_JSON_DEPTH} levels deep; ${name} allows at most ${MAX_JSON_DEPTH} levels of objects and lists`,
        };
      }
      const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
      chars += 2 + Math.max(0, entries.length - 1);
      for (const [k, x] of entries) {
        if (typeof k === 'string') chars += k.length + 3;
        stack.push({ v: x, depth: depth + 1, field: field ?? String(k) });
      }
    } else if (typeof v === 'string') chars += v.length + 2;
    else chars += String(v).length;
    if (chars > MAX_JSON_CHARS) {
      return { path: [], message: `larger than ${MAX_JSON_CHARS} characters as JSON; send ${name} in smaller calls or with less data` };
    }
  }
  return undefined;
}

/** A free-form JSON object (service_data, template variables) bounded in depth and size. */
export function jsonObjectArg(name: string) {
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const problem = jsonShapeProblem(value, name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });
}
