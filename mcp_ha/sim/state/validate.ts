// Service data validation from the recorded service descriptions (fields + selectors), with
// voluptuous' wording, since clients show these texts to users.
import { InvalidData } from './errors.js';
import { pyRepr } from '../util/pyrepr.js';

type Field = { required?: boolean; selector?: Record<string, Record<string, unknown> | null>; fields?: Record<string, Field> };

/** Keys every entity service accepts besides its fields (the target keys). */
export const TARGET_KEYS = ['entity_id', 'device_id', 'area_id', 'floor_id', 'label_id'];

// Fields some integrations accept without describing them in services.yaml.
const UNDESCRIBED: Record<string, string[]> = {
  light: ['kelvin', 'color_temp'],
};

// Fields whose service schema takes a list (cv.ensure_list, [cv.string]) though the selector is plain text.
const LIST_FIELDS: Record<string, string[]> = {
  'todo.remove_item': ['item'],
};

const cache = new WeakMap<object, Map<string, Field>>();

/** Fields of a service description, with sections (e.g. advanced_fields) flattened. */
export function flatFields(description: Record<string, unknown>): Map<string, Field> {
  let out = cache.get(description);
  if (out) return out;
  out = new Map();
  const walk = (fields: Record<string, Field> | undefined): void => {
    for (const [k, f] of Object.entries(fields ?? {})) {
      if (f.fields && !f.selector) walk(f.fields);
      else out!.set(k, f);
    }
  };
  walk(description.fields as Record<string, Field> | undefined);
  cache.set(description, out);
  return out;
}

const at = (k: string): string => `for dictionary value @ data['${k}']`;

function isIntStep(sel: Record<string, unknown>): boolean {
  const step = sel.step;
  return step === undefined || (typeof step === 'number' && Number.isInteger(step) && step >= 1);
}

function coerceNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 'enable']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'disable']);

/** Validates and coerces one field; throws InvalidData with voluptuous' text. */
function checkField(k: string, v: unknown, field: Field, list = false): unknown {
  if (list && Array.isArray(v)) return v.map((x) => checkField(k, x, field));
  const selector = field.selector ?? {};
  const [kind, cfg = {}] = (Object.entries(selector)[0] ?? ['', {}]) as [string, Record<string, unknown> | null];
  const sel = cfg ?? {};
  switch (kind) {
    case 'number': {
      const intStep = isIntStep(sel);
      const n = coerceNumber(v);
      if (n === null || typeof v === 'boolean') throw new InvalidData(`expected ${intStep ? 'int' : 'float'} ${at(k)}`);
      const value = intStep ? Math.trunc(n) : n;
      if (typeof sel.min === 'number' && value < sel.min) throw new InvalidData(`value must be at least ${sel.min} ${at(k)}`);
      if (typeof sel.max === 'number' && value > sel.max) throw new InvalidData(`value must be at most ${sel.max} ${at(k)}`);
      return value;
    }
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      if (typeof v === 'string' && TRUE_WORDS.has(v.toLowerCase())) return true;
      if (typeof v === 'string' && FALSE_WORDS.has(v.toLowerCase())) return false;
      throw new InvalidData(`invalid boolean value ${pyRepr(v)} ${at(k)}`);
    }
    case 'select': {
      if (sel.custom_value === true || sel.multiple === true) return v;
      const options = ((sel.options as unknown[]) ?? []).map((o) =>
        typeof o === 'object' && o !== null ? String((o as { value: unknown }).value) : String(o),
      );
      if (options.length && !options.includes(String(v))) {
        throw new InvalidData(`value must be one of ${pyRepr(options)} ${at(k)}`);
      }
      return v;
    }
    case 'text': {
      if (v === null || typeof v === 'object') throw new InvalidData(`expected str ${at(k)}`);
      return typeof v === 'string' ? v : String(v);
    }
    case 'color_rgb': {
      if (!Array.isArray(v) || v.length !== 3 || v.some((x) => coerceNumber(x) === null)) {
        throw new InvalidData(`value should be a list of 3 integers ${at(k)}`);
      }
      return v.map((x) => Math.trunc(coerceNumber(x)!));
    }
    case 'color_temp': {
      const n = coerceNumber(v);
      if (n === null) throw new InvalidData(`expected int ${at(k)}`);
      return Math.trunc(n);
    }
    default:
      return v;
  }
}

/**
 * Checks `data` (service data with target keys already merged) against the description.
 * Returns the coerced data.
 */
export function validateServiceData(
  domain: string,
  description: Record<string, unknown>,
  data: Record<string, unknown>,
  service = '',
): Record<string, unknown> {
  const fields = flatFields(description);
  const lists = LIST_FIELDS[`${domain}.${service}`] ?? [];
  const isEntityService = 'target' in description;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    const field = fields.get(k);
    if (!field) {
      if ((isEntityService && TARGET_KEYS.includes(k)) || UNDESCRIBED[domain]?.includes(k)) {
        out[k] = v;
        continue;
      }
      // Services without fields and without a target take anything (scripts, notify, ...).
      if (fields.size === 0 && !isEntityService) {
        out[k] = v;
        continue;
      }
      throw new InvalidData(`extra keys not allowed @ data['${k}']`);
    }
    out[k] = checkField(k, v, field, lists.includes(k));
  }
  for (const [k, f] of fields) {
    if (f.required && !(k in data)) throw new InvalidData(`required key not provided @ data['${k}']`);
  }
  return out;
}
