// Service calls and templates. A user's token goes over REST to Core, so Home Assistant applies
// that user's permissions and logbook attribution. The service's own calls go over the WebSocket
// (precise errors), or over REST while the socket is down.
import { AppError } from '../errors.js';
import type { LiveCache } from './cache.js';
import { fromRestStatus, restMessage, unauthorized } from './errors.js';
import type { Rest } from './rest.js';
import type { HaState, ServiceDescription } from './schemas.js';
import type { HaSocket } from './socket.js';
import type { Credentials, ServiceCall, ServiceCallResult } from './types.js';

interface WsCallResult {
  context: { id: string; parent_id: string | null; user_id: string | null };
  response?: unknown;
}

/**
 * Collects state changes while WebSocket calls are in flight. Home Assistant sends a call's
 * state changes before its result, so everything the call changed is seen by then.
 */
class ChangeCollector {
  readonly #active = new Set<HaState[]>();

  constructor(cache: LiveCache) {
    cache.on('state', (_id: string, state: HaState | null) => {
      if (state) for (const list of this.#active) list.push(state);
    });
  }

  async during<T extends WsCallResult>(run: () => Promise<T>): Promise<{ result: T; changed: HaState[] }> {
    const seen: HaState[] = [];
    this.#active.add(seen);
    try {
      const result = await run();
      // REST semantics: the states this call's context changed, the last state per entity.
      const byEntity = new Map<string, HaState>();
      for (const s of seen) if (s.context.id === result.context.id) byEntity.set(s.entity_id, s);
      return { result, changed: [...byEntity.values()] };
    } finally {
      this.#active.delete(seen);
    }
  }
}

/** Field names, including those inside collapsible sections (a field with `fields` and no selector). */
function fieldNames(desc: ServiceDescription): string[] {
  return Object.entries(desc.fields).flatMap(([key, field]) => (field.fields && !field.selector ? Object.keys(field.fields) : [key]));
}

const name = (call: ServiceCall): string => `${call.domain}.${call.service}`;

function serviceNotFound(call: ServiceCall): AppError {
  return new AppError('service_not_found', `Service ${name(call)} not found.`, 'List the available services and use one of them.', {
    details: { domain: call.domain, service: call.service },
  });
}

export class ServiceCaller {
  readonly #collector: ChangeCollector;

  constructor(
    private readonly socket: HaSocket,
    private readonly rest: Rest,
    private readonly cache: LiveCache,
  ) {
    this.#collector = new ChangeCollector(cache);
  }

  call(call: ServiceCall, creds?: Credentials): Promise<ServiceCallResult> {
    if (creds?.token || !this.socket.connected) return this.#viaRest(call, creds);
    return this.#viaSocket(call);
  }

  async #viaSocket(call: ServiceCall): Promise<ServiceCallResult> {
    const msg: Record<string, unknown> = { type: 'call_service', domain: call.domain, service: call.service };
    if (call.target) msg.target = call.target;
    if (call.service_data) msg.service_data = call.service_data;
    if (call.return_response) msg.return_response = true;
    const { result, changed } = await this.#collector.during(() => this.socket.command<WsCallResult>(msg));
    const out: ServiceCallResult = { changed_states: changed, context: result.context };
    if (call.return_response) out.response = result.response;
    return out;
  }

  async #viaRest(call: ServiceCall, creds: Credentials | undefined): Promise<ServiceCallResult> {
    // REST takes the target keys at the top level of the body, next to the service data.
    const body: Record<string, unknown> = { ...call.service_data };
    for (const [k, v] of Object.entries(call.target ?? {})) if (v !== undefined) body[k] = v;
    const path = `/api/services/${encodeURIComponent(call.domain)}/${encodeURIComponent(call.service)}`;
    const res = await this.rest.request('POST', path, {
      body,
      creds,
      ...(call.return_response ? { query: { return_response: '' } } : {}),
    });
    if (res.status === 200) {
      if (call.return_response) {
        const b = res.body as { changed_states?: HaState[]; service_response?: unknown };
        return { changed_states: b.changed_states ?? [], response: b.service_response };
      }
      return { changed_states: Array.isArray(res.body) ? (res.body as HaState[]) : [] };
    }
    throw this.#restError(call, res.status, res.body);
  }

  #restError(call: ServiceCall, status: number, body: unknown): AppError {
    const json = typeof body === 'object' && body !== null;
    if (status === 401) return unauthorized();
    if (status === 400 && json) {
      // Home Assistant's own words, e.g. about return_response.
      return new AppError('validation_error', restMessage(body) ?? 'Bad request.', 'Fix the call as the message says and retry.');
    }
    if (status === 400) {
      // The plain "400: Bad Request" does not say whether the service or the data is wrong.
      const desc = this.cache.services[call.domain]?.[call.service];
      if (!desc && this.cache.ready) return serviceNotFound(call);
      return new AppError(
        'validation_error',
        `Home Assistant rejected the data for ${name(call)} (400 Bad Request): a field, a value or the target is not valid.`,
        "Check the fields, their types and ranges against the service's description, and the target ids.",
        { details: desc ? { fields: fieldNames(desc) } : {} },
      );
    }
    if (status === 500) {
      return new AppError(
        'ha_error',
        `Home Assistant failed to carry out ${name(call)} (500); its REST API does not say why.`,
        'Check that the entity supports this service and the values are in range; the Home Assistant log has the details.',
      );
    }
    return fromRestStatus(status, body, name(call));
  }

  async renderTemplate(template: string, variables: Record<string, unknown> | undefined, creds?: Credentials): Promise<string> {
    const res = await this.rest.request('POST', '/api/template', { body: variables ? { template, variables } : { template }, creds });
    if (res.status === 200) return typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    if (res.status === 400) {
      const message = restMessage(res.body) ?? 'Home Assistant could not render the template.';
      throw new AppError('template_error', message, 'Fix the template and retry.');
    }
    throw fromRestStatus(res.status, res.body, 'the template');
  }
}
