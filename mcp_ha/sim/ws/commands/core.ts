// Core commands: ping, features, states/config/services, events, entities, service calls.
import type { SimState } from '../../model.js';
import { eventJson, type StateChangedEvent } from '../../state/bus.js';
import { newContext } from '../../state/context.js';
import { compressedJson, stateDiff } from '../compressed.js';
import { any, bool, dict, str, strList } from '../schema.js';
import { sendServiceError } from './errors.js';
import type { CommandTable } from './types.js';

function initialEntities(states: Iterable<SimState>): string {
  const parts: string[] = [];
  for (const s of states) parts.push(`${JSON.stringify(s.entity_id)}:${compressedJson(s)}`);
  return `{"a":{${parts.join(',')}}}`;
}

const SUBSCRIBE_ALLOWLIST = new Set([
  'area_registry_updated', 'category_registry_updated', 'core_config_updated', 'device_registry_updated',
  'entity_registry_updated', 'floor_registry_updated', 'label_registry_updated', 'lovelace_updated', 'panels_updated',
  'persistent_notifications_updated', 'recorder_5min_statistics_generated', 'repairs_issue_registry_updated',
  'service_registered', 'service_removed', 'shopping_list_updated', 'state_changed', 'themes_updated', 'component_loaded',
]);

export const coreCommands: CommandTable = {
  ping: {
    handler: (conn, id) => conn.send(`{"id":${id},"type":"pong"}`),
  },

  supported_features: {
    schema: { features: { required: true, check: dict } },
    handler: (conn, id, msg) => {
      conn.setCoalesce(Boolean((msg.features as Record<string, unknown>).coalesce_messages));
      conn.result(id);
    },
  },

  get_states: {
    handler: (conn, id) => conn.result(id, conn.home.store.allStatesJson()),
  },

  get_config: {
    handler: (conn, id) => conn.result(id, JSON.stringify(conn.home.data.config)),
  },

  get_services: {
    handler: (conn, id) => conn.result(id, JSON.stringify(conn.home.services)),
  },

  subscribe_events: {
    schema: { event_type: { check: str } },
    handler: (conn, id, msg) => {
      const type = (msg.event_type as string | undefined) ?? '*';
      // Non-admin users may only follow HA's allowlisted events.
      if (!conn.user?.is_admin && !SUBSCRIBE_ALLOWLIST.has(type)) return conn.error(id, 'unauthorized', 'Unauthorized');
      const off = conn.home.bus.listen((ev) => {
        if (type === '*' || ev.event_type === type) conn.eventIdLast(id, eventJson(ev));
      });
      conn.subscriptions.set(id, off);
      conn.result(id);
    },
  },

  unsubscribe_events: {
    schema: { subscription: { required: true, check: (v) => (Number.isInteger(v) ? null : 'expected int for dictionary value') } },
    handler: (conn, id, msg) => {
      const sub = msg.subscription as number;
      const off = conn.subscriptions.get(sub);
      if (!off) return conn.error(id, 'not_found', 'Subscription not found.');
      off();
      conn.subscriptions.delete(sub);
      conn.result(id);
    },
  },

  subscribe_entities: {
    schema: { entity_ids: { check: strList } },
    handler: (conn, id, msg) => {
      const filter = Array.isArray(msg.entity_ids) ? new Set(msg.entity_ids as string[]) : null;
      const store = conn.home.store;
      const off = conn.home.bus.listen((ev) => {
        if (ev.event_type !== 'state_changed') return;
        const { entity_id, old_state, new_state } = (ev as StateChangedEvent).data;
        if (filter && !filter.has(entity_id)) return;
        const key = JSON.stringify(entity_id);
        if (!new_state) conn.eventIdLast(id, `{"r":[${key}]}`);
        else if (!old_state) conn.eventIdLast(id, `{"a":{${key}:${compressedJson(new_state)}}}`);
        else conn.eventIdLast(id, `{"c":{${key}:${JSON.stringify(stateDiff(old_state, new_state))}}}`);
      });
      conn.subscriptions.set(id, off);
      conn.result(id);
      const states = filter ? [...filter].map((e) => store.get(e)).filter((s): s is SimState => !!s) : store.all();
      conn.eventIdFirst(id, initialEntities(states));
    },
  },

  call_service: {
    schema: {
      domain: { required: true, check: str },
      service: { required: true, check: str },
      service_data: { check: dict },
      target: { check: dict },
      return_response: { check: bool },
    },
    handler: (conn, id, msg) => {
      try {
        const res = conn.home.callService({
          domain: msg.domain as string,
          service: msg.service as string,
          data: (msg.service_data as Record<string, unknown> | undefined) ?? {},
          target: msg.target as Record<string, unknown> | undefined,
          returnResponse: msg.return_response === true,
          context: newContext(conn.user?.id ?? null),
          targetPath: "data['target']",
        });
        const ctx = JSON.stringify(res.context);
        conn.result(id, msg.return_response === true ? `{"context":${ctx},"response":${JSON.stringify(res.response ?? null)}}` : `{"context":${ctx}}`);
      } catch (err) {
        sendServiceError(conn, id, err);
      }
    },
  },

  fire_event: {
    schema: { event_type: { required: true, check: str }, event_data: { check: dict } },
    handler: (conn, id, msg) => {
      const context = newContext(conn.user?.id ?? null);
      conn.home.bus.fire(msg.event_type as string, (msg.event_data as Record<string, unknown> | undefined) ?? {}, context);
      conn.result(id, `{"context":${JSON.stringify(context)}}`);
    },
  },

  'auth/current_user': {
    handler: (conn, id) => {
      const user = conn.user!;
      const recorded = conn.home.data.extras?.currentUser;
      if (recorded && recorded.id === user.id) return conn.result(id, JSON.stringify(recorded));
      conn.result(
        id,
        JSON.stringify({
          id: user.id,
          name: user.name,
          is_owner: false,
          is_admin: user.is_admin,
          credentials: [{ auth_provider_type: 'homeassistant', auth_provider_id: null }],
          mfa_modules: [{ id: 'totp', name: 'Authenticator app', enabled: false }],
        }),
      );
    },
  },

  'config/auth/list': {
    adminOnly: true,
    handler: (conn, id) => {
      // A user with a simulator login shows that login's name.
      const users = (conn.home.data.extras?.users ?? []).map((u) => {
        const username = typeof u.id === 'string' ? conn.deps.oauth.usernameOf(u.id) : undefined;
        return username === undefined ? u : { ...u, username };
      });
      conn.result(id, JSON.stringify(users));
    },
  },

  'entity/source': {
    schema: { entity_id: { check: any } },
    handler: (conn, id) => {
      const recorded = conn.home.data.extras?.entitySource;
      if (recorded) return conn.result(id, JSON.stringify(recorded));
      const out: Record<string, { domain: string }> = {};
      for (const [eid, e] of conn.home.registries.entities) out[eid] = { domain: String(e.platform ?? eid.split('.')[0]) };
      conn.result(id, JSON.stringify(out));
    },
  },

  'repairs/list_issues': {
    handler: (conn, id) => conn.result(id, JSON.stringify({ issues: conn.home.system.repairs })),
  },
};
