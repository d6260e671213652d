// render_template, subscribe_trigger, execute_script, validate_config, trace/*.
import type { SimState } from '../../model.js';
import type { StateChangedEvent } from '../../state/bus.js';
import { newContext } from '../../state/context.js';
import { ServiceNotFound } from '../../state/errors.js';
import { runSequence, SequenceFailure } from '../../state/script.js';
import { domainOf } from '../../state/store.js';
import { renderSync } from '../../template.js';
import type { TemplateOutcome } from '../../template/types.js';
import { parseTemplateResult } from '../../util/pyliteral.js';
import { pyRepr } from '../../util/pyrepr.js';
import { any, bool, dict, num, oneOf, str } from '../schema.js';
import { sendServiceError } from './errors.js';
import type { CommandTable } from './types.js';

const TRIGGER_PLATFORMS = new Set([
  'state', 'event', 'time', 'time_pattern', 'numeric_state', 'template', 'homeassistant', 'sun', 'zone', 'webhook',
  'mqtt', 'device', 'calendar', 'tag', 'geo_location', 'persistent_notification', 'conversation',
]);

/** HA's trigger normalisation: always a list, `trigger:` renamed back to `platform:`. */
function normaliseTriggers(raw: unknown): Record<string, unknown>[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((t) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((t ?? {}) as Record<string, unknown>)) out[k === 'trigger' ? 'platform' : k] = v;
    return out;
  });
}

function badTrigger(triggers: Record<string, unknown>[]): string | null {
  for (const t of triggers) if (!TRIGGER_PLATFORMS.has(String(t.platform))) return String(t.platform);
  return null;
}

/** vol.In(TRACE_DOMAINS). */
const traceDomain = oneOf(['automation', 'script']);

const listOf = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const matches = (want: unknown, value: string | undefined): boolean =>
  want === undefined || (value !== undefined && listOf(want).includes(value));

export const automationCommands: CommandTable = {
  render_template: {
    schema: {
      template: { required: true, check: str },
      entity_ids: { check: any },
      variables: { check: dict },
      timeout: { check: num },
      strict: { check: bool },
      report_errors: { check: bool },
    },
    handler: (conn, id, msg) => {
      const source = msg.template as string;
      const variables = msg.variables as Record<string, unknown> | undefined;
      const report = msg.report_errors === true;
      // HA only renders strictly when errors are reported (recorded: strict alone renders "").
      const options = { strict: report && msg.strict === true, timeout: msg.timeout as number | undefined };
      const first = renderSync(conn.home, source, variables, options);
      if (!first.ok && first.error.startsWith('Exceeded maximum execution time')) {
        return conn.error(id, 'template_error', first.error);
      }
      const errorEvent = (o: TemplateOutcome & { ok: false }): string => JSON.stringify({ error: o.error, level: 'ERROR' });
      const resultEvent = (o: TemplateOutcome & { ok: true }): string =>
        JSON.stringify({ result: parseTemplateResult(o.result), listeners: o.listeners });
      let last = first;
      // Re-render on changes the template listens to; send only when the result changed.
      const off = conn.home.bus.listen((ev) => {
        if (ev.event_type !== 'state_changed') return;
        const eid = (ev as StateChangedEvent).data.entity_id;
        if (!last.ok) return;
        const l = last.listeners;
        if (!(l.all || l.entities.includes(eid) || l.domains.includes(domainOf(eid)))) return;
        // HA re-renders from a callback after the change, so after the changing call's result.
        queueMicrotask(() => {
          const next = renderSync(conn.home, source, variables, options);
          if (next.ok && last.ok && next.result === last.result) return;
          last = next;
          if (next.ok) conn.eventIdFirst(id, resultEvent(next));
          else if (report) conn.eventIdFirst(id, errorEvent(next));
        });
      });
      conn.subscriptions.set(id, off);
      if (!first.ok) {
        // With report_errors HA sends the error twice: from its log hook, then from the render.
        if (report) conn.eventIdFirst(id, errorEvent(first));
        conn.result(id);
        if (report) conn.eventIdFirst(id, errorEvent(first));
        return;
      }
      conn.result(id);
      conn.eventIdFirst(id, resultEvent(first));
    },
  },

  subscribe_trigger: {
    schema: { trigger: { required: true, check: any }, variables: { check: dict } },
    handler: (conn, id, msg) => {
      const triggers = normaliseTriggers(msg.trigger);
      const bad = badTrigger(triggers);
      if (bad !== null) {
        return conn.error(id, 'invalid_format', `Invalid trigger '${bad}' specified. Got ${pyRepr({ id, type: msg.type, trigger: triggers })}`);
      }
      const off = conn.home.bus.listen((ev) => {
        triggers.forEach((t, idx) => {
          let trigger: Record<string, unknown> | null = null;
          if (t.platform === 'state' && ev.event_type === 'state_changed') {
            const { entity_id, old_state, new_state } = (ev as StateChangedEvent).data;
            if (!listOf(t.entity_id).includes(entity_id)) return;
            const attr = t.attribute as string | undefined;
            const value = (s: SimState | null): string | undefined => (s ? (attr ? JSON.stringify(s.attributes[attr]) : s.state) : undefined);
            if (!attr && old_state && new_state && old_state.state === new_state.state && t.to === undefined && t.from === undefined) return;
            if (attr && value(old_state) === value(new_state)) return;
            if (!matches(t.from, old_state?.state) || !matches(t.to, new_state?.state)) return;
            trigger = {
              id: String(t.id ?? idx),
              idx: String(idx),
              alias: t.alias ?? null,
              platform: 'state',
              entity_id,
              from_state: old_state,
              to_state: new_state,
              for: null,
              attribute: attr ?? null,
              description: `state of ${entity_id}`,
            };
          } else if (t.platform === 'event' && listOf(t.event_type).includes(ev.event_type)) {
            trigger = { id: String(t.id ?? idx), idx: String(idx), alias: t.alias ?? null, platform: 'event', event: ev, description: `event '${ev.event_type}'` };
          }
          if (!trigger) return;
          const frame = JSON.stringify({ variables: { trigger }, context: ev.context });
          // Trigger actions run after the change's own call finishes (after its result).
          queueMicrotask(() => conn.eventIdFirst(id, frame));
        });
      });
      conn.subscriptions.set(id, off);
      conn.result(id);
    },
  },

  execute_script: {
    schema: { sequence: { required: true, check: any }, variables: { check: dict } },
    handler: (conn, id, msg) => {
      const context = newContext(conn.user?.id ?? null);
      try {
        const res = runSequence(conn.home, msg.sequence, context, { ...(msg.variables as Record<string, unknown> | undefined) });
        conn.result(id, JSON.stringify({ context, response: res.response ?? null }));
      } catch (thrown) {
        const err = thrown instanceof SequenceFailure ? thrown.failure : thrown;
        if (err instanceof ServiceNotFound) {
          // Scripts word this one differently ("Action … not found", no "Validation error:").
          return conn.error(id, 'service_validation_error', `Action ${err.domain}.${err.service} not found`, {
            translation_key: 'service_not_found',
            translation_placeholders: { domain: err.domain, service: err.service },
            translation_domain: 'homeassistant',
          });
        }
        sendServiceError(conn, id, err, '');
      }
    },
  },

  validate_config: {
    schema: {
      triggers: { check: any },
      trigger: { check: any },
      conditions: { check: any },
      condition: { check: any },
      actions: { check: any },
      action: { check: any },
    },
    handler: (conn, id, msg) => {
      const out: Record<string, unknown> = {};
      for (const key of ['triggers', 'trigger', 'conditions', 'condition', 'actions', 'action']) {
        if (!(key in msg)) continue;
        let error: string | null = null;
        if (key.startsWith('trigger')) {
          const bad = badTrigger(normaliseTriggers(msg[key]));
          if (bad !== null) error = `Invalid trigger '${bad}' specified`;
        } else if (key.startsWith('action')) {
          const actions = Array.isArray(msg[key]) ? (msg[key] as Record<string, unknown>[]) : [msg[key] as Record<string, unknown>];
          for (const a of actions) {
            const name = a?.action ?? a?.service;
            if (typeof name === 'string' && name.includes('.')) {
              const [d, s] = name.split('.', 2) as [string, string];
              if (!conn.home.services[d]?.[s]) error = `Action ${name} not found`;
            }
          }
        }
        out[key] = { valid: error === null, error };
      }
      conn.result(id, JSON.stringify(out));
    },
  },

  'trace/list': {
    adminOnly: true,
    schema: { domain: { required: true, check: traceDomain }, item_id: { check: str } },
    handler: (conn, id, msg) => conn.result(id, JSON.stringify(conn.home.traces.list(msg.domain as string, msg.item_id as string | undefined))),
  },

  'trace/get': {
    adminOnly: true,
    schema: { domain: { required: true, check: traceDomain }, item_id: { required: true, check: str }, run_id: { required: true, check: str } },
    handler: (conn, id, msg) => {
      const full = conn.home.traces.get(msg.domain as string, msg.item_id as string, msg.run_id as string);
      if (!full) return conn.error(id, 'not_found', 'The trace could not be found');
      conn.result(id, JSON.stringify(full));
    },
  },

  'trace/contexts': {
    adminOnly: true,
    schema: { domain: { check: traceDomain }, item_id: { check: str } },
    handler: (conn, id, msg) => {
      // vol.Inclusive: domain and item_id come together or not at all.
      if ((msg.domain === undefined) !== (msg.item_id === undefined)) {
        return conn.error(id, 'invalid_format', "some but not all values in the same group of inclusion 'id' @ data[<id>]");
      }
      conn.result(id, JSON.stringify(conn.home.traces.contexts(msg.domain as string | undefined, msg.item_id as string | undefined)));
    },
  },
};
