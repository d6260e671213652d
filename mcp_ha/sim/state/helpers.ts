// UI-created helpers (storage collections): input_boolean, input_number, input_select, input_text,
// input_datetime, input_button, counter, timer. Each item is validated as Home Assistant's
// voluptuous schemas do (error texts as recorded in ws-helpers.json), stored in the order sent
// with the defaults after, and backed by an entity (state + entity registry entry).
import type { SimContext } from '../model.js';
import { hexId } from '../util/ids.js';
import { pyFloat, pyRepr } from '../util/pyrepr.js';
import { nowMicros } from '../util/time.js';
import { newContext } from './context.js';
import type { Registries } from './registries.js';
import { slugify } from './registries.js';
import type { StateStore } from './store.js';

export const HELPER_DOMAINS = [
  'input_boolean',
  'input_number',
  'input_select',
  'input_text',
  'input_datetime',
  'input_button',
  'counter',
  'timer',
] as const;
export type HelperDomain = (typeof HELPER_DOMAINS)[number];

type Item = Record<string, unknown>;

/** A field check: the coerced value, or an error text (without " @ data[…]. Got …"). */
type Coerce = (v: unknown) => { value: unknown } | { error: string };

interface FieldSpec {
  required?: boolean;
  coerce: Coerce;
}

interface HelperSpec {
  fields: Record<string, FieldSpec>;
  /** Defaults filled in after the sent fields, in Home Assistant's order. */
  defaults: [string, unknown][];
  /** Keys Python holds as floats (repr 10.0, not 10). */
  floats?: string[];
  /** Item-level check after the schema: an invalid_format text (". Got {…}" is added). */
  check?(item: Item): string | null;
  /** A HomeAssistantError raised while validating. */
  haError?(item: Item): string | null;
  state(item: Item): { state: string; attributes: Item };
}

export type HelperError = { code: 'invalid_format' | 'home_assistant_error' | 'not_found'; message: string };

const ok = (value: unknown): { value: unknown } => ({ value });
const fail = (error: string): { error: string } => ({ error });

const nameField: FieldSpec = {
  required: true,
  coerce: (v) =>
    typeof v !== 'string' ? fail('expected str for dictionary value') : v.length < 1 ? fail('length of value must be at least 1 for dictionary value') : ok(v),
};
const icon: FieldSpec = {
  coerce: (v) =>
    typeof v !== 'string'
      ? fail('expected str for dictionary value')
      : /^[^:\s]+:[^:\s]+$/.test(v)
        ? ok(v)
        : fail('Icons should be specified in the form "prefix:name" for dictionary value'),
};
const cvString: FieldSpec = {
  coerce: (v) => (typeof v === 'string' ? ok(v) : typeof v === 'number' || typeof v === 'boolean' ? ok(String(v)) : fail('expected str for dictionary value')),
};
const TRUE = new Set(['1', 'true', 'yes', 'on', 'enable']);
const FALSE = new Set(['0', 'false', 'no', 'off', 'disable']);
const boolean: FieldSpec = {
  coerce: (v) => {
    if (typeof v === 'boolean') return ok(v);
    if (typeof v === 'number') return ok(v !== 0);
    if (typeof v === 'string') {
      const s = v.toLowerCase().trim();
      if (TRUE.has(s)) return ok(true);
      if (FALSE.has(s)) return ok(false);
    }
    return fail(`invalid boolean value ${String(v)} for dictionary value`);
  },
};
const toNumber = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};
const float: FieldSpec = { coerce: (v) => (toNumber(v) === null ? fail('expected float for dictionary value') : ok(toNumber(v))) };
const requiredFloat: FieldSpec = { ...float, required: true };
const positiveFloat: FieldSpec = {
  coerce: (v) => {
    const n = toNumber(v);
    if (n === null) return fail('expected float for dictionary value');
    return n < 1e-9 ? fail('value must be at least 1e-09 for dictionary value') : ok(n);
  },
};
const int: FieldSpec = {
  coerce: (v) => {
    const n = toNumber(v);
    return n === null || !Number.isInteger(n) ? fail('expected int for dictionary value') : ok(n);
  },
};
const positiveInt: FieldSpec = {
  coerce: (v) => {
    const r = int.coerce(v);
    if ('error' in r) return r;
    return (r.value as number) < 0 ? fail('value must be at least 0 for dictionary value') : r;
  },
};
const nullableInt: FieldSpec = { coerce: (v) => (v === null ? ok(null) : int.coerce(v)) };
const oneOf = (opts: string[]): FieldSpec => ({
  coerce: (v) => (typeof v === 'string' && opts.includes(v) ? ok(v) : fail(`value must be one of ${pyRepr(opts)} for dictionary value`)),
});
const optionList: FieldSpec = {
  required: true,
  coerce: (v) => {
    if (!Array.isArray(v)) return fail('expected list for dictionary value');
    if (!v.length) return fail('length of value must be at least 1 for dictionary value');
    if (!v.every((x) => typeof x === 'string' || typeof x === 'number')) return fail('expected str @ data[\'options\'][0]');
    return ok(v.map(String));
  },
};

/** cv.time_period: "H:MM[:SS[.F]]", seconds, or {days, hours, minutes, seconds}; as Python's str(timedelta). */
const duration: FieldSpec = {
  coerce: (v) => {
    let secs: number | null = null;
    if (typeof v === 'number') secs = v;
    else if (typeof v === 'string') {
      const m = /^(-)?(\d+):(\d+)(?::(\d+(?:\.\d+)?))?$/.exec(v.trim());
      if (m) secs = (m[1] ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0));
      else if (/^\d+$/.test(v.trim())) secs = Number(v);
      else return fail(`offset ${v} should be format 'HH:MM', 'HH:MM:SS' or 'HH:MM:SS.F' for dictionary value`);
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const part = (k: string): number => toNumber(o[k]) ?? 0;
      secs = part('days') * 86400 + part('hours') * 3600 + part('minutes') * 60 + part('seconds') + part('milliseconds') / 1000;
    }
    if (secs === null || secs < 0) return fail('expected str for dictionary value');
    const h = Math.floor(secs / 3600);
    const m = Math.floor((secs % 3600) / 60);
    const s = Math.floor(secs % 60);
    return ok(`${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`);
  },
};

const withIcon = (attrs: Item, item: Item): Item => {
  if (item.icon !== undefined) attrs.icon = item.icon;
  attrs.friendly_name = item.name;
  return attrs;
};

const dateParts = (item: Item): { state: string; attrs: Item } => {
  const hasDate = item.has_date === true;
  const hasTime = item.has_time === true;
  const initial = typeof item.initial === 'string' ? item.initial : '';
  const date = /\d{4}-\d{2}-\d{2}/.exec(initial)?.[0] ?? '1970-01-01';
  const time = /\d{2}:\d{2}(:\d{2})?/.exec(initial)?.[0] ?? '00:00:00';
  const t = time.length === 5 ? `${time}:00` : time;
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi, s] = t.split(':').map(Number) as [number, number, number];
  const attrs: Item = { has_date: hasDate, has_time: hasTime, editable: true };
  if (hasDate) Object.assign(attrs, { year: y, month: mo, day: d });
  if (hasTime) Object.assign(attrs, { hour: h, minute: mi, second: s });
  const stamp = hasDate ? Date.UTC(y, mo - 1, d, h, mi, s) / 1000 : h * 3600 + mi * 60 + s;
  attrs.timestamp = stamp;
  const state = hasDate && hasTime ? `${date} ${t}` : hasDate ? date : t;
  return { state, attrs };
};

const SPECS: Record<HelperDomain, HelperSpec> = {
  input_boolean: {
    fields: { name: nameField, initial: boolean, icon },
    defaults: [],
    state: (item) => ({ state: item.initial === true ? 'on' : 'off', attributes: withIcon({ editable: true }, item) }),
  },
  input_number: {
    fields: {
      name: nameField,
      min: requiredFloat,
      max: requiredFloat,
      initial: float,
      step: positiveFloat,
      icon,
      unit_of_measurement: cvString,
      mode: oneOf(['box', 'slider']),
    },
    defaults: [
      ['step', 1],
      ['mode', 'slider'],
    ],
    floats: ['min', 'max', 'initial', 'step'],
    check: (item) => {
      const min = item.min as number;
      const max = item.max as number;
      // Home Assistant's own message names the numbers the other way round (as recorded).
      if (min >= max) return `Maximum (${pyFloat(min)}) is not greater than minimum (${pyFloat(max)})`;
      const initial = item.initial as number | undefined;
      if (initial !== undefined && (initial < min || initial > max)) return `Initial value ${pyFloat(initial)} not in range ${pyFloat(min)}-${pyFloat(max)}`;
      return null;
    },
    state: (item) => {
      const attrs: Item = { initial: item.initial ?? null, editable: true, min: item.min, max: item.max, step: item.step, mode: item.mode };
      if (item.unit_of_measurement !== undefined) attrs.unit_of_measurement = item.unit_of_measurement;
      return { state: pyFloat((item.initial as number | undefined) ?? (item.min as number)), attributes: withIcon(attrs, item) };
    },
  },
  input_select: {
    fields: { name: nameField, options: optionList, initial: cvString, icon },
    defaults: [],
    haError: (item) => (new Set(item.options as string[]).size !== (item.options as string[]).length ? 'Duplicate options are not allowed' : null),
    check: (item) =>
      item.initial !== undefined && !(item.options as string[]).includes(item.initial as string)
        ? `initial state ${String(item.initial)} is not part of the options: ${(item.options as string[]).join(',')}`
        : null,
    state: (item) => ({
      state: (item.initial as string | undefined) ?? (item.options as string[])[0]!,
      attributes: withIcon({ options: item.options, editable: true }, item),
    }),
  },
  input_text: {
    fields: { name: nameField, min: int, max: int, initial: cvString, icon, unit_of_measurement: cvString, pattern: cvString, mode: oneOf(['text', 'password']) },
    defaults: [
      ['min', 0],
      ['max', 100],
      ['mode', 'text'],
    ],
    check: (item) => {
      const min = item.min as number;
      const max = item.max as number;
      if (min > max) return `Max len (${max}) is not greater than min len (${min})`;
      const initial = item.initial as string | undefined;
      if (initial !== undefined && (initial.length < min || initial.length > max)) return `Initial value ${initial} length not in range ${min}-${max}`;
      return null;
    },
    state: (item) => {
      const attrs: Item = { editable: true, min: item.min, max: item.max, pattern: item.pattern ?? null, mode: item.mode };
      if (item.unit_of_measurement !== undefined) attrs.unit_of_measurement = item.unit_of_measurement;
      return { state: (item.initial as string | undefined) ?? '', attributes: withIcon(attrs, item) };
    },
  },
  input_datetime: {
    fields: { name: nameField, has_date: boolean, has_time: boolean, icon, initial: cvString },
    defaults: [
      ['has_date', false],
      ['has_time', false],
    ],
    check: (item) => (item.has_date !== true && item.has_time !== true ? 'Entity needs at least a date or a time' : null),
    state: (item) => {
      const { state, attrs } = dateParts(item);
      return { state, attributes: withIcon(attrs, item) };
    },
  },
  input_button: {
    fields: { name: nameField, icon },
    defaults: [],
    state: (item) => ({ state: 'unknown', attributes: withIcon({ editable: true }, item) }),
  },
  counter: {
    fields: { name: nameField, icon, initial: positiveInt, maximum: nullableInt, minimum: nullableInt, restore: boolean, step: positiveInt },
    // The recorded order of counter's defaults.
    defaults: [
      ['minimum', null],
      ['initial', 0],
      ['step', 1],
      ['restore', true],
      ['maximum', null],
    ],
    state: (item) => {
      const attrs: Item = { initial: item.initial, editable: true, step: item.step };
      if (item.minimum !== null) attrs.minimum = item.minimum;
      if (item.maximum !== null) attrs.maximum = item.maximum;
      return { state: String(item.initial), attributes: withIcon(attrs, item) };
    },
  },
  timer: {
    fields: { name: nameField, icon, duration, restore: boolean },
    defaults: [
      ['duration', '0:00:00'],
      ['restore', false],
    ],
    state: (item) => ({
      state: 'idle',
      attributes: withIcon({ duration: item.duration, editable: true, restore: item.restore }, item),
    }),
  },
};

/** Python repr of an item, floats as floats ("Got {'min': 10.0, …}"). */
function reprItem(item: Item, floats: string[] = []): string {
  const parts = Object.entries(item).map(([k, v]) => `${pyRepr(k)}: ${typeof v === 'number' && floats.includes(k) ? pyFloat(v) : pyRepr(v)}`);
  return `{${parts.join(', ')}}`;
}

/** Validates a create/update payload (the message without id, type and <domain>_id). */
export function validateHelper(domain: HelperDomain, data: Item): { item: Item } | { error: HelperError } {
  const spec = SPECS[domain];
  const errors: string[] = [];
  const item: Item = {};
  for (const [k, v] of Object.entries(data)) {
    const f = spec.fields[k];
    if (!f) {
      errors.push(`extra keys not allowed @ data['${k}']. Got ${pyRepr(v)}`);
      continue;
    }
    const r = f.coerce(v);
    if ('error' in r) errors.push(`${r.error} @ data['${k}']. Got ${pyRepr(v)}`);
    else item[k] = r.value;
  }
  const missing = Object.entries(spec.fields)
    .filter(([k, f]) => f.required && !(k in data))
    .map(([k]) => k)
    .sort();
  for (const k of missing) errors.push(`required key not provided @ data['${k}']. Got None`);
  if (errors.length) return { error: { code: 'invalid_format', message: errors.join('\n') } };
  for (const [k, v] of spec.defaults) if (!(k in item)) item[k] = v;
  const ha = spec.haError?.(item);
  if (ha) return { error: { code: 'home_assistant_error', message: ha } };
  const bad = spec.check?.(item);
  if (bad) return { error: { code: 'invalid_format', message: `${bad}. Got ${reprItem(item, spec.floats)}` } };
  return { item };
}

/** One collection change as `<domain>/subscribe` sends it. */
export interface HelperChange {
  change_type: 'added' | 'updated' | 'removed';
  id: string;
  item: Item;
}

type ChangeListener = (domain: HelperDomain, change: HelperChange) => void;

export class Helpers {
  private items = new Map<HelperDomain, Map<string, Item>>();
  private listeners = new Set<ChangeListener>();

  constructor(
    private store: StateStore,
    private registries: Registries,
  ) {
    for (const d of HELPER_DOMAINS) this.items.set(d, new Map());
  }

  list(domain: HelperDomain): Item[] {
    return [...this.items.get(domain)!.values()];
  }

  onChange(fn: ChangeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(domain: HelperDomain, change: HelperChange): void {
    for (const fn of this.listeners) fn(domain, change);
  }

  /** The id for a name: its slug, with _2, _3… on a clash with an item or an existing entity. */
  private newId(domain: HelperDomain, name: string): string {
    const items = this.items.get(domain)!;
    const base = slugify(name);
    const taken = (id: string): boolean => items.has(id) || this.store.has(`${domain}.${id}`) || this.registries.entities.has(`${domain}.${id}`);
    let id = base;
    for (let i = 2; taken(id); i++) id = `${base}_${i}`;
    return id;
  }

  create(domain: HelperDomain, data: Item, userId: string | null): { item: Item } | { error: HelperError } {
    const v = validateHelper(domain, data);
    if ('error' in v) return v;
    const id = this.newId(domain, String(v.item.name));
    const item: Item = { id, ...v.item };
    this.items.get(domain)!.set(id, item);
    const entityId = `${domain}.${id}`;
    this.registries.addEntity(registryEntry(domain, id, String(item.name)));
    const { state, attributes } = SPECS[domain].state(item);
    // As recorded, the state and the collection's change event come before the result.
    this.store.set(entityId, state, attributes, { context: newContext(userId) });
    this.emit(domain, { change_type: 'added', id, item });
    return { item };
  }

  update(domain: HelperDomain, id: string, data: Item, userId: string | null): { item: Item } | { error: HelperError } {
    const items = this.items.get(domain)!;
    if (!items.has(id)) return { error: { code: 'not_found', message: `Unable to find ${domain}_id ${id}` } };
    const v = validateHelper(domain, data);
    if ('error' in v) return v;
    const item: Item = { id, ...v.item };
    items.set(id, item);
    this.emit(domain, { change_type: 'updated', id, item });
    const entityId = `${domain}.${id}`;
    const cur = this.store.get(entityId);
    const fresh = SPECS[domain].state(item);
    // A config change keeps the current value of a boolean, counter or select that is still valid.
    let state = fresh.state;
    if (cur && (domain === 'input_boolean' || domain === 'counter' || domain === 'timer')) state = cur.state;
    if (cur && domain === 'input_select' && (item.options as string[]).includes(cur.state)) state = cur.state;
    const context: SimContext = newContext(userId);
    this.store.set(entityId, state, fresh.attributes, { context });
    const entry = this.registries.entities.get(entityId);
    if (entry && entry.original_name !== item.name) this.registries.updateEntity(entityId, { original_name: item.name });
    return { item };
  }

  delete(domain: HelperDomain, id: string, userId: string | null): { item: Item } | { error: HelperError } {
    const items = this.items.get(domain)!;
    const item = items.get(id);
    if (!item) return { error: { code: 'not_found', message: `Unable to find ${domain}_id ${id}` } };
    items.delete(id);
    this.emit(domain, { change_type: 'removed', id, item });
    const entityId = `${domain}.${id}`;
    this.store.remove(entityId, newContext(userId));
    this.registries.removeEntity(entityId);
    return { item };
  }
}

function registryEntry(domain: string, id: string, name: string): Item {
  const now = nowMicros() / 1_000_000;
  return {
    area_id: null,
    categories: {},
    config_entry_id: null,
    config_subentry_id: null,
    created_at: now,
    device_id: null,
    disabled_by: null,
    entity_category: null,
    entity_id: `${domain}.${id}`,
    has_entity_name: false,
    hidden_by: null,
    icon: null,
    id: hexId(),
    labels: [],
    modified_at: now,
    name: null,
    options: { conversation: { should_expose: false } },
    original_name: name,
    platform: domain,
    translation_key: null,
    unique_id: id,
  };
}

export function isHelperDomain(d: string): d is HelperDomain {
  return (HELPER_DOMAINS as readonly string[]).includes(d);
}
