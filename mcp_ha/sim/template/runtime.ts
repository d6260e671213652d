// The runtime object compiled templates call into: nunjucks' own runtime with lookups, calls,
// iteration and output replaced by Jinja-in-Python behaviour. Only whitelisted members of
// strings, lists, dicts and datetimes are reachable, so templates cannot climb into JavaScript.
import { nj } from './nunjucks-internals.js';
import { PyDateTime, PyTimedelta } from './datetime.js';
import { PyError, typeError, undefinedError } from './errors.js';
import { allStates, DomainStates, TemplateState, VALID_DOMAIN } from './states.js';
import { add, compare, contains, div, floordiv, mod, mul, neg, pow, pyType, sub, truthy } from './pyops.js';
import { pyStr } from './pystr.js';
import { stringMethod } from './strmethods.js';
import { tick } from './session.js';
import { PyFloat } from './pyfloat.js';

/** Jinja's `namespace()`: the one object `{% set ns.x = … %}` may assign to. */
export class Namespace {
  [key: string]: unknown;
  pyRepr(): string {
    return `<Namespace ${pyStr({ ...this })}>`;
  }
}

const SafeString = nj.runtime.SafeString as unknown as new () => object;

class SliceKey {
  constructor(readonly start: number | null, readonly stop: number | null, readonly step: number | null) {}
}

/** `states` is callable (`states('x')`) and has attributes (`states.light`). */
export type StatesFn = ((...args: unknown[]) => unknown) & { readonly isStates: true };

function isStatesFn(v: unknown): v is StatesFn {
  return typeof v === 'function' && (v as Partial<StatesFn>).isStates === true;
}

/** Any iterable template value as an array (states generators, dicts as their keys, strings). */
export function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isStatesFn(v)) return [...allStates()];
  if (v === undefined) return [];
  if (typeof v === 'string') return [...v];
  if (v instanceof DomainStates) return [...v];
  if (v && typeof v === 'object') {
    if (Symbol.iterator in v) return [...(v as Iterable<unknown>)];
    if (!(v instanceof TemplateState) && !(v instanceof PyDateTime) && !(v instanceof PyFloat)) return Object.keys(v);
  }
  throw typeError(`'${pyType(v)}' object is not iterable`);
}

function sliceOf<T>(seq: T[], k: SliceKey): T[] {
  const step = k.step ?? 1;
  if (step === 0) throw new PyError('ValueError', 'slice step cannot be zero');
  const len = seq.length;
  const norm = (i: number | null, dflt: number) => (i === null ? dflt : i < 0 ? Math.max(i + len, step < 0 ? -1 : 0) : Math.min(i, step < 0 ? len - 1 : len));
  const start = norm(k.start, step < 0 ? len - 1 : 0);
  const stop = norm(k.stop, step < 0 ? -1 : len);
  const out: T[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(seq[i]!);
  return out;
}

function index<T>(seq: ArrayLike<T>, i: number): T | undefined {
  return seq[i < 0 ? seq.length + i : i];
}

const bind = (obj: object, fn: unknown) => (typeof fn === 'function' ? fn.bind(obj) : fn);

function listMethod(list: unknown[], key: string): unknown {
  switch (key) {
    case 'append': return (x: unknown) => void list.push(x);
    case 'extend': return (xs: unknown) => void list.push(...toList(xs));
    case 'index': return (x: unknown) => {
      const i = list.findIndex((y) => compare(y, '==', x));
      if (i < 0) throw new PyError('ValueError', `${pyStr(x)} is not in list`);
      return i;
    };
    case 'count': return (x: unknown) => list.filter((y) => compare(y, '==', x)).length;
    case 'pop': return (i?: number) => list.splice(i === undefined ? -1 : i, 1)[0];
    default: return undefined;
  }
}

function dictMethod(dict: Record<string, unknown>, key: string): unknown {
  switch (key) {
    case 'items': return () => Object.entries(dict);
    case 'keys': return () => Object.keys(dict);
    case 'values': return () => Object.values(dict);
    case 'get': return (k: string, d: unknown = null) => (Object.prototype.hasOwnProperty.call(dict, k) ? dict[k] : d);
    default: return undefined;
  }
}

const DATETIME_MEMBERS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'tzinfo', 'weekday', 'isoweekday', 'timestamp', 'date', 'time', 'astimezone', 'replace', 'isoformat', 'strftime']);
const TIMEDELTA_MEMBERS = new Set(['days', 'seconds', 'microseconds', 'total_seconds']);

export function memberLookup(obj: unknown, key: unknown, name?: string): unknown {
  if (obj === undefined) {
    const attr = /\["([^"]*)"\]$/.exec(name ?? '');
    throw undefinedError(attr ? `'dict object' has no attribute '${attr[1]}'` : `'${name ?? 'value'}' is undefined`);
  }
  if (obj === null) return undefined;
  if (key instanceof SliceKey) {
    if (typeof obj === 'string') return sliceOf([...obj], key).join('');
    return sliceOf(toList(obj), key);
  }
  if (isStatesFn(obj)) {
    if (typeof key !== 'string' || !VALID_DOMAIN.test(key)) throw new PyError('TemplateError', `Invalid domain name '${String(key)}'`);
    return new DomainStates(key);
  }
  if (obj instanceof DomainStates) return typeof key === 'string' ? obj.lookup(key) : undefined;
  if (obj instanceof TemplateState) return typeof key === 'string' ? obj.read(key) : undefined;
  if (typeof obj === 'string') return typeof key === 'number' ? index(obj, key) : stringMethod(obj, String(key));
  if (Array.isArray(obj)) return typeof key === 'number' ? index(obj, key) : listMethod(obj, String(key));
  if (obj instanceof PyDateTime) return DATETIME_MEMBERS.has(String(key)) ? bind(obj, obj[key as keyof PyDateTime]) : undefined;
  if (obj instanceof PyFloat) return undefined;
  if (obj instanceof PyTimedelta) return TIMEDELTA_MEMBERS.has(String(key)) ? bind(obj, obj[key as keyof PyTimedelta]) : undefined;
  if (typeof obj === 'object') {
    const k = String(key);
    if (Object.prototype.hasOwnProperty.call(obj, k)) return (obj as Record<string, unknown>)[k];
    return obj instanceof Namespace ? undefined : dictMethod(obj as Record<string, unknown>, k);
  }
  return undefined;
}

function callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown {
  tick();
  if (fn === undefined) throw undefinedError(`'${name}' is undefined`);
  if (typeof fn !== 'function') throw typeError(`'${pyType(fn)}' object is not callable`);
  const out = (fn as (...a: unknown[]) => unknown).apply(context, args);
  // Macros return nunjucks SafeStrings; templates see plain text.
  return out instanceof SafeString ? String(out) : out;
}

function fromIterator(v: unknown): unknown {
  if (typeof v === 'string') return v;
  if (v === null || typeof v === 'number' || typeof v === 'boolean') throw typeError(`'${pyType(v)}' object is not iterable`);
  return toList(v);
}

function setAttribute(obj: unknown, key: unknown, value: unknown): void {
  if (!(obj instanceof Namespace)) throw new PyError('TemplateRuntimeError', 'cannot assign attribute on non-namespace object');
  obj[String(key)] = value;
}

let strict = false;

/** Jinja's StrictUndefined for the render in progress. */
export function setStrict(on: boolean): void {
  strict = on;
}

interface Lookups {
  lookup(name: string): unknown;
}

function softLookup(context: Lookups, frame: Lookups, name: string): unknown {
  const v = frame.lookup(name);
  return v !== undefined ? v : context.lookup(name);
}

function contextOrFrameLookup(context: Lookups, frame: Lookups, name: string): unknown {
  const v = softLookup(context, frame, name);
  if (v === undefined && strict) throw undefinedError(`'${name}' is undefined`);
  return v;
}

/** Receives the error nunjucks caught, untouched, so render.ts can map it to HA's wording. */
let lastError: unknown;
export function takeError(): unknown {
  const e = lastError;
  lastError = undefined;
  return e;
}

export const templateRuntime: Record<string, unknown> = {
  ...nj.runtime,
  suppressValue: (v: unknown) => pyStr(v),
  memberLookup,
  callWrap,
  contextOrFrameLookup,
  softLookup,
  fromIterator,
  toList,
  truthy,
  compare,
  contains,
  add, sub, mul, div, floordiv, mod, pow, neg,
  concat: (a: unknown, b: unknown) => pyStr(a) + pyStr(b),
  float: (n: number) => new PyFloat(n),
  or: (a: unknown, b: () => unknown) => (truthy(a) ? a : b()),
  and: (a: unknown, b: () => unknown) => (truthy(a) ? b() : a),
  slice: (start: number | null, stop: number | null, step: number | null) => new SliceKey(start, stop, step),
  setAttribute,
  tick,
  handleError: (error: unknown) => {
    lastError ??= error;
    return error;
  },
};

/** The `states` global. */
export function makeStatesFn(render: (entityId: string, kw: Record<string, unknown>) => unknown): StatesFn {
  const fn = (entityId: unknown, ...rest: unknown[]) => render(String(entityId), (rest.at(-1) as Record<string, unknown> | undefined) ?? {});
  return Object.assign(fn, { isStates: true as const });
}
