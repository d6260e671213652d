// Python's str() and repr() of template values: `{{ [1, 'a'] }}` prints "[1, 'a']",
// `{{ true }}` prints "True", `{{ none }}` prints "None".
import { PyDateTime, PyTimedelta } from './datetime.js';
import { PyFloat } from './pyfloat.js';
import { pyStr as quoted } from '../util/pyrepr.js';

/** Objects that print themselves the Python way. */
export interface PyPrintable {
  pyRepr(): string;
}

function isPrintable(v: unknown): v is PyPrintable {
  return typeof v === 'object' && v !== null && typeof (v as PyPrintable).pyRepr === 'function';
}

function num(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return String(n);
}

export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return num(v);
  if (v instanceof PyFloat) return v.toString();
  if (typeof v === 'string') return quoted(v);
  if (isPrintable(v)) return v.pyRepr();
  if (v instanceof PyDateTime) {
    const tz = v.naive ? '' : `, tzinfo=${v.offset === 0 ? 'datetime.timezone.utc' : `zoneinfo.ZoneInfo(key='${v.utcOffset()}')`}`;
    const us = v.microsecond ? `, ${v.microsecond}` : '';
    return `datetime.datetime(${v.year}, ${v.month}, ${v.day}, ${v.hour}, ${v.minute}, ${v.second}${us}${tz})`;
  }
  if (v instanceof PyTimedelta) return `datetime.timedelta(seconds=${v.total_seconds()})`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${quoted(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  return String(v);
}

export function pyStr(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v instanceof PyDateTime || v instanceof PyTimedelta) return v.toString();
  return pyRepr(v);
}
