// Required fields of the YAML-backed kinds, checked before Home Assistant is asked, worded so a
// model can fix them.
import type { Problem } from '../kind.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty list (or a single object, which Home Assistant accepts as a list of one) under `key` or its legacy name. */
export function requireList(config: Record<string, unknown>, key: string, legacy: string | undefined, example: string, problems: Problem[]): unknown[] | undefined {
  const raw = config[key] ?? (legacy ? config[legacy] : undefined);
  if (raw === undefined || raw === null) {
    problems.push({ path: key, message: `required: ${key}, a list such as ${example}` });
    return undefined;
  }
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.length) problems.push({ path: key, message: `${key} is empty; give at least one, e.g. ${example}` });
  list.forEach((item, i) => {
    if (!isObj(item)) problems.push({ path: `${key}[${i}]`, message: `expected an object, e.g. ${example.slice(1, -1)}` });
  });
  return list;
}

export function optionalString(config: Record<string, unknown>, key: string, problems: Problem[]): void {
  if (config[key] !== undefined && typeof config[key] !== 'string') problems.push({ path: key, message: `${key} must be text` });
}
