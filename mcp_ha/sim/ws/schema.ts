// Command schemas with voluptuous' error texts ("required key not provided @ data['x']. Got None",
// "expected str for dictionary value @ data['x']. Got 123", "extra keys not allowed. Got {…}").
import { pyRepr } from '../util/pyrepr.js';

/** Returns an error text (without the " @ data[…]. Got …" tail) or null if fine. */
export type Check = (v: unknown) => string | null;

export interface Field {
  required?: boolean;
  check?: Check;
}

export type Schema = Record<string, Field>;

export const str: Check = (v) => (typeof v === 'string' ? null : 'expected str for dictionary value');
export const bool: Check = (v) => (typeof v === 'boolean' ? null : 'expected bool for dictionary value');
export const int: Check = (v) => (typeof v === 'number' && Number.isInteger(v) ? null : 'expected int for dictionary value');
export const num: Check = (v) => (typeof v === 'number' ? null : 'expected float for dictionary value');
export const dict: Check = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'expected dict for dictionary value');
export const list: Check = (v) => (Array.isArray(v) ? null : 'expected list for dictionary value');
export const strList: Check = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : 'expected list for dictionary value';
export const any: Check = () => null;
export const oneOf = (opts: string[], label?: string): Check => (v) =>
  typeof v === 'string' && opts.includes(v)
    ? null
    : label
      ? `expected ${label} or one of ${opts.map((o) => pyRepr(o)).join(', ')} for dictionary value`
      : `value must be one of ${pyRepr(opts)} for dictionary value`;
/** vol.Any of literals: "not a valid value for dictionary value". */
export const anyOf = (opts: string[]): Check => (v) => (typeof v === 'string' && opts.includes(v) ? null : 'not a valid value for dictionary value');
/** vol.All([str], vol.Length(min=1)). */
export const nonEmptyStrList: Check = (v) =>
  strList(v) ?? ((v as unknown[]).length ? null : 'length of value must be at least 1 for dictionary value');
export const nullable = (c: Check): Check => (v) => (v === null ? null : c(v));
/** cv.string: numbers are coerced, containers refused. */
export const cvString: Check = (v) =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? null : 'expected str for dictionary value';

const ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;
/** cv.entity_id. */
export const entityId: Check = (v) =>
  typeof v !== 'string' ? 'expected str for dictionary value' : ENTITY_ID.test(v) ? null : `Entity ID ${v} is an invalid entity ID for dictionary value`;

/** Validates a whole command (id and type are always allowed). Returns the error message or null. */
export function validate(msg: Record<string, unknown>, schema: Schema): string | null {
  for (const k of Object.keys(msg)) {
    if (k !== 'id' && k !== 'type' && !(k in schema)) return `extra keys not allowed. Got ${pyRepr(msg)}`;
  }
  for (const [k, f] of Object.entries(schema)) {
    if (!(k in msg)) {
      if (f.required) return `required key not provided @ data['${k}']. Got None`;
      continue;
    }
    const err = f.check?.(msg[k]);
    if (err) return `${err} @ data['${k}']. Got ${pyRepr(msg[k])}`;
  }
  return null;
}
