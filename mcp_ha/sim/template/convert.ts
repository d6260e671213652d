// HA's forgiving conversions (`| float(0)`, `| int`, `| round(1)`, `as_timestamp`, …): a default
// when given, otherwise HA's "got invalid input … but no default was specified" ValueError.
import { MISSING } from './args.js';
import { noDefault } from './errors.js';
import { parseDateTime, PyDateTime } from './datetime.js';
import { pyRepr } from './pystr.js';
import { localOffset, session } from './session.js';
import { numberOf, PyFloat } from './pyfloat.js';

const FLOAT_RE = /^[+-]?(?:(?:\d(?:_?\d)*)?(?:\.\d*)?(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

/** Python float(); null when it would raise. */
export function toFloat(v: unknown): number | null {
  const n = numberOf(v);
  if (n !== undefined) return n;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (!s || !FLOAT_RE.test(s) || /^[+-]?\.?$/.test(s)) return null;
  const lower = s.toLowerCase().replace(/_/g, '');
  if (lower.includes('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower.includes('nan')) return NaN;
  return Number(lower);
}

/** Jinja's int filter: int(value, base), else int(float(value)); null when both fail. */
function toInt(v: unknown, base = 10): number | null {
  if (typeof v === 'string' && base !== 10) {
    const n = parseInt(v.trim().replace(/^0[xob]/i, ''), base);
    return Number.isNaN(n) ? null : n;
  }
  const f = toFloat(v);
  return f === null || !Number.isFinite(f) ? null : Math.trunc(f);
}

function fail(fn: string, value: unknown, dflt: unknown): unknown {
  if (dflt === MISSING) throw noDefault(fn, value, session().source, pyRepr);
  return dflt;
}

export function floatOr(value: unknown, dflt: unknown): unknown {
  const f = toFloat(value);
  return f === null ? fail('float', value, dflt) : new PyFloat(f);
}

export function intOr(value: unknown, dflt: unknown, base = 10): unknown {
  return toInt(value, base) ?? fail('int', value, dflt);
}

const TRUE = new Set(['1', 'true', 'yes', 'on', 'enable']);
const FALSE = new Set(['0', 'false', 'no', 'off', 'disable']);

export function boolOr(value: unknown, dflt: unknown): unknown {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const s = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (s !== undefined && TRUE.has(s)) return true;
  if (s !== undefined && FALSE.has(s)) return false;
  return fail('bool', value, dflt);
}

/** Python round(): halves go to the even neighbour. */
function pyRound(x: number, digits: number): number {
  const m = x * 10 ** digits;
  let r = Math.round(m);
  if (Math.abs(m % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return r / 10 ** digits;
}

export function roundOr(value: unknown, precision: number, method: string, dflt: unknown): unknown {
  const f = toFloat(value);
  if (f === null) return fail('round', value, dflt);
  const p = 10 ** precision;
  let r: number;
  switch (method) {
    case 'floor': r = Math.floor(f * p) / p; break;
    case 'ceil': r = Math.ceil(f * p) / p; break;
    case 'half': r = pyRound(f * 2, precision) / 2; break;
    default: r = pyRound(f, precision);
  }
  // HA returns an int for precision 0 and a float otherwise.
  return precision === 0 ? r : new PyFloat(r);
}

/** A datetime, ISO string or epoch number as a PyDateTime; null when it is none of those. */
export function toDateTime(v: unknown, numbers = true): PyDateTime | null {
  if (v instanceof PyDateTime) return v;
  const n = numberOf(v);
  if (numbers && n !== undefined && Number.isFinite(n)) return new PyDateTime(Math.round(n * 1e6), 0);
  if (typeof v === 'string') {
    const asNumber = numbers ? toFloat(v) : null;
    if (asNumber !== null && Number.isFinite(asNumber)) return new PyDateTime(Math.round(asNumber * 1e6), 0);
    return parseDateTime(v, 0);
  }
  return null;
}

export function asTimestamp(value: unknown, dflt: unknown): unknown {
  const d = toDateTime(value, false);
  return d ? d.timestamp() : fail('as_timestamp', value, dflt);
}

export function asDatetime(value: unknown, dflt: unknown): unknown {
  return toDateTime(value) ?? fail('as_datetime', value, dflt);
}

export function asLocal(d: PyDateTime): PyDateTime {
  return new PyDateTime(d.micros, localOffset(d.micros / 1000));
}

export function nowLocal(): PyDateTime {
  const ms = session().env.now().getTime();
  return new PyDateTime(ms * 1000, localOffset(ms));
}

export function timestampCustom(value: unknown, fmt: string, local: boolean, dflt: unknown): unknown {
  const f = toFloat(value);
  if (f === null || !Number.isFinite(f)) return fail('timestamp_custom', value, dflt);
  const d = new PyDateTime(Math.round(f * 1e6), 0);
  return (local ? asLocal(d) : d).strftime(fmt);
}
