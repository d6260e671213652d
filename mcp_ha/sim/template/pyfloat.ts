// Python keeps int and float apart and prints floats with a decimal point ("5.0"); JavaScript
// has one number type. Values that are floats in Python (results of `/`, `| float`,
// `| round(1)`, `as_timestamp`, …) are boxed in PyFloat so they print and compare as in HA.

export class PyFloat {
  constructor(readonly v: number) {}
  valueOf(): number {
    return this.v;
  }
  toString(): string {
    return floatRepr(this.v);
  }
}

/** Python's repr() of a float. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  const s = String(n);
  // Python writes exponents with two digits at least ("1e-05", "1e+16").
  if (/e/.test(s)) return s.replace(/e([+-])(\d)$/, 'e$10$2').replace(/^(-?\d+)e/, '$1e');
  return Math.abs(n) >= 1e16 ? n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

/** A number or a PyFloat as a plain number; undefined for anything else. */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.v;
  return undefined;
}

export const pyFloat = (n: number) => new PyFloat(n);
