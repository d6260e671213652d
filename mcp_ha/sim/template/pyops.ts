// Python semantics for operators: truthiness, equality, ordering, arithmetic and `in`,
// with the exceptions Python raises (ZeroDivisionError, TypeError) in its own words.
import { PyDateTime, PyTimedelta } from './datetime.js';
import { PyError, typeError, undefinedError } from './errors.js';
import { DomainStates, TemplateState } from './states.js';
import { PyFloat } from './pyfloat.js';

const MAX_SEQUENCE = 10_000_000;

export function pyType(v: unknown): string {
  if (v === null) return 'NoneType';
  if (v === undefined) return 'Undefined';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyDateTime) return 'datetime.datetime';
  if (v instanceof PyTimedelta) return 'datetime.timedelta';
  if (v instanceof TemplateState) return 'TemplateState';
  if (typeof v === 'function') return 'function';
  return 'dict';
}

export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyTimedelta) return v.micros !== 0;
  if (v instanceof PyFloat) return v.v !== 0;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.keys(v).length > 0;
  return Boolean(v);
}

const isNum = (v: unknown): v is number | boolean | PyFloat => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
const isFloat = (v: unknown) => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));

/** The result of an arithmetic operation: a float when an operand is one (or `always`). */
function num(n: number, a: unknown, b: unknown, always = false): number | PyFloat {
  return always || isFloat(a) || isFloat(b) ? new PyFloat(n) : n;
}

export function pyEquals(a: unknown, b: unknown): boolean {
  if (isNum(a) && isNum(b)) return Number(a) === Number(b);
  if (a instanceof PyDateTime && b instanceof PyDateTime) return a.micros === b.micros;
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return a.micros === b.micros;
  if (a instanceof TemplateState && b instanceof TemplateState) return a.raw === b.raw;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && Object.getPrototypeOf(a) === Object.prototype && Object.getPrototypeOf(b) === Object.prototype) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function ordered(a: unknown, b: unknown, op: string): [number | string, number | string] {
  if (isNum(a) && isNum(b)) return [Number(a), Number(b)];
  if (typeof a === 'string' && typeof b === 'string') return [a, b];
  if ((a instanceof PyDateTime && b instanceof PyDateTime) || (a instanceof PyTimedelta && b instanceof PyTimedelta)) return [a.micros, b.micros];
  throw typeError(`'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`);
}

function compareOnce(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==': case '===': return pyEquals(a, b);
    case '!=': case '!==': return !pyEquals(a, b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (!pyEquals(a[i], b[i])) return compareOnce(a[i], op, b[i]);
    return compareOnce(a.length, op, b.length);
  }
  const [x, y] = ordered(a, b, op);
  switch (op) {
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    default: return x >= y;
  }
}

/** Chained comparison `a < b <= c` as Python evaluates it. Arguments: a, op, b, op, c, … */
export function compare(...parts: unknown[]): boolean {
  for (let i = 1; i < parts.length; i += 2) {
    if (!compareOnce(parts[i - 1], parts[i] as string, parts[i + 1])) return false;
  }
  return true;
}

function unsupported(op: string, a: unknown, b: unknown): PyError {
  return typeError(`unsupported operand type(s) for ${op}: '${pyType(a)}' and '${pyType(b)}'`);
}

function checkDefined(a: unknown, b: unknown, names: string[]): void {
  if (a === undefined) throw undefinedError(`'${names[0] ?? 'value'}' is undefined`);
  if (b === undefined) throw undefinedError(`'${names[1] ?? 'value'}' is undefined`);
}

export function add(a: unknown, b: unknown, ...names: string[]): unknown {
  checkDefined(a, b, names);
  if (isNum(a) && isNum(b)) return num(Number(a) + Number(b), a, b);
  if (typeof a === 'string') {
    if (typeof b === 'string') return a + b;
    throw typeError(`can only concatenate str (not "${pyType(b)}") to str`);
  }
  if (Array.isArray(a)) {
    if (Array.isArray(b)) return [...a, ...b];
    throw typeError(`can only concatenate list (not "${pyType(b)}") to list`);
  }
  if (a instanceof PyDateTime && b instanceof PyTimedelta) return new PyDateTime(a.micros + b.micros, a.offset, a.naive);
  if (a instanceof PyTimedelta && b instanceof PyDateTime) return new PyDateTime(b.micros + a.micros, b.offset, b.naive);
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return new PyTimedelta(a.micros + b.micros);
  throw unsupported('+', a, b);
}

export function sub(a: unknown, b: unknown, ...names: string[]): unknown {
  checkDefined(a, b, names);
  if (isNum(a) && isNum(b)) return num(Number(a) - Number(b), a, b);
  if (a instanceof PyDateTime && b instanceof PyDateTime) return new PyTimedelta(a.micros - b.micros);
  if (a instanceof PyDateTime && b instanceof PyTimedelta) return new PyDateTime(a.micros - b.micros, a.offset, a.naive);
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return new PyTimedelta(a.micros - b.micros);
  throw unsupported('-', a, b);
}

export function mul(a: unknown, b: unknown, ...names: string[]): unknown {
  checkDefined(a, b, names);
  if (isNum(a) && isNum(b)) return num(Number(a) * Number(b), a, b);
  const [seq, n] = typeof b === 'string' || Array.isArray(b) ? [b, a] : [a, b];
  if ((typeof seq === 'string' || Array.isArray(seq)) && Number.isInteger(n)) {
    const count = Math.max(0, Number(n));
    if (seq.length * count > MAX_SEQUENCE) throw new PyError('MemoryError', '');
    return typeof seq === 'string' ? seq.repeat(count) : Array.from({ length: count }, () => seq).flat();
  }
  if (a instanceof PyTimedelta && isNum(b)) return new PyTimedelta(Math.round(a.micros * Number(b)));
  throw unsupported('*', a, b);
}

export function div(a: unknown, b: unknown, ...names: string[]): unknown {
  checkDefined(a, b, names);
  if (isNum(a) && isNum(b)) {
    if (Number(b) === 0) throw new PyError('ZeroDivisionError', 'division by zero');
    return new PyFloat(Number(a) / Number(b));
  }
  if (a instanceof PyTimedelta && isNum(b)) return new PyTimedelta(Math.round(a.micros / Number(b)));
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return a.micros / b.micros;
  throw unsupported('/', a, b);
}

export function floordiv(a: unknown, b: unknown, ...names: string[]): unknown {
  checkDefined(a, b, names);
  if (isNum(a) && isNum(b)) {
    if (Number(b) === 0) {
      throw new PyError('ZeroDivisionError', isFloat(a) || isFloat(b) ? 'float floor division by zero' : 'integer division or modulo by zero');
    }
    return num(Math.floor(Number(a) / Number(b)), a, b);
  }
  throw unsupported('//', a, b);
}

export function mod(a: unknown, b: unknown, ...names: string[]): unknown {
  checkDefined(a, b, names);
  if (typeof a === 'string') return percentFormat(a, Array.isArray(b) ? b : [b]);
  if (isNum(a) && isNum(b)) {
    const x = Number(a);
    const y = Number(b);
    if (y === 0) throw new PyError('ZeroDivisionError', isFloat(a) || isFloat(b) ? 'float modulo by zero' : 'integer modulo by zero');
    return num(x - Math.floor(x / y) * y, a, b);
  }
  throw unsupported('%', a, b);
}

export function pow(a: unknown, b: unknown, ...names: string[]): unknown {
  checkDefined(a, b, names);
  if (isNum(a) && isNum(b)) {
    if (Number(a) === 0 && Number(b) < 0) throw new PyError('ZeroDivisionError', 'zero to a negative power');
    return num(Number(a) ** Number(b), a, b, Number(b) < 0);
  }
  throw unsupported('** or pow()', a, b);
}

export function neg(a: unknown, ...names: string[]): unknown {
  if (a === undefined) throw undefinedError(`'${names[0] ?? 'value'}' is undefined`);
  if (isNum(a)) return num(-Number(a), a, 0);
  if (a instanceof PyTimedelta) return new PyTimedelta(-a.micros);
  throw typeError(`bad operand type for unary -: '${pyType(a)}'`);
}

/** `'%.1f' % x` and `'%s: %d' | format(a, b)`: printf-style formatting as Python does it. */
export function percentFormat(fmt: string, args: unknown[]): string {
  let i = 0;
  return fmt.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdifreEgGxXo%])/g, (_m, flags: string, width: string, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const v = args[i++];
    let out: string;
    switch (conv) {
      case 'd': case 'i': out = String(Math.trunc(Number(v))); break;
      case 'f': out = Number(v).toFixed(prec === undefined ? 6 : Number(prec)); break;
      case 'e': case 'E': out = Number(v).toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2'); break;
      case 'g': case 'G': out = String(Number(Number(v).toPrecision(prec === undefined ? 6 : Number(prec) || 1))); break;
      case 'x': out = Math.trunc(Number(v)).toString(16); break;
      case 'X': out = Math.trunc(Number(v)).toString(16).toUpperCase(); break;
      case 'o': out = Math.trunc(Number(v)).toString(8); break;
      default: out = typeof v === 'string' ? v : String(v ?? 'None');
    }
    if (conv === 'E') out = out.toUpperCase();
    if (flags.includes('+') && /^[0-9]/.test(out) && conv !== 's') out = `+${out}`;
    const w = Number(width || 0);
    if (out.length < w) out = flags.includes('-') ? out.padEnd(w) : flags.includes('0') && conv !== 's' ? out.padStart(w, '0') : out.padStart(w);
    return out;
  });
}

/** Python's `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${pyType(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (container instanceof DomainStates) return typeof item === 'string' && [...container].some((s) => s.entity_id === item);
  if (container === undefined) return false;
  if (container === null || typeof container !== 'object') throw typeError(`argument of type '${pyType(container)}' is not iterable`);
  return typeof item === 'string' && Object.prototype.hasOwnProperty.call(container, item);
}
