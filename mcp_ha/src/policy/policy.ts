// The service policy: may this call be made, and does it need a human's yes? Pure functions
// over the options and the target entities, so the rules are easy to read and to test.
import { AppError } from '../errors.js';
import type { HaState } from '../ha/schemas.js';
import type { ServiceCall } from '../ha/types.js';
import { SENSITIVE_SERVICES } from './defaults.js';

export interface PolicyOptions {
  readOnly: boolean;
  allowedServices: string[];
  blockedServices: string[];
  confirmServices: string[];
}

export type Decision =
  | { kind: 'allow' }
  | { kind: 'deny'; error: AppError }
  | { kind: 'confirm'; reason: string; /** The option that asks for it, when the user can change that. */ option?: string };

/** Cover classes whose opening lets people in. */
const ENTRY_COVER_CLASSES = ['garage', 'gate', 'door'];

/** The first pattern ("domain.service" or "domain.*") that names this service. */
export function matchService(patterns: readonly string[], service: string): string | undefined {
  const domain = service.slice(0, service.indexOf('.'));
  return patterns.find((p) => p === service || p === `${domain}.*`);
}

/** A refusal naming its rule and the add-on option that changes it (here they share a name). */
function refusal(code: 'policy_denied' | 'read_only', rule: string, message: string, suggestion: string): AppError {
  return new AppError(code, message, suggestion, { details: { rule, option: rule } });
}

function deny(rule: string, message: string, suggestion: string): Decision {
  return { kind: 'deny', error: refusal('policy_denied', rule, message, suggestion) };
}

/** read_only refuses every write; checked before anything else so the answer is always the same. */
export function readOnlyDenial(): AppError {
  return refusal('read_only', 'read_only', 'The add-on is in read-only mode: every write is refused.', 'Set read_only to false in the add-on options to allow writes.');
}

/** Why opening this entity needs confirmation, if it does. */
function opensEntry(service: string, state: HaState, data: Record<string, unknown>): string | undefined {
  if (!state.entity_id.startsWith('cover.')) return undefined;
  const cls = state.attributes.device_class;
  if (typeof cls !== 'string' || !ENTRY_COVER_CLASSES.includes(cls)) return undefined;
  const current = typeof state.attributes.current_position === 'number' ? state.attributes.current_position : state.state === 'open' ? 100 : 0;
  const opening =
    service === 'cover.open_cover' ||
    (service === 'cover.set_cover_position' && Number(data.position) > current) ||
    ((service === 'cover.toggle' || service === 'homeassistant.toggle') && state.state !== 'open' && state.state !== 'opening') ||
    service === 'homeassistant.turn_on';
  return opening ? `${service} opens ${state.entity_id} (a ${cls} cover)` : undefined;
}

/**
 * Decision order: blocked_services, then allowed_services, then confirmation (built-in sensitive
 * services, entry covers opening, confirm_services). read_only is checked by the gate first.
 */
export function decide(call: ServiceCall, entities: readonly HaState[], opts: PolicyOptions): Decision {
  const service = `${call.domain}.${call.service}`;
  const blocked = matchService(opts.blockedServices, service);
  if (blocked) {
    return deny('blocked_services', `${service} is blocked by "${blocked}" in blocked_services.`, `Remove "${blocked}" from blocked_services in the add-on options to allow it.`);
  }
  if (!matchService(opts.allowedServices, service)) {
    const sensitive = SENSITIVE_SERVICES.includes(service) ? ' It will still ask for confirmation.' : '';
    return deny(
      'allowed_services',
      `${service} is not in allowed_services.`,
      `Add "${service}" (or "${call.domain}.*") to allowed_services in the add-on options to allow it.${sensitive}`,
    );
  }
  if (SENSITIVE_SERVICES.includes(service)) return { kind: 'confirm', reason: `${service} is a sensitive service` };
  for (const state of entities) {
    const reason = opensEntry(service, state, call.service_data ?? {});
    if (reason) return { kind: 'confirm', reason };
  }
  const listed = matchService(opts.confirmServices, service);
  if (listed) return { kind: 'confirm', reason: `"${listed}" is in confirm_services`, option: 'confirm_services' };
  return { kind: 'allow' };
}

/**
 * The same order for writes that are not service calls (config edits), named by a pseudo-service
 * such as "config.automation_delete": blocked_services, allowed_services, then confirmation
 * (`confirmReason` when the write always needs it, e.g. a delete; else confirm_services).
 */
export function decideCommand(service: string, opts: PolicyOptions, confirmReason?: string): Decision {
  const blocked = matchService(opts.blockedServices, service);
  if (blocked) {
    return deny('blocked_services', `${service} is blocked by "${blocked}" in blocked_services.`, `Remove "${blocked}" from blocked_services in the add-on options to allow it.`);
  }
  const domain = service.slice(0, service.indexOf('.'));
  if (!matchService(opts.allowedServices, service)) {
    return deny('allowed_services', `${service} is not in allowed_services.`, `Add "${service}" (or "${domain}.*") to allowed_services in the add-on options to allow it.`);
  }
  if (confirmReason) return { kind: 'confirm', reason: confirmReason };
  const listed = matchService(opts.confirmServices, service);
  if (listed) return { kind: 'confirm', reason: `"${listed}" is in confirm_services`, option: 'confirm_services' };
  return { kind: 'allow' };
}
