// Python-style argument binding: nunjucks passes keyword arguments as a trailing object
// marked `__keywords`; HA functions accept most parameters either way.

export const MISSING: unique symbol = Symbol('missing');

function isKeywords(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && (v as { __keywords?: boolean }).__keywords === true;
}

/** Splits call arguments into positionals and keywords. */
export function splitArgs(args: unknown[]): { pos: unknown[]; kw: Record<string, unknown> } {
  const last = args.at(-1);
  if (!isKeywords(last)) return { pos: args, kw: {} };
  const { __keywords: _ignored, ...kw } = last;
  return { pos: args.slice(0, -1), kw };
}

/** Binds arguments to parameter names; unset parameters are MISSING. */
export function bind(args: unknown[], names: string[]): Record<string, unknown> {
  const { pos, kw } = splitArgs(args);
  const out: Record<string, unknown> = {};
  names.forEach((n, i) => {
    out[n] = i < pos.length ? pos[i] : n in kw ? kw[n] : MISSING;
  });
  return out;
}

/** The bound value, or `fallback` when the parameter was not given. */
export function opt<T>(v: unknown, fallback: T): T {
  return v === MISSING ? fallback : (v as T);
}
