// One running simulated Home Assistant: states, registries, services and the event bus.
// Everything protocol-specific (REST, WS) sits on top of this.
import type { HomeData, SimContext, SimState } from '../model.js';
import { EventBus } from './bus.js';
import { newContext } from './context.js';
import { BEHAVIOURS } from './domains/index.js';
import { scriptService } from './domains/automation.js';
import type { EntityCall } from './domains/types.js';
import { InvalidData, ServiceNotFound, ServiceValidationError } from './errors.js';
import { Helpers } from './helpers.js';
import { Lovelace } from './lovelace.js';
import { Registries } from './registries.js';
import { SystemState } from './system.js';
import { TraceStore } from './traces.js';
import { domainOf, StateStore, validEntityId } from './store.js';
import { TARGET_KEYS, validateServiceData } from './validate.js';
import { pyRepr } from '../util/pyrepr.js';

export interface ServiceCallRequest {
  domain: string;
  service: string;
  /** service_data (may hold entity_id and other target keys). */
  data?: Record<string, unknown>;
  /** WS `target`; merged into the data like HA does. */
  target?: Record<string, unknown>;
  returnResponse?: boolean;
  context?: SimContext;
  /** Where the target came from, for error paths ("data['target']['entity_id']"). */
  targetPath?: string;
  fromScript?: boolean;
}

export interface ServiceCallResult {
  context: SimContext;
  response?: unknown;
  /** States this call changed (REST returns them). */
  changed: SimState[];
}

const DOMAINS_WITHOUT_RESPONSE_ENTITY_KEY = new Set<string>();

export class SimHome {
  readonly bus = new EventBus();
  readonly store: StateStore;
  readonly registries: Registries;
  /** Automation and script runs (trace/*). */
  readonly traces: TraceStore;
  /** Logs, notifications, repairs (system_log/list, GET /api/error_log, persistent_notification/*). */
  readonly system: SystemState;
  readonly helpers: Helpers;
  readonly lovelace: Lovelace;
  private memory = new Map<string, Record<string, unknown>>();
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** When this home "started" (generated statistics begin here): a day before the simulator started. */
  readonly startedAtMs = Date.now() - 86_400_000;

  constructor(readonly data: HomeData) {
    this.store = new StateStore(this.bus, data.states);
    this.registries = new Registries(data, this.bus);
    this.traces = new TraceStore(data.extras?.traces);
    this.system = new SystemState(data);
    this.helpers = new Helpers(this.store, this.registries);
    this.lovelace = new Lovelace(this.bus);
  }

  get services(): HomeData['services'] {
    return this.data.services;
  }

  /** Runs fn after ms unless the simulator has closed (cover travel, automations). */
  later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** hass.services.async_call, synchronously: validation, the call_service event, behaviours. */
  callService(req: ServiceCallRequest): ServiceCallResult {
    const { domain, service } = req;
    const description = this.services[domain]?.[service];
    if (!description) throw new ServiceNotFound(domain, service);
    const returnResponse = req.returnResponse === true;
    const response = description.response as { optional?: boolean } | undefined;
    if (returnResponse && !response) {
      throw new ServiceValidationError(
        "An action which does not return responses can't be called with return_response=True",
        'service_does_not_support_response',
        { return_response: 'return_response=True' },
        'homeassistant',
      );
    }
    if (!returnResponse && response && !response.optional) {
      throw new ServiceValidationError(
        'The action requires responses and must be called with return_response=True',
        'service_lacks_response_request',
        { return_response: 'return_response=True' },
        'homeassistant',
      );
    }
    const targetPath = req.targetPath ?? "data['target']";
    if (req.target) checkTarget(req.target, targetPath);
    const merged: Record<string, unknown> = { ...req.data, ...req.target };
    const data = validateServiceData(domain, description, merged, service);
    if ('entity_id' in data) checkTarget({ entity_id: data.entity_id }, 'data');

    const context = req.context ?? newContext();
    this.bus.fire('call_service', { domain, service, service_data: merged }, context);

    const changed = new Map<string, SimState>();
    const off = this.bus.listen((ev) => {
      if (ev.event_type === 'state_changed' && ev.context.id === context.id) {
        const d = ev.data as { entity_id: string; new_state: SimState | null };
        if (d.new_state) changed.set(d.entity_id, d.new_state);
      }
    });
    try {
      const result = this.dispatch(domain, service, description, data, context);
      return { context, response: returnResponse ? result : undefined, changed: [...changed.values()] };
    } finally {
      off();
    }
  }

  private dispatch(
    domain: string,
    service: string,
    description: Record<string, unknown>,
    data: Record<string, unknown>,
    context: SimContext,
  ): unknown {
    const behaviour = BEHAVIOURS[domain];
    if (!('target' in description)) {
      if (domain === 'script' && this.data.scriptConfigs[service]) return scriptService(service)({ domain, service, data, context, home: this });
      return behaviour?.domain?.[service]?.({ domain, service, data, context, home: this }) ?? null;
    }
    const { ids, explicit } = this.resolveTargets(domain, data);
    const serviceData: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) if (!TARGET_KEYS.includes(k)) serviceData[k] = v;
    const filters = ((description.target as { entity?: { supported_features?: number[] }[] } | undefined)?.entity ?? [])
      .flatMap((f) => f.supported_features ?? []);
    const responses: Record<string, unknown> = {};
    for (const id of ids) {
      const state = this.store.get(id);
      if (!state) continue;
      if (filters.length && explicit.has(id)) {
        const sf = Number(state.attributes.supported_features ?? 0);
        if (!filters.some((f) => (sf & f) === f)) {
          throw new ServiceValidationError(
            `Entity ${id} does not support action ${domain}.${service}`,
            'service_not_supported',
            { domain, service, entity_id: id },
            'homeassistant',
          );
        }
      }
      const entityDomain = domainOf(id);
      // homeassistant.turn_on/off/toggle forward to the entity's own domain.
      const handlerDomain = domain === 'homeassistant' ? entityDomain : domain;
      const handler = BEHAVIOURS[handlerDomain]?.entity?.[service];
      if (!handler) continue;
      const call = this.entityCall(handlerDomain, service, id, state, serviceData, context);
      const r = handler(call);
      if (r !== undefined) responses[id] = r;
    }
    return DOMAINS_WITHOUT_RESPONSE_ENTITY_KEY.has(domain) ? null : responses;
  }

  private entityCall(domain: string, service: string, entityId: string, state: SimState, data: Record<string, unknown>, context: SimContext): EntityCall {
    let memory = this.memory.get(entityId);
    if (!memory) this.memory.set(entityId, (memory = {}));
    const call: EntityCall = {
      domain,
      service,
      entityId,
      state,
      data,
      context,
      home: this,
      memory,
      update: (next, attrs, remove) => {
        const cur = this.store.get(entityId) ?? call.state;
        const attributes = { ...cur.attributes, ...attrs };
        for (const k of remove ?? []) delete attributes[k];
        call.state = this.store.set(entityId, next ?? cur.state, attributes, { context }).state;
      },
    };
    return call;
  }

  /** Entity ids a call targets: entity_id (or "all"), devices, areas, floors and labels. */
  resolveTargets(domain: string, data: Record<string, unknown>): { ids: string[]; explicit: Set<string> } {
    const list = (v: unknown): string[] =>
      v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter(Boolean);
    const inDomain = (id: string): boolean => domain === 'homeassistant' || domainOf(id) === domain;
    const explicit = new Set<string>();
    const out = new Set<string>();
    const entityIds = list(data.entity_id);
    if (entityIds.length === 1 && entityIds[0] === 'all') {
      for (const id of this.store.ids()) if (inDomain(id)) out.add(id);
    } else {
      for (const id of entityIds) {
        if (!inDomain(id)) continue;
        explicit.add(id);
        out.add(id);
      }
    }
    const add = (ids: string[]): void => {
      for (const id of ids) if (inDomain(id)) out.add(id);
    };
    for (const d of list(data.device_id)) add(this.registries.entitiesOfDevice(d));
    for (const a of list(data.area_id)) add(this.registries.entitiesInArea(a));
    for (const f of list(data.floor_id)) {
      for (const [areaId, area] of this.registries.areas) if (area.floor_id === f) add(this.registries.entitiesInArea(areaId));
    }
    for (const l of list(data.label_id)) add(this.registries.entitiesWithLabel(l));
    return { ids: [...out], explicit };
  }

  /** Context for a caller (the user id of the token's user). */
  context(userId: string | null): SimContext {
    return newContext(userId);
  }
}

/** cv.ENTITY_SERVICE_FIELDS: entity_id must be valid ids (or "all"). */
function checkTarget(target: Record<string, unknown>, path: string): void {
  const v = target.entity_id;
  if (v === undefined || v === null) return;
  const ids = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',').map((s) => s.trim()) : null;
  if (!ids) throw new InvalidData(`not a valid value for dictionary value @ ${path}['entity_id']. Got ${pyRepr(v)}`);
  if (ids.length === 1 && ids[0] === 'all') return;
  for (const id of ids) {
    if (typeof id !== 'string' || !validEntityId(id)) {
      throw new InvalidData(`not a valid value for dictionary value @ ${path}['entity_id']. Got ${pyRepr(v)}`);
    }
  }
}
