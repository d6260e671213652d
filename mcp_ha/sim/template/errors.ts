// Errors carry the Python exception name Home Assistant prints ("ZeroDivisionError: …").

export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly pyName = 'TemplateSyntaxError') {
    super(message);
  }
}

export class PyError extends Error {
  constructor(readonly pyName: string, message: string) {
    super(message);
  }
}

/** Thrown when a template exceeds its time or work budget. */
export class BudgetExceeded extends Error {}

export const undefinedError = (what: string) => new PyError('UndefinedError', what);
export const typeError = (message: string) => new PyError('TypeError', message);
const valueError = (message: string) => new PyError('ValueError', message);

/** HA's wording when a conversion filter gets bad input and no default. */
export function noDefault(fn: string, value: unknown, source: string, repr: (v: unknown) => string): PyError {
  return valueError(
    `Template error: ${fn} got invalid input ${repr(value)} when rendering template '${source}' but no default was specified`,
  );
}
