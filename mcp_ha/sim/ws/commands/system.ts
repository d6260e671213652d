// system_log/list (admin only), system_health/info, update/release_notes, and persistent notifications: get, and subscribe (the current set
// as an event {type: "current"}, then "added" / "removed"), as ws-system.json recorded them.
import { str } from '../schema.js';
import type { CommandTable } from './types.js';

/** UpdateEntityFeature.RELEASE_NOTES. */
const RELEASE_NOTES = 16;

export const systemCommands: CommandTable = {
  'system_log/list': {
    adminOnly: true,
    handler: (conn, id) => conn.result(id, JSON.stringify(conn.home.system.systemLog())),
  },

  // The result, then every section at once (nothing is pending in the simulator), then finish; HA keeps
  // the subscription, so unsubscribe_events of this id succeeds.
  'system_health/info': {
    handler: (conn, id) => {
      const home = conn.home;
      conn.subscriptions.set(id, () => undefined);
      conn.result(id);
      const data = home.system.health(1 + home.lovelace.dashboards.size, home.startedAtMs * 1000);
      conn.eventIdFirst(id, JSON.stringify({ type: 'initial', data }));
      conn.eventIdFirst(id, '{"type":"finish"}');
    },
  },

  // The demo's update entities answer with their summary under fixed notes, as recorded.
  'update/release_notes': {
    schema: { entity_id: { required: true, check: str } },
    handler: (conn, id, msg) => {
      const st = conn.home.store.get(msg.entity_id as string);
      if (!st || !st.entity_id.startsWith('update.')) return conn.error(id, 'not_found', 'Entity not found');
      if ((Number(st.attributes.supported_features ?? 0) & RELEASE_NOTES) === 0) return conn.error(id, 'not_supported', 'Entity does not support release notes');
      conn.result(id, JSON.stringify(`Long release notes.\n\n**With** markdown support!\n\n***\n\n${String(st.attributes.release_summary ?? '')}`));
    },
  },

  'persistent_notification/get': {
    handler: (conn, id) => conn.result(id, JSON.stringify([...conn.home.system.notifications.values()])),
  },

  'persistent_notification/subscribe': {
    handler: (conn, id) => {
      const system = conn.home.system;
      const off = system.onNotifications((type, items) => {
        conn.eventIdFirst(id, JSON.stringify({ type, notifications: Object.fromEntries(items.map((n) => [n.notification_id, n])) }));
      });
      conn.subscriptions.set(id, off);
      conn.result(id);
      conn.eventIdFirst(id, JSON.stringify({ type: 'current', notifications: Object.fromEntries(system.notifications) }));
    },
  },
};
