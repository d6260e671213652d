// Hostile values for fuzzing: wrong types, edges, huge and deeply nested values, unicode, NUL
// bytes, __proto__/constructor keys, traversal and template strings. Shared by scripts/stress
// and test/stress/fuzz-lite.test.ts.
import fc from 'fast-check';

export const TRAVERSAL = [
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%c0%af..%c0%afetc/passwd',
  '%c0%ae%c0%ae/etc/passwd',
  '....//....//etc/passwd',
  '/etc/passwd',
  'file:///etc/passwd',
  '/proc/self/environ',
  'hass://entity/../../etc/passwd',
  '\\\\server\\share',
];

export const NASTY = [
  '',
  ' ',
  '\u0000',
  'light.\u0000kitchen',
  'light.bed_light\u0000',
  '\r\n\r\n',
  'light.bed_light\n',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '🏠💡',
  'ｌｉｇｈｔ．ｂｅｄ',
  'LIGHT.BED_LIGHT',
  'light.',
  '.bed_light',
  'light..bed_light',
  'light.bed_light.x',
  '{{ 7*7 }}',
  "{{ states('sun.sun') }}",
  '{% for i in range(3) %}x{% endfor %}',
  '${7*7}',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '$(id)',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '%',
  '%ZZ',
  '%00',
  '*',
  ...TRAVERSAL,
];

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** An object with these own keys, `__proto__` included as a plain property (as JSON.parse makes it). */
export function own(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

export function deepObject(depth: number, leaf: unknown = 1, key = 'x'): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = own([[key, v]]);
  return v;
}

export function deepArray(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Raw JSON text nested `depth` deep (too deep for JSON.stringify in a client). */
export const deepJsonText = (depth: number, kind: 'object' | 'array' = 'object', leaf = '1'): string =>
  kind === 'object' ? '{"x":'.repeat(depth) + leaf + '}'.repeat(depth) : '['.repeat(depth) + leaf + ']'.repeat(depth);

const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

export const hugeString = fc
  .tuple(fc.constantFrom('light.', 'sensor.', '', 'x'), fc.constantFrom('a', 'é', '\u0000', '.', '_', '💡', '%'), fc.constantFrom(300, 1_000, 20_000, 65_537, 250_000))
  .map(([p, c, n]) => p + c.repeat(n));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: lone, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u001f', '\u007f', '\u2028', '\u2029'), maxLength: 8 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('light.', 'sensor.', 'switch.', 'hass://entity/'), fc.constantFrom(...NASTY)).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: hugeString },
);

export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 1e308, -1e308, 2 ** 31, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MIN_VALUE, 255, 256, 65_536, 1e-7, 4294967296),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '\u0000', '../x', 'entity_id', 'brightness', 'a.b', '$where', 'x'.repeat(5000)) },
);

/** Any hostile JSON value: scalars of every type, small nested containers, proto keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    edgeNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map(own),
  ),
})).value;

/** Values big in shape: deep (as deep as a client can still serialize), wide, long arrays. */
export const bigValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(100, 1_000, 2_000).map((d) => deepObject(d)),
  fc.constantFrom(100, 1_000, 2_000).map((d) => deepArray(d)),
  fc.constantFrom(1_000, 10_000).map((n) => own(Array.from({ length: n }, (_, i) => [`k${i}`, i] as [string, unknown]))),
  fc.constantFrom(1_000, 20_000).map((n) => Array.from({ length: n }, (_, i) => `light.x${i}`)),
  fc.constantFrom(100, 1_000).map((d) => deepObject(d, 1, '__proto__')),
);
