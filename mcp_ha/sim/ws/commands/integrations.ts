// manifest/list, manifest/get and config_entries/get, as ws-system.json recorded them (open to non-admins).
import { str, strList } from '../schema.js';
import type { CommandTable } from './types.js';

export const integrationCommands: CommandTable = {
  'manifest/list': {
    schema: { integrations: { check: strList } },
    handler: (conn, id, msg) => conn.result(id, JSON.stringify(conn.home.system.integrations.list(msg.integrations as string[] | undefined))),
  },

  'manifest/get': {
    schema: { integration: { required: true, check: str } },
    handler: (conn, id, msg) => {
      const m = conn.home.system.integrations.manifest(msg.integration as string);
      if (!m) return conn.error(id, 'not_found', 'Integration not found');
      conn.result(id, JSON.stringify(m));
    },
  },

  'config_entries/get': {
    // type_filter is cv.ensure_list: one string is a list of one.
    schema: { type_filter: { check: (v) => (typeof v === 'string' ? null : strList(v)) }, domain: { check: str } },
    handler: (conn, id, msg) => {
      const filter = msg.type_filter === undefined ? undefined : ([] as string[]).concat(msg.type_filter as string | string[]);
      conn.result(id, JSON.stringify(conn.home.system.integrations.configEntries(msg.domain as string | undefined, filter)));
    },
  },
};
