// Checks a service field's value against its Home Assistant selector (the same description the
// UI uses to draw its form). Returns a problem in words, or undefined when the value fits.
type Selector = Record<string, unknown>;

const PREVIEW_CHARS = 60;

/**
 * A value as shown in a problem: JSON for a scalar (cut at PREVIEW_CHARS), a description for a
 * list or an object. Never recursive, so that no nesting or size of what a caller sent can make
 * a message expensive or overflow the stack.
 */
export function preview(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const shown = keys.slice(0, 5).map((k) => (k.length > 20 ? `${k.slice(0, 20)}…` : k));
    return keys.length ? `an object with ${shown.join(', ')}${keys.length > 5 ? ', …' : ''}` : 'an empty object';
  }
  const text = typeof value === 'string' && value.length > PREVIEW_CHARS ? `${JSON.stringify(value.slice(0, PREVIEW_CHARS))}…` : JSON.stringify(value);
  return text ?? String(value);
}

const isNum = (v: unknown): boolean => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));

export function rangeProblem(value: unknown, min: unknown, max: unknown): string | undefined {
  if (!isNum(value)) return `expected a number, got ${preview(value)}`;
  const n = Number(value);
  const lo = typeof min === 'number' ? min : undefined;
  const hi = typeof max === 'number' ? max : undefined;
  if ((lo !== undefined && n < lo) || (hi !== undefined && n > hi)) return `${n} is out of range ${lo ?? '-∞'} to ${hi ?? '∞'}`;
  return undefined;
}

export function tupleProblem(value: unknown, ranges: readonly (readonly [number, number])[]): string | undefined {
  if (!Array.isArray(value) || value.length !== ranges.length) return `expected a list of ${ranges.length} numbers`;
  for (let i = 0; i < ranges.length; i++) {
    const [lo, hi] = ranges[i] as readonly [number, number];
    const p = rangeProblem(value[i], lo, hi);
    if (p) return `item ${i + 1}: ${p}`;
  }
  return undefined;
}

const optionValue = (o: unknown): unknown => (typeof o === 'object' && o !== null && 'value' in o ? (o as { value: unknown }).value : o);

export function oneOfProblem(value: unknown, options: unknown[]): string | undefined {
  const values = options.map(optionValue);
  return values.includes(value) ? undefined : `${preview(value)} is not one of ${values.map(preview).join(', ')}`;
}

const BYTE = [0, 255] as const;

/** Shapes of light colour fields, which Home Assistant describes only as "object". */
export const COLOUR_SHAPES: Record<string, readonly (readonly [number, number])[]> = {
  rgb_color: [BYTE, BYTE, BYTE],
  rgbw_color: [BYTE, BYTE, BYTE, BYTE],
  rgbww_color: [BYTE, BYTE, BYTE, BYTE, BYTE],
  hs_color: [[0, 360], [0, 100]],
  xy_color: [[0, 1], [0, 1]],
};


/** Problem with `value` under `selector`, or undefined. Unknown selector types accept anything. */
export function selectorProblem(value: unknown, selector: Selector | null | undefined): string | undefined {
  if (!selector) return undefined;
  const [type, cfgRaw] = Object.entries(selector)[0] ?? [];
  const cfg = (cfgRaw ?? {}) as Record<string, unknown>;
  const each = (check: (v: unknown) => string | undefined): string | undefined => {
    if (cfg.multiple === true && Array.isArray(value)) {
      for (const v of value) {
        const p = check(v);
        if (p) return p;
      }
      return undefined;
    }
    return check(value);
  };
  switch (type) {
    case 'number':
    case 'color_temp':
      return each((v) => rangeProblem(v, cfg.min, cfg.max));
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${preview(value)}`;
    case 'text':
      return each((v) => (typeof v === 'string' || typeof v === 'number' ? undefined : `expected text, got ${preview(v)}`));
    case 'select':
      if (cfg.custom_value === true || !Array.isArray(cfg.options)) return undefined;
      return each((v) => oneOfProblem(v, cfg.options as unknown[]));
    case 'color_rgb':
      return tupleProblem(value, COLOUR_SHAPES.rgb_color ?? []);
    case 'constant':
      return value === cfg.value ? undefined : `expected ${preview(cfg.value)}`;
    case 'entity':
      return each((v) => (typeof v === 'string' && /^[a-z0-9_]+\.[a-z0-9_]+$/.test(v) ? undefined : `expected an entity_id, got ${preview(v)}`));
    default:
      return undefined;
  }
}
