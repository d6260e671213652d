// A form generated from a tool's input JSON Schema (as tools/list publishes it): text, number,
// checkbox and select fields, lists as comma-separated text, anything else as JSON.
import { h } from './dom.js';

interface Prop {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Prop[];
  items?: Prop;
  description?: string;
  minimum?: number;
  maximum?: number;
}
interface Schema {
  properties?: Record<string, Prop>;
  required?: string[];
}

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'list' | 'json';

function kindOf(p: Prop): Kind {
  if (p.enum) return 'enum';
  const t = Array.isArray(p.type) ? p.type.find((x) => x !== 'null') : p.type;
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean') return t;
  if (t === 'array') return p.items && kindOf(p.items) === 'string' ? 'list' : 'json';
  if (!t && p.anyOf) {
    const simple = p.anyOf.map(kindOf);
    if (simple.includes('list')) return 'list';
    if (simple.every((k) => k === 'string')) return 'string';
  }
  return 'json';
}

export interface SchemaForm {
  element: HTMLElement;
  /** The arguments the fields hold; throws with a message naming the field when one is not valid. */
  values(): Record<string, unknown>;
}

export function schemaForm(idPrefix: string, schema: Schema, defaults: Record<string, unknown>): SchemaForm {
  const required = new Set(schema.required ?? []);
  const readers: [string, () => unknown][] = [];
  const fields = Object.entries(schema.properties ?? {}).map(([name, p]) => {
    const id = `${idPrefix}-${name}`;
    const kind = kindOf(p);
    const initial = defaults[name];
    const describedBy = p.description ? `${id}-hint` : undefined;
    let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (kind === 'boolean') {
      input = h('input', { id, type: 'checkbox', checked: initial === true, 'aria-describedby': describedBy });
      readers.push([name, () => ((input as HTMLInputElement).checked ? true : undefined)]);
    } else if (kind === 'enum') {
      input = h('select', { id, 'aria-describedby': describedBy }, h('option', { value: '' }, '(default)'), ...(p.enum ?? []).map((v) => h('option', { value: String(v), selected: v === initial }, String(v))));
      readers.push([name, () => input.value || undefined]);
    } else if (kind === 'json') {
      input = h('textarea', { id, rows: 3, spellcheck: 'false', 'aria-describedby': describedBy });
      input.value = initial === undefined ? '' : JSON.stringify(initial);
      readers.push([
        name,
        () => {
          if (!input.value.trim()) return undefined;
          try {
            return JSON.parse(input.value);
          } catch {
            throw new Error(`${name}: not valid JSON`);
          }
        },
      ]);
    } else {
      const numeric = kind === 'number' || kind === 'integer';
      input = h('input', { id, type: numeric ? 'number' : 'text', step: kind === 'integer' ? 1 : numeric ? 'any' : null, min: p.minimum, max: p.maximum, 'aria-describedby': describedBy, autocomplete: 'off' });
      input.value = initial === undefined ? '' : Array.isArray(initial) ? initial.join(', ') : String(initial);
      readers.push([
        name,
        () => {
          const v = input.value.trim();
          if (!v) return undefined;
          if (kind === 'list') return v.split(',').map((s) => s.trim()).filter(Boolean);
          return numeric ? Number(v) : v;
        },
      ]);
    }
    if (required.has(name)) input.setAttribute('required', '');
    const label = h('label', { for: id }, name, required.has(name) ? h('span', { class: 'req' }, ' (required)') : null, kind === 'list' ? h('span', { class: 'hint' }, ' (comma-separated)') : null);
    return h('div', { class: `field ${kind === 'boolean' ? 'check' : ''}` }, kind === 'boolean' ? [input, label] : [label, input], p.description ? h('p', { id: describedBy, class: 'hint' }, p.description) : null);
  });
  return {
    element: h('div', { class: 'fields' }, fields.length ? fields : h('p', { class: 'hint' }, 'This tool takes no arguments.')),
    values() {
      const out: Record<string, unknown> = {};
      for (const [name, read] of readers) {
        const v = read();
        if (v !== undefined) out[name] = v;
      }
      return out;
    },
  };
}
