// Helpers and settable entities: input_number/select/text/datetime/button, number, select, text.
import { InvalidData, ServiceValidationError } from '../errors.js';
import { pyFloat } from '../../util/pyrepr.js';
import { isoNow } from '../../util/time.js';
import type { DomainBehaviour, EntityCall } from './types.js';

function setNumber(c: EntityCall, value: number): void {
  const a = c.state.attributes;
  const min = Number(a.min ?? 0);
  const max = Number(a.max ?? 100);
  if (value < min || value > max) {
    throw new InvalidData(`Invalid value for ${c.entityId}: ${pyFloat(value)} (range ${pyFloat(min)} - ${pyFloat(max)})`);
  }
  c.update(pyFloat(value));
}

function step(c: EntityCall, dir: 1 | -1): void {
  const a = c.state.attributes;
  const next = Number(c.state.state) + dir * Number(a.step ?? 1);
  if (next >= Number(a.min ?? 0) && next <= Number(a.max ?? 100)) c.update(pyFloat(next));
}

function options(c: EntityCall): string[] {
  return ((c.state.attributes.options as string[] | undefined) ?? []).map(String);
}

function selectOption(c: EntityCall, option: unknown, domain: string): void {
  const opts = options(c);
  if (!opts.includes(String(option))) {
    throw new ServiceValidationError(
      `Option ${String(option)} is not valid for entity ${c.entityId}, valid options are: ${opts.join(', ')}`,
      'not_valid_option',
      { entity_id: c.entityId, option: String(option), options: opts.join(', ') },
      domain,
    );
  }
  c.update(String(option));
}

function cycle(c: EntityCall, by: number, cyclic: boolean): void {
  const opts = options(c);
  if (!opts.length) return;
  let i = opts.indexOf(c.state.state) + by;
  if (cyclic) i = (i + opts.length) % opts.length;
  else i = Math.max(0, Math.min(opts.length - 1, i));
  c.update(opts[i]);
}

function setText(c: EntityCall, value: unknown): void {
  const s = String(value);
  const a = c.state.attributes;
  const min = Number(a.min ?? 0);
  const max = Number(a.max ?? 255);
  if (s.length < min || s.length > max) {
    throw new InvalidData(`Invalid value for ${c.entityId}: ${s} (length range ${min} - ${max})`);
  }
  if (typeof a.pattern === 'string' && a.pattern && !new RegExp(a.pattern).test(s)) {
    throw new InvalidData(`Invalid value for ${c.entityId}: ${s} (pattern ${a.pattern})`);
  }
  c.update(s);
}

export const inputNumber: DomainBehaviour = {
  entity: {
    set_value: (c) => setNumber(c, Number(c.data.value)),
    increment: (c) => step(c, 1),
    decrement: (c) => step(c, -1),
  },
  domain: { reload: () => undefined },
};

export const number: DomainBehaviour = {
  entity: {
    set_value: (c) => {
      const v = Number(c.data.value);
      const a = c.state.attributes;
      if (v < Number(a.min ?? 0) || v > Number(a.max ?? 100)) {
        throw new ServiceValidationError(
          `Value ${pyFloat(v)} for ${c.entityId} is outside valid range ${pyFloat(Number(a.min ?? 0))} - ${pyFloat(Number(a.max ?? 100))}`,
          'out_of_range',
          { value: pyFloat(v), entity_id: c.entityId, min_value: String(a.min ?? 0), max_value: String(a.max ?? 100) },
          'number',
        );
      }
      c.update(pyFloat(v));
    },
  },
};

const selectLike = (domain: string): DomainBehaviour => ({
  entity: {
    select_option: (c) => selectOption(c, c.data.option, domain),
    select_next: (c) => cycle(c, 1, c.data.cycle !== false),
    select_previous: (c) => cycle(c, -1, c.data.cycle !== false),
    select_first: (c) => c.update(options(c)[0]),
    select_last: (c) => c.update(options(c).at(-1)),
    set_options: (c) => {
      const opts = (c.data.options as unknown[]).map(String);
      c.update(opts.includes(c.state.state) ? c.state.state : opts[0], { options: opts });
    },
  },
  domain: { reload: () => undefined },
});

export const inputSelect = selectLike('input_select');
export const select = selectLike('select');

export const inputText: DomainBehaviour = {
  entity: { set_value: (c) => setText(c, c.data.value) },
  domain: { reload: () => undefined },
};

export const text: DomainBehaviour = { entity: { set_value: (c) => setText(c, c.data.value) } };

export const inputButton: DomainBehaviour = { entity: { press: (c) => c.update(isoNow()) } };
export const button: DomainBehaviour = { entity: { press: (c) => c.update(isoNow()) } };

export const inputDatetime: DomainBehaviour = {
  entity: {
    set_datetime: (c) => {
      const d = c.data;
      const v = d.datetime ?? (d.date && d.time ? `${String(d.date)} ${String(d.time)}` : (d.date ?? d.time ?? d.timestamp));
      c.update(String(v));
    },
  },
};
