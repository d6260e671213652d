// `states`, `states.light`, `states.light.kitchen` as Home Assistant exposes them to templates,
// recording what was read so the render's listeners match HA's (entities, domains, all).
import type { SimState } from '../model.js';
import { parseDateTime, PyDateTime } from './datetime.js';
import { localOffset, session } from './session.js';
import { pyStr } from './pystr.js';

/** Reading these from a state makes the template listen to that entity (HA's collectable set). */
const COLLECTED = new Set(['state', 'attributes', 'last_changed', 'last_updated', 'last_reported', 'context', 'domain', 'object_id', 'name', 'state_with_unit']);

function collectEntity(entityId: string): void {
  session().entities.add(entityId);
}

function toDateTime(iso: string): PyDateTime | null {
  return parseDateTime(iso, 0);
}

export class TemplateState {
  constructor(readonly raw: SimState) {}

  get entity_id(): string {
    return this.raw.entity_id;
  }

  /** An attribute as a template sees it; undefined when the state has no such field. */
  read(key: string): unknown {
    const s = this.raw;
    if (COLLECTED.has(key)) collectEntity(s.entity_id);
    const dot = s.entity_id.indexOf('.');
    switch (key) {
      case 'entity_id': return s.entity_id;
      case 'state': return s.state;
      case 'attributes': return s.attributes;
      case 'context': return s.context;
      case 'domain': return s.entity_id.slice(0, dot);
      case 'object_id': return s.entity_id.slice(dot + 1);
      case 'name': return (s.attributes.friendly_name as string | undefined) ?? s.entity_id.slice(dot + 1).replace(/_/g, ' ');
      case 'last_changed': case 'last_updated': case 'last_reported': return toDateTime(s[key]);
      case 'state_with_unit': {
        const unit = s.attributes.unit_of_measurement;
        return unit ? `${s.state} ${String(unit)}` : s.state;
      }
      default: return undefined;
    }
  }

  pyRepr(): string {
    const s = this.raw;
    const attrs = Object.entries(s.attributes).map(([k, v]) => `${k}=${pyStr(v)}`).join(', ');
    const changed = toDateTime(s.last_changed);
    const local = changed ? new PyDateTime(changed.micros, localOffset(changed.micros / 1000)).isoformat() : s.last_changed;
    return `<template TemplateState(<state ${s.entity_id}=${s.state}${attrs ? `; ${attrs}` : ''} @ ${local}>)>`;
  }
}

/** The state of an entity, recording the listener; null when it does not exist (like HA). */
export function stateOf(entityId: string): TemplateState | null {
  collectEntity(entityId);
  const st = session().env.getState(entityId);
  return st ? new TemplateState(st) : null;
}

export class DomainStates {
  constructor(readonly domain: string) {}

  lookup(objectId: string): TemplateState | null {
    return stateOf(`${this.domain}.${objectId}`);
  }

  *[Symbol.iterator](): Iterator<TemplateState> {
    session().domains.add(this.domain);
    const prefix = `${this.domain}.`;
    for (const st of session().env.states()) if (st.entity_id.startsWith(prefix)) yield new TemplateState(st);
  }

  pyRepr(): string {
    return `<template DomainStates('${this.domain}')>`;
  }
}

/** Iterating `states` itself listens to everything. */
export function* allStates(): Iterable<TemplateState> {
  session().all = true;
  for (const st of session().env.states()) yield new TemplateState(st);
}

export const VALID_DOMAIN = /^(?!.+__)(?!_)[\da-z_]+(?<!_)$/;
