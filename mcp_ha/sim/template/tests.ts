// Jinja tests (`x is number`, `selectattr('state', 'eq', 'on')`) plus Home Assistant's own.
import { PyDateTime } from './datetime.js';
import { haFunctions } from './functions.js';
import { compare, contains, pyEquals, truthy } from './pyops.js';
import { toFloat } from './convert.js';
import { regexTest } from './regex.js';
import { numberOf, PyFloat } from './pyfloat.js';

type Test = (value: unknown, ...args: unknown[]) => boolean;

const isDict = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const cmp = (op: string): Test => (a, b) => compare(a, op, b);

export const templateTests: Record<string, Test> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  number: (v) => numberOf(v) !== undefined,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v)),
  string: (v) => typeof v === 'string',
  string_like: (v) => typeof v === 'string',
  mapping: isDict,
  list: Array.isArray,
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || (typeof v === 'object' && v !== null && !(v instanceof PyDateTime) && !(v instanceof PyFloat)),
  datetime: (v) => v instanceof PyDateTime,
  callable: (v) => typeof v === 'function',
  odd: (v) => Number(v) % 2 === 1,
  even: (v) => Number(v) % 2 === 0,
  divisibleby: (v, n) => Number(v) % Number(n) === 0,
  lower: (v) => typeof v === 'string' && v === v.toLowerCase(),
  upper: (v) => typeof v === 'string' && v === v.toUpperCase(),
  eq: (a, b) => pyEquals(a, b),
  equalto: (a, b) => pyEquals(a, b),
  '==': (a, b) => pyEquals(a, b),
  sameas: (a, b) => a === b,
  ne: (a, b) => !pyEquals(a, b),
  '!=': (a, b) => !pyEquals(a, b),
  lt: cmp('<'), '<': cmp('<'), lessthan: cmp('<'),
  le: cmp('<='), '<=': cmp('<='),
  gt: cmp('>'), '>': cmp('>'), greaterthan: cmp('>'),
  ge: cmp('>='), '>=': cmp('>='),
  in: (v, seq) => contains(seq, v),
  contains: (seq, v) => contains(seq, v),
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  is_number: (v) => Number.isFinite(numberOf(v) ?? (typeof v === 'string' ? (toFloat(v) ?? NaN) : NaN)),
  match: (v, pattern, ignorecase) => regexTest(v, pattern, ignorecase, true),
  search: (v, pattern, ignorecase) => regexTest(v, pattern, ignorecase, false),
  is_state: (e, s) => haFunctions.is_state!(e, s) as boolean,
  is_state_attr: (e, n, v) => haFunctions.is_state_attr!(e, n, v) as boolean,
  has_value: (e) => haFunctions.has_value!(e) as boolean,
  is_device_attr: (d, a, v) => haFunctions.is_device_attr!(d, a, v) as boolean,
};
