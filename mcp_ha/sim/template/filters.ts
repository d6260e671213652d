// Jinja's filters with Python semantics over any iterable (lists, `states.light`, dicts), plus
// Home Assistant's filters. Every HA function is also registered as a filter in env.ts.
import { bind, MISSING, opt, splitArgs } from './args.js';
import { asLocal, timestampCustom, toDateTime, toFloat } from './convert.js';
import { PyDateTime } from './datetime.js';
import { PyError, undefinedError } from './errors.js';
import { haFunctions, statesGlobal } from './functions.js';
import { add, compare, contains, percentFormat, pyEquals, truthy } from './pyops.js';
import { PyFloat } from './pyfloat.js';
import { jinjaToJson, pyJsonDumps } from './pyjson.js';
import { pyStr } from './pystr.js';
import { regexFindall, regexReplace, regexTest } from './regex.js';
import { memberLookup, toList } from './runtime.js';
import { templateTests } from './tests.js';
import { session } from './session.js';

type Filter = (value: unknown, ...args: unknown[]) => unknown;

/** `attribute='attributes.brightness'` paths as Jinja's make_attrgetter walks them. */
function getPath(obj: unknown, path: unknown): unknown {
  let v = obj;
  for (const part of String(path).split('.')) {
    if (v === undefined || v === null) return undefined;
    v = memberLookup(v, /^\d+$/.test(part) ? Number(part) : part);
  }
  return v;
}

function runTest(name: unknown, value: unknown, args: unknown[]): boolean {
  if (name === undefined) return truthy(value);
  const test = templateTests[String(name)];
  if (!test) throw new PyError('TemplateRuntimeError', `No test named '${String(name)}'.`);
  return test(value, ...args);
}

function selectBy(useAttr: boolean, want: boolean): Filter {
  return (seq, ...args) => {
    const { pos } = splitArgs(args);
    const [first, testName, ...testArgs] = useAttr ? pos : [undefined, ...pos];
    return toList(seq).filter((item) => runTest(testName, useAttr ? getPath(item, first) : item, testArgs) === want);
  };
}

function sortKey(v: unknown, caseSensitive: boolean): unknown {
  return !caseSensitive && typeof v === 'string' ? v.toLowerCase() : v;
}

function sortFilter(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind(args, ['reverse', 'case_sensitive', 'attribute']);
  const cs = opt(a.case_sensitive, false);
  const attr = opt<unknown>(a.attribute, undefined);
  const key = (x: unknown) => sortKey(attr === undefined ? x : getPath(x, attr), cs);
  const out = [...toList(value)].sort((x, y) => (compare(key(x), '<', key(y)) ? -1 : compare(key(x), '>', key(y)) ? 1 : 0));
  return opt(a.reverse, false) ? out.reverse() : out;
}

function mapFilter(value: unknown, ...args: unknown[]): unknown[] {
  const { pos, kw } = splitArgs(args);
  const items = toList(value);
  if ('attribute' in kw) {
    return items.map((x) => {
      const v = getPath(x, kw.attribute);
      return v === undefined && 'default' in kw ? kw.default : v;
    });
  }
  const [name, ...rest] = pos;
  const f = filters[String(name)];
  if (!f) throw new PyError('TemplateRuntimeError', `No filter named '${String(name)}'.`);
  return items.map((x) => f(x, ...rest));
}

function uniqueFilter(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind(args, ['case_sensitive', 'attribute']);
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const x of toList(value)) {
    const k = sortKey(a.attribute === MISSING ? x : getPath(x, a.attribute), opt(a.case_sensitive, false));
    if (!seen.some((s) => pyEquals(s, k))) {
      seen.push(k);
      out.push(x);
    }
  }
  return out;
}

function minMax(pickLess: boolean): Filter {
  return (value, ...args) => {
    const a = bind(args, ['case_sensitive', 'attribute']);
    const items = toList(value);
    if (!items.length) return undefined;
    const key = (x: unknown) => sortKey(a.attribute === MISSING ? x : getPath(x, a.attribute), opt(a.case_sensitive, false));
    return items.reduce((best, x) => (compare(key(x), pickLess ? '<' : '>', key(best)) ? x : best));
  };
}

function sumFilter(value: unknown, ...args: unknown[]): unknown {
  const a = bind(args, ['attribute', 'start']);
  let total: unknown = opt(a.start, 0);
  for (const x of toList(value)) {
    const v = a.attribute === MISSING ? x : getPath(x, a.attribute);
    total = add(total, v);
  }
  return total;
}

function joinFilter(value: unknown, ...args: unknown[]): string {
  const a = bind(args, ['d', 'attribute']);
  return toList(value).map((x) => pyStr(a.attribute === MISSING ? x : getPath(x, a.attribute))).join(String(opt(a.d, '')));
}

function defaultFilter(value: unknown, dflt: unknown = '', boolean: unknown = false): unknown {
  return value === undefined || (boolean && !truthy(value)) ? dflt : value;
}

function count(value: unknown): number {
  if (value && typeof value === 'object' && !Array.isArray(value) && !(Symbol.iterator in value) && typeof value !== 'function') return Object.keys(value).length;
  return toList(value).length;
}

function batch(value: unknown, size: unknown, fill?: unknown): unknown[][] {
  const items = toList(value);
  const n = Math.max(1, Number(size));
  const out: unknown[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  const last = out.at(-1);
  if (fill !== undefined && last) while (last.length < n) last.push(fill);
  return out;
}

function groupby(value: unknown, attribute: unknown): unknown[][] {
  const groups: [unknown, unknown[]][] = [];
  for (const x of sortFilter(value, { __keywords: true, attribute })) {
    const k = getPath(x, attribute);
    const g = groups.find(([gk]) => pyEquals(gk, k));
    if (g) g[1].push(x);
    else groups.push([k, [x]]);
  }
  return groups;
}

function slugify(value: unknown, separator: unknown = '_'): string {
  const sep = String(separator);
  return String(value).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, sep).replace(new RegExp(`^${sep}+|${sep}+$`, 'g'), '');
}

function ordinal(value: unknown): string {
  const n = Number(value);
  const suffix = [11, 12, 13].includes(n % 100) ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function truncate(value: unknown, length: unknown = 255, killwords: unknown = false, end: unknown = '...', leeway: unknown = 5): string {
  const s = String(value);
  const len = Number(length);
  const e = String(end);
  if (s.length <= len + Number(leeway)) return s;
  if (killwords) return s.slice(0, len - e.length) + e;
  const cut = s.slice(0, len - e.length);
  const i = cut.lastIndexOf(' ');
  return (i > 0 ? cut.slice(0, i) : cut) + e;
}

function fromTimestamp(value: unknown, local: boolean, dflt: unknown, name: string): unknown {
  const f = toFloat(value);
  if (f === null || !Number.isFinite(f)) {
    if (dflt !== MISSING) return dflt;
    throw new PyError('ValueError', `Template error: ${name} got invalid input ${pyStr(value)} when rendering template '${session().source}' but no default was specified`);
  }
  const d = new PyDateTime(Math.round(f * 1e6), 0);
  return (local ? asLocal(d) : d).isoformat();
}

export const filters: Record<string, Filter> = {
  ...haFunctions,
  states: (e, ...rest) => statesGlobal(e, ...rest),
  default: defaultFilter,
  d: defaultFilter,
  list: (v) => toList(v),
  count,
  length: count,
  first: (v) => toList(v)[0],
  last: (v) => toList(v).at(-1),
  join: joinFilter,
  sum: sumFilter,
  sort: sortFilter,
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...toList(v)].reverse()),
  map: mapFilter,
  select: selectBy(false, true),
  reject: selectBy(false, false),
  selectattr: selectBy(true, true),
  rejectattr: selectBy(true, false),
  unique: uniqueFilter,
  min: minMax(true),
  max: minMax(false),
  batch,
  groupby,
  items: (v) => (v && typeof v === 'object' ? Object.entries(v) : []),
  attr: (obj, name) => memberLookup(obj, String(name)),
  string: (v) => pyStr(v),
  lower: (v) => pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v).toUpperCase(),
  title: (v) => pyStr(v).toLowerCase().replace(/(^|[^a-zA-Z0-9'])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  capitalize: (v) => { const s = pyStr(v); return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(); },
  trim: (v, chars) => (chars === undefined ? pyStr(v).trim() : (memberLookup(pyStr(v), 'strip') as (c: unknown) => string)(chars)),
  replace: (v, old, repl, n) => (memberLookup(pyStr(v), 'replace') as (...a: unknown[]) => string)(String(old), String(repl), n),
  truncate,
  wordcount: (v) => pyStr(v).split(/\s+/).filter(Boolean).length,
  format: (v, ...args) => percentFormat(pyStr(v), splitArgs(args).pos),
  abs: (v) => (v instanceof PyFloat ? new PyFloat(Math.abs(v.v)) : Math.abs(Number(v))),
  multiply: (...a) => { const b = bind(a, ['value', 'amount', 'default']); const f = toFloat(b.value); return f === null ? haFunctions.float!(b.value, b.default) : new PyFloat(f * Number(b.amount)); },
  add: (...a) => { const b = bind(a, ['value', 'amount', 'default']); const f = toFloat(b.value); return f === null ? haFunctions.float!(b.value, b.default) : new PyFloat(f + Number(b.amount)); },
  tojson: (v, indent) => jinjaToJson(v, indent === undefined ? undefined : Number(indent)),
  to_json: (...a) => {
    const b = bind(a, ['value', 'ensure_ascii', 'pretty_print', 'sort_keys']);
    return pyJsonDumps(b.value, { sortKeys: opt(b.sort_keys, false), compact: true, ensureAscii: opt(b.ensure_ascii, false), indent: opt(b.pretty_print, false) ? 2 : undefined });
  },
  from_json: (v, dflt) => {
    try {
      return JSON.parse(String(v));
    } catch (e) {
      if (dflt !== undefined) return dflt;
      throw new PyError('JSONDecodeError', (e as Error).message);
    }
  },
  regex_match: (v, find = '', ic = false) => regexTest(v, find, ic, true),
  regex_search: (v, find = '', ic = false) => regexTest(v, find, ic, false),
  regex_replace: regexReplace,
  regex_findall: regexFindall,
  regex_findall_index: (v, find = '', index = 0, ic = false) => {
    const all = regexFindall(v, find, ic);
    const i = Number(index);
    if (i >= all.length || -i > all.length) throw new PyError('IndexError', 'list index out of range');
    return all.at(i);
  },
  contains: (seq, v) => contains(seq, v),
  is_defined: (v) => {
    if (v === undefined) throw undefinedError("'value' is undefined");
    return v;
  },
  slugify,
  ordinal,
  base64_encode: (v) => Buffer.from(pyStr(v), 'utf8').toString('base64'),
  base64_decode: (v) => Buffer.from(pyStr(v), 'base64').toString('utf8'),
  timestamp_custom: (...a) => {
    const b = bind(a, ['value', 'format_string', 'local', 'default']);
    return timestampCustom(b.value, String(opt(b.format_string, '%Y-%m-%d %H:%M:%S')), opt(b.local, true), b.default);
  },
  timestamp_local: (...a) => { const b = bind(a, ['value', 'default']); return fromTimestamp(b.value, true, b.default, 'timestamp_local'); },
  timestamp_utc: (...a) => { const b = bind(a, ['value', 'default']); return fromTimestamp(b.value, false, b.default, 'timestamp_utc'); },
  as_local: (v) => { const d = toDateTime(v, false); return d ? asLocal(d) : v; },
};
