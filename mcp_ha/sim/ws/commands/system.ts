// system_log/list (admin only) and persistent notifications: get, and subscribe (the current set
// as an event {type: "current"}, then "added" / "removed"), as ws-system.json recorded them.
import type { CommandTable } from './types.js';

export const systemCommands: CommandTable = {
  'system_log/list': {
    adminOnly: true,
    handler: (conn, id) => conn.result(id, JSON.stringify(conn.home.system.systemLog())),
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
