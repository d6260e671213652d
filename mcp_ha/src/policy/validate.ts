// Validation before anything is sent: targets of the right domain that support the service,
// required fields present, no unknown fields, values within the selector's and the entity's limits.
import { distance } from 'fastest-levenshtein';
import { AppError } from '../errors.js';
import type { HaState, ServiceDescription, ServiceField, Services } from '../ha/schemas.js';
import type { ServiceCall } from '../ha/types.js';
import { entityProblem } from './entityRules.js';
import { COLOUR_SHAPES, selectorProblem, tupleProblem } from './selectors.js';
import { matchesDomain, matchesFilter, targetFilters } from './targets.js';

const TARGET_KEYS = ['entity_id', 'device_id', 'area_id', 'floor_id', 'label_id'];

/** Field name -> description, with Home Assistant's collapsible sections flattened. */
export function flatFields(desc: ServiceDescription): Map<string, ServiceField> {
  const out = new Map<string, ServiceField>();
  for (const [name, field] of Object.entries(desc.fields)) {
    if (field.fields && !field.selector) {
      for (const [sub, subField] of Object.entries(field.fields)) out.set(sub, subField as ServiceField);
    } else out.set(name, field);
  }
  return out;
}


/** Longer names are no typo of a field name; the edit distance would cost length x length. */
const MAX_FIELD_NAME = 64;

function closest(name: string, known: string[]): string | undefined {
  if (name.length > MAX_FIELD_NAME) return undefined;
  let best: { n: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(name, k);
    if (!best || d < best.d) best = { n: k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.n : undefined;
}

function invalid(service: string, rule: string, message: string, suggestion: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('validation_error', message, suggestion, { details: { rule, service, ...details } });
}

function domainOf(entityId: string): string {
  return entityId.slice(0, entityId.indexOf('.'));
}

/** A target of the wrong domain, or one that lacks the feature; names services that would fit. */
function checkTargets(call: ServiceCall, desc: ServiceDescription, entities: readonly HaState[], services: Services): void {
  const service = `${call.domain}.${call.service}`;
  const filters = targetFilters(desc);
  if (filters === undefined) {
    if (call.target && Object.keys(call.target).length && !flatFields(desc).has('entity_id')) {
      throw invalid(service, 'no_target', `${service} takes no target.`, 'Call it without entity_id or target.');
    }
    return;
  }
  if (!call.target || !Object.values(call.target).some((v) => v?.length)) {
    throw invalid(service, 'target_required', `${service} needs a target.`, 'Give entity_id (or target with area_id, device_id, floor_id or label_id).');
  }
  if (!entities.length) {
    throw invalid(service, 'target_empty', `The target of ${service} contains no entity that ${service} acts on.`, `Target ${call.domain} entities; ha_list_states with domain "${call.domain}" lists them.`);
  }
  for (const state of entities) {
    const domain = domainOf(state.entity_id);
    if (!matchesDomain(filters, state.entity_id)) {
      const same = services[domain]?.[call.service] ? `${domain}.${call.service}` : undefined;
      const hint = same
        ? `Use ${same} for ${state.entity_id}.`
        : `${domain} services: ${Object.keys(services[domain] ?? {}).sort().join(', ') || 'none'}.`;
      throw invalid(service, 'target_domain', `${state.entity_id} is a ${domain} entity; ${service} acts on ${call.domain} entities.`, hint, {
        entity_id: state.entity_id,
        suggested_service: same,
      });
    }
    if (!matchesFilter(filters, state)) {
      const fitting = Object.entries(services[domain] ?? {})
        .filter(([, d]) => {
          const f = targetFilters(d);
          return f !== undefined && matchesFilter(f, state);
        })
        .map(([s]) => `${domain}.${s}`);
      throw invalid(service, 'target_features', `${state.entity_id} does not support ${service}.`, fitting.length ? `It supports: ${fitting.join(', ')}.` : 'Check its supported_features.', {
        entity_id: state.entity_id,
      });
    }
  }
}

/** Problems with the service data, as "field: problem" strings. */
function fieldProblems(call: ServiceCall, desc: ServiceDescription, entities: readonly HaState[]): { field: string; problem: string }[] {
  const fields = flatFields(desc);
  const data = call.service_data ?? {};
  const problems: { field: string; problem: string }[] = [];
  for (const [name, value] of Object.entries(data)) {
    const field = fields.get(name);
    if (!field) {
      if (TARGET_KEYS.includes(name)) problems.push({ field: name, problem: 'belongs in target, not in service_data' });
      else {
        const near = closest(name, [...fields.keys()]);
        problems.push({ field: name, problem: `unknown field${near ? ` (did you mean ${near}?)` : ''}; known: ${[...fields.keys()].join(', ') || 'none'}` });
      }
      continue;
    }
    const shape = call.domain === 'light' ? COLOUR_SHAPES[name] : undefined;
    const p = shape ? tupleProblem(value, shape) : selectorProblem(value, field.selector);
    if (p) {
      problems.push({ field: name, problem: p });
      continue;
    }
    for (const state of entities) {
      const e = entityProblem(state, name, value);
      if (e) {
        problems.push({ field: name, problem: `${e} for ${state.entity_id}` });
        break;
      }
    }
  }
  for (const [name, field] of fields) {
    if (field.required && !(name in data)) problems.push({ field: name, problem: 'required field missing' });
  }
  return problems;
}

/** Throws validation_error when the call would be refused or misapplied by Home Assistant. */
export function validateCall(call: ServiceCall, desc: ServiceDescription, entities: readonly HaState[], services: Services): void {
  const service = `${call.domain}.${call.service}`;
  checkTargets(call, desc, entities, services);
  const problems = fieldProblems(call, desc, entities);
  if (!problems.length) return;
  const text = problems.slice(0, 5).map((p) => `${p.field}: ${p.problem}`).join('; ');
  throw invalid(service, 'service_data', `Invalid service data for ${service}: ${text}.`, `Fix the fields and call again; ha_list_services with domain "${call.domain}" and service "${call.service}" shows every field and its range.`, {
    problems: problems.slice(0, 5),
  });
}
