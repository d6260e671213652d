// Storage collections of the helper integrations: <domain>/list, /create, /update, /delete,
// /subscribe (ws-helpers.json; README rule 33).
import { HELPER_DOMAINS, type HelperDomain, type HelperError } from '../../state/helpers.js';
import { pyRepr } from '../../util/pyrepr.js';
import { str } from '../schema.js';
import type { WsConnection } from '../connection.js';
import type { CommandTable } from './types.js';

type Msg = Record<string, unknown>;

function payload(msg: Msg, drop: string[]): Msg {
  const out: Msg = {};
  for (const [k, v] of Object.entries(msg)) if (k !== 'id' && k !== 'type' && !drop.includes(k)) out[k] = v;
  return out;
}

function answer(conn: WsConnection, id: number, r: { item: Msg } | { error: HelperError }): void {
  if ('error' in r) return conn.error(id, r.error.code, r.error.message);
  conn.result(id, JSON.stringify(r.item));
}

function collection(domain: HelperDomain): CommandTable {
  const idKey = `${domain}_id`;
  return {
    [`${domain}/list`]: { handler: (conn, id) => conn.result(id, JSON.stringify(conn.home.helpers.list(domain))) },
    [`${domain}/create`]: {
      adminOnly: true,
      ownValidation: true,
      handler: (conn, id, msg) => answer(conn, id, conn.home.helpers.create(domain, payload(msg, []), conn.user?.id ?? null)),
    },
    [`${domain}/update`]: {
      adminOnly: true,
      ownValidation: true,
      handler: (conn, id, msg) => {
        const key = msg[idKey];
        if (typeof key !== 'string') {
          return conn.error(
            id,
            'invalid_format',
            key === undefined ? `required key not provided @ data['${idKey}']. Got None` : `expected str for dictionary value @ data['${idKey}']. Got ${pyRepr(key)}`,
          );
        }
        answer(conn, id, conn.home.helpers.update(domain, key, payload(msg, [idKey]), conn.user?.id ?? null));
      },
    },
    [`${domain}/delete`]: {
      adminOnly: true,
      schema: { [idKey]: { required: true, check: str } },
      handler: (conn, id, msg) => {
        const r = conn.home.helpers.delete(domain, msg[idKey] as string, conn.user?.id ?? null);
        // Home Assistant answers an unknown id twice: the error, then a success (as recorded).
        if ('error' in r) conn.error(id, r.error.code, r.error.message);
        conn.result(id);
      },
    },
    [`${domain}/subscribe`]: {
      handler: (conn, id) => {
        const off = conn.home.helpers.onChange((d, change) => {
          if (d !== domain) return;
          conn.eventIdFirst(id, JSON.stringify([{ change_type: change.change_type, [idKey]: change.id, item: change.item }]));
        });
        conn.subscriptions.set(id, off);
        conn.result(id);
        const initial = conn.home.helpers.list(domain).map((item) => ({ change_type: 'added', [idKey]: item.id, item }));
        conn.eventIdFirst(id, JSON.stringify(initial));
      },
    },
  };
}

export const helperCommands: CommandTable = Object.assign({}, ...HELPER_DOMAINS.map(collection)) as CommandTable;
