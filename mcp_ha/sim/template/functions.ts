// Home Assistant's template globals. Most are also filters (`'sensor.x' | state_attr('unit')`),
// so each takes its subject as the first argument.
import { bind, MISSING, opt, splitArgs } from './args.js';
import { asDatetime, asLocal, asTimestamp, boolOr, floatOr, intOr, nowLocal, roundOr, toDateTime, toFloat } from './convert.js';
import { humanDelta, PyDateTime, PyTimedelta } from './datetime.js';
import { PyError, typeError } from './errors.js';
import { compare, pyEquals, pyType, truthy } from './pyops.js';
import { registryFor } from './registry.js';
import { makeStatesFn, Namespace, toList } from './runtime.js';
import { session } from './session.js';
import { numberOf, PyFloat } from './pyfloat.js';
import { stateOf, TemplateState } from './states.js';

type Fn = (...args: unknown[]) => unknown;

const MAX_RANGE = 100_000;

function entityIdOf(v: unknown): string {
  return v instanceof TemplateState ? v.entity_id : String(v);
}

const reg = () => registryFor(session(), session().env.home);

function stateValue(entityId: unknown): string | null {
  return stateOf(entityIdOf(entityId))?.raw.state ?? null;
}

function isState(entityId: unknown, state: unknown): boolean {
  const s = stateValue(entityId);
  if (s === null) return false;
  return Array.isArray(state) ? state.includes(s) : s === state;
}

function stateAttr(entityId: unknown, name: unknown): unknown {
  const st = stateOf(entityIdOf(entityId));
  return st ? (st.raw.attributes[String(name)] ?? null) : null;
}

function hasValue(entityId: unknown): boolean {
  const s = stateValue(entityId);
  return s !== null && s !== 'unknown' && s !== 'unavailable';
}

/** Entities, groups (anything with an `entity_id` list attribute) and lists, flattened and sorted. */
function expand(...args: unknown[]): TemplateState[] {
  const found = new Map<string, TemplateState>();
  const seen = new Set<string>();
  const queue = args.flatMap((a) => (Array.isArray(a) || (a && typeof a === 'object' && Symbol.iterator in a) ? toList(a) : [a]));
  while (queue.length) {
    const item = queue.shift();
    const id = entityIdOf(item);
    if (seen.has(id)) continue;
    seen.add(id);
    const st = stateOf(id);
    if (!st) continue;
    const members = st.raw.attributes.entity_id;
    if (Array.isArray(members)) queue.push(...members);
    else found.set(id, st);
  }
  return [...found.values()].sort((a, b) => (a.entity_id < b.entity_id ? -1 : 1));
}

function statesRender(entityId: string, kw: Record<string, unknown>): string {
  const st = stateOf(entityId);
  if (!st) return 'unknown';
  const unit = st.raw.attributes.unit_of_measurement;
  return kw.with_unit === true && unit ? `${st.raw.state} ${String(unit)}` : st.raw.state;
}

function numbers(args: unknown[]): unknown[] {
  return args.length === 1 ? toList(args[0]) : args;
}

function extremum(args: unknown[], pick: (a: unknown, b: unknown) => boolean, name: string): unknown {
  const { pos } = splitArgs(args);
  const items = numbers(pos);
  if (!items.length) throw new PyError('ValueError', `${name}() iterable argument is empty`);
  return items.reduce((best, x) => (pick(x, best) ? x : best));
}

function average(...args: unknown[]): unknown {
  const { pos, kw } = splitArgs(args);
  const values = numbers(pos).map((v) => toFloat(v));
  if (!values.length || values.some((v) => v === null)) {
    if ('default' in kw) return kw.default;
    throw new PyError('ValueError', `Template error: average got invalid input ${values.length ? 'value' : 'empty list'} when rendering template '${session().source}' but no default was specified`);
  }
  return new PyFloat((values as number[]).reduce((a, b) => a + b, 0) / values.length);
}

/** statistics.median: the middle item itself, or the mean of the two middle ones. */
function median(...args: unknown[]): unknown {
  const values = [...numbers(splitArgs(args).pos)].sort((a, b) => (compare(a, '<', b) ? -1 : compare(a, '>', b) ? 1 : 0));
  if (!values.length) throw new PyError('StatisticsError', 'no median for empty data');
  const mid = Math.floor(values.length / 2);
  return values.length % 2 ? values[mid] : new PyFloat((Number(values[mid - 1]) + Number(values[mid])) / 2);
}

function range(...args: unknown[]): number[] {
  const n = args.map((a) => {
    if (typeof a !== 'number' || !Number.isInteger(a)) throw typeError(`'${pyType(a)}' object cannot be interpreted as an integer`);
    return a;
  });
  const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
  if (step === 0) throw new PyError('ValueError', 'range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > MAX_RANGE) throw new PyError('OverflowError', `Range too big. The sandbox blocks ranges larger than MAX_RANGE (${MAX_RANGE}).`);
  return Array.from({ length: count }, (_v, i) => start + i * step);
}

function timedelta(...args: unknown[]): PyTimedelta {
  const a = bind(args, ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks']);
  const n = (k: string) => Number(opt(a[k], 0));
  const secs = n('weeks') * 604_800 + n('days') * 86_400 + n('hours') * 3600 + n('minutes') * 60 + n('seconds');
  return new PyTimedelta(Math.round(secs * 1e6 + n('milliseconds') * 1000 + n('microseconds')));
}

function markTime(): void {
  session().time = true;
}

function since(value: unknown, future: boolean): unknown {
  markTime();
  const d = toDateTime(value, false);
  if (!d) return value;
  const delta = (nowLocal().micros - d.micros) / 1e6;
  const seconds = future ? -delta : delta;
  return seconds <= 0 ? (future ? '0 seconds' : value) : humanDelta(seconds);
}

function todayAt(time: unknown = '00:00'): PyDateTime {
  markTime();
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(String(time));
  if (!m) throw new PyError('ValueError', `could not convert str to datetime: '${String(time)}'`);
  return nowLocal().replace({ hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3] ?? 0), microsecond: 0 });
}

function strptime(value: unknown, fmt: unknown, dflt: unknown = MISSING): unknown {
  const codes: Record<string, string> = { Y: '(\\d{4})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})', f: '(\\d{1,6})', z: '([+-]\\d{2}:?\\d{2}|Z)' };
  const order: string[] = [];
  const re = String(fmt).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%([YmdHMSfz])/g, (_m, c: string) => (order.push(c), codes[c]!));
  const m = new RegExp(`^${re}$`).exec(String(value));
  if (!m) {
    if (dflt !== MISSING) return dflt;
    throw new PyError('ValueError', `Template error: strptime got invalid input '${String(value)}' when rendering template '${session().source}' but no default was specified`);
  }
  const f: Record<string, string> = {};
  order.forEach((c, i) => (f[c] = m[i + 1]!));
  const iso = `${f.Y ?? '1900'}-${(f.m ?? '1').padStart(2, '0')}-${(f.d ?? '1').padStart(2, '0')}T${(f.H ?? '0').padStart(2, '0')}:${(f.M ?? '0').padStart(2, '0')}:${(f.S ?? '0').padStart(2, '0')}${f.f ? `.${f.f}` : ''}${f.z ?? ''}`;
  return toDateTime(iso, false);
}

function iif(value: unknown, ifTrue: unknown = true, ifFalse: unknown = false, ifNone: unknown = false): unknown {
  if (value === null || value === undefined) return ifNone;
  return truthy(value) ? ifTrue : ifFalse;
}

const isNumber = (v: unknown) => {
  const n = numberOf(v);
  return n !== undefined ? Number.isFinite(n) : typeof v === 'string' && Number.isFinite(toFloat(v) ?? NaN);
};

function math(fn: (x: number) => number): Fn {
  return (...args) => {
    const a = bind(args, ['value', 'default']);
    const x = toFloat(a.value);
    if (x === null) return a.default === MISSING ? floatOr(a.value, MISSING) : a.default;
    return new PyFloat(fn(x));
  };
}

export const haFunctions: Record<string, Fn> = {
  is_state: isState,
  state_attr: stateAttr,
  is_state_attr: (e, name, value) => stateOf(entityIdOf(e)) !== null && pyEquals(stateAttr(e, name), value),
  has_value: hasValue,
  state_translated: (e) => stateValue(e) ?? 'unknown',
  expand,
  area_entities: (a) => reg().areaEntities(String(a)),
  area_devices: (a) => reg().areaDevices(String(a)),
  area_name: (a) => reg().areaName(entityIdOf(a)),
  area_id: (a) => reg().areaId(entityIdOf(a)),
  areas: () => reg().areaIds(),
  device_entities: (d) => reg().deviceEntities(String(d)),
  device_attr: (d, attr) => reg().deviceAttr(entityIdOf(d), String(attr)) ?? null,
  is_device_attr: (d, attr, value) => pyEquals(reg().deviceAttr(entityIdOf(d), String(attr)), value),
  device_id: (d) => reg().deviceId(entityIdOf(d)),
  device_name: (d) => {
    const name = reg().deviceAttr(entityIdOf(d), 'name_by_user');
    return name ?? reg().deviceAttr(entityIdOf(d), 'name') ?? null;
  },
  floors: () => reg().floorIds(),
  floor_id: (l) => reg().floorId(entityIdOf(l)),
  floor_name: (l) => reg().floorName(entityIdOf(l)),
  floor_areas: (l) => reg().floorAreas(String(l)),
  floor_entities: (l) => reg().floorEntities(String(l)),
  labels: (l) => reg().labelIds(l === undefined ? undefined : entityIdOf(l)),
  label_id: (l) => reg().labelId(String(l)),
  label_name: (l) => reg().labelName(String(l)),
  label_entities: (l) => reg().labelEntities(String(l)),
  label_devices: (l) => reg().labelDevices(String(l)),
  label_areas: (l) => reg().labelAreas(String(l)),
  integration_entities: (p) => reg().integrationEntities(String(p)),
  now: () => (markTime(), nowLocal()),
  utcnow: () => (markTime(), new PyDateTime(session().env.now().getTime() * 1000, 0)),
  today_at: todayAt,
  as_datetime: (...a) => { const b = bind(a, ['value', 'default']); return asDatetime(b.value, b.default); },
  as_timestamp: (...a) => { const b = bind(a, ['value', 'default']); return asTimestamp(b.value, b.default); },
  as_local: (v) => (v instanceof PyDateTime ? asLocal(v) : v),
  strptime,
  timedelta,
  relative_time: (v) => since(v, false),
  time_since: (v) => since(v, false),
  time_until: (v) => since(v, true),
  float: (...a) => { const b = bind(a, ['value', 'default']); return floatOr(b.value, b.default); },
  int: (...a) => { const b = bind(a, ['value', 'default', 'base']); return intOr(b.value, b.default, Number(opt(b.base, 10))); },
  bool: (...a) => { const b = bind(a, ['value', 'default']); return boolOr(b.value, b.default); },
  is_number: isNumber,
  round: (...a) => {
    const b = bind(a, ['value', 'precision', 'method', 'default']);
    return roundOr(b.value, Number(opt(b.precision, 0)), String(opt(b.method, 'common')), b.default);
  },
  iif,
  min: (...a) => extremum(a, (x, best) => compare(x, '<', best), 'min'),
  max: (...a) => extremum(a, (x, best) => compare(x, '>', best), 'max'),
  average,
  median,
  sqrt: math(Math.sqrt),
  sin: math(Math.sin),
  cos: math(Math.cos),
  tan: math(Math.tan),
  log: (...a) => {
    const b = bind(a, ['value', 'base', 'default']);
    const x = toFloat(b.value);
    if (x === null) return b.default === MISSING ? floatOr(b.value, MISSING) : b.default;
    return new PyFloat(b.base === MISSING ? Math.log(x) : Math.log(x) / Math.log(Number(b.base)));
  },
  namespace: (...a) => Object.assign(new Namespace(), splitArgs(a).kw, ...splitArgs(a).pos.filter((p) => p && typeof p === 'object')),
  range,
  dict: (...a) => ({ ...Object.assign({}, ...splitArgs(a).pos.filter((p) => p && typeof p === 'object')), ...splitArgs(a).kw }),
  zip: (...lists) => {
    const ls = lists.map(toList);
    const n = Math.min(...ls.map((l) => l.length));
    return Array.from({ length: n }, (_v, i) => ls.map((l) => l[i]));
  },
};

export const haConstants: Record<string, unknown> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI, inf: Infinity };

export const statesGlobal = makeStatesFn(statesRender);
