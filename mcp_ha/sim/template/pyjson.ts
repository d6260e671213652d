// JSON as Python writes it: Jinja's `tojson` is json.dumps (", " / ": " separators, sorted
// keys, ASCII-only, HTML-safe); HA's `to_json` is orjson (compact, UTF-8).
import { PyDateTime, PyTimedelta } from './datetime.js';
import { typeError } from './errors.js';
import { pyType } from './pyops.js';
import { TemplateState } from './states.js';
import { PyFloat } from './pyfloat.js';

export interface JsonStyle {
  sortKeys: boolean;
  compact: boolean;
  ensureAscii: boolean;
  indent?: number;
}

function plain(v: unknown): unknown {
  if (v instanceof TemplateState) return { ...v.raw };
  if (v instanceof PyDateTime) return v.isoformat();
  return v;
}

function str(s: string, ascii: boolean): string {
  const j = JSON.stringify(s);
  return ascii ? j.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : j;
}

export function pyJsonDumps(value: unknown, style: JsonStyle): string {
  const item = style.compact ? ',' : ', ';
  const colon = style.compact ? ':' : ': ';
  const walk = (v: unknown, depth: number): string => {
    v = plain(v);
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (v instanceof PyFloat) return Number.isFinite(v.v) ? v.toString() : walk(v.v, depth);
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    if (typeof v === 'string') return str(v, style.ensureAscii);
    if (v instanceof PyTimedelta || typeof v === 'function') throw typeError(`Object of type ${pyType(v)} is not JSON serializable`);
    const nl = style.indent === undefined ? '' : `\n${' '.repeat(style.indent * (depth + 1))}`;
    const end = style.indent === undefined ? '' : `\n${' '.repeat(style.indent * depth)}`;
    const sep = style.indent === undefined ? item : ',';
    if (Array.isArray(v)) return v.length ? `[${nl}${v.map((x) => walk(x, depth + 1)).join(sep + nl)}${end}]` : '[]';
    let entries = Object.entries(v as Record<string, unknown>);
    if (style.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (!entries.length) return '{}';
    return `{${nl}${entries.map(([k, x]) => `${str(k, style.ensureAscii)}${colon}${walk(x, depth + 1)}`).join(sep + nl)}${end}}`;
  };
  return walk(value, 0);
}

/** Jinja's `tojson`: json.dumps(sort_keys=True) made safe for HTML. */
export function jinjaToJson(value: unknown, indent?: number): string {
  return pyJsonDumps(value, { sortKeys: true, compact: false, ensureAscii: true, indent })
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/'/g, '\\u0027');
}
