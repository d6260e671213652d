// Lovelace: lovelace/config (+ /save, /delete), lovelace/dashboards/* and lovelace/resources
// (ws-lovelace.json; README rules 33-34).
import type { LovelaceError } from '../../state/lovelace.js';
import { pyRepr } from '../../util/pyrepr.js';
import { any, bool, nullable, str, type Schema } from '../schema.js';
import type { WsConnection } from '../connection.js';
import type { CommandTable } from './types.js';

type Msg = Record<string, unknown>;

function sendError(conn: WsConnection, id: number, e: LovelaceError): void {
  conn.error(
    id,
    e.code,
    e.message,
    e.translation ? { translation_key: e.translation.key, translation_placeholders: e.translation.placeholders, translation_domain: 'lovelace' } : undefined,
  );
}

const DASHBOARD_CREATE: Schema = {
  url_path: { required: true, check: str },
  title: { required: true, check: str },
  icon: { check: str },
  show_in_sidebar: { check: bool },
  require_admin: { check: bool },
  mode: { check: (v) => (v === 'storage' ? null : "value must be one of ['storage'] for dictionary value") },
};
const DASHBOARD_UPDATE: Schema = {
  dashboard_id: { required: true, check: str },
  title: { check: str },
  icon: { check: nullable(str) },
  show_in_sidebar: { check: bool },
  require_admin: { check: bool },
};
// Filled in after the sent fields, in the recorded order.
const DASHBOARD_DEFAULTS: [string, unknown][] = [
  ['show_in_sidebar', true],
  ['mode', 'storage'],
  ['require_admin', false],
];

const fields = (msg: Msg, drop: string[] = []): Msg => {
  const out: Msg = {};
  for (const [k, v] of Object.entries(msg)) if (k !== 'id' && k !== 'type' && !drop.includes(k)) out[k] = v;
  return out;
};

export const lovelaceCommands: CommandTable = {
  'lovelace/config': {
    schema: { url_path: { check: nullable(str) }, force: { check: bool } },
    handler: (conn, id, msg) => {
      const r = conn.home.lovelace.getConfig(msg.url_path as string | null | undefined);
      if ('error' in r) return sendError(conn, id, r.error);
      conn.result(id, JSON.stringify(r.config));
    },
  },
  'lovelace/config/save': {
    adminOnly: true,
    schema: { url_path: { check: nullable(str) }, config: { check: any } },
    handler: (conn, id, msg) => {
      const e = conn.home.lovelace.saveConfig(msg.url_path as string | null | undefined, msg.config, conn.user?.id ?? null);
      if (e) return sendError(conn, id, e);
      conn.result(id);
    },
  },
  'lovelace/config/delete': {
    adminOnly: true,
    schema: { url_path: { check: nullable(str) } },
    handler: (conn, id, msg) => {
      const e = conn.home.lovelace.deleteConfig(msg.url_path as string | null | undefined, conn.user?.id ?? null);
      if (e) return sendError(conn, id, e);
      conn.result(id);
    },
  },
  'lovelace/resources': { handler: (conn, id) => conn.result(id, '[]') },
  'lovelace/dashboards/list': {
    handler: (conn, id) => conn.result(id, JSON.stringify([...conn.home.lovelace.dashboards.values()])),
  },
  'lovelace/dashboards/create': {
    adminOnly: true,
    schema: DASHBOARD_CREATE,
    handler: (conn, id, msg) => {
      const item = fields(msg);
      for (const [k, v] of DASHBOARD_DEFAULTS) if (!(k in item)) item[k] = v;
      if (!String(item.url_path).includes('-')) return conn.error(id, 'invalid_format', `Url path needs to contain a hyphen (-). Got ${pyRepr(item)}`);
      const r = conn.home.lovelace.createDashboard(item);
      if ('error' in r) return sendError(conn, id, r.error);
      conn.result(id, JSON.stringify(r.item));
    },
  },
  'lovelace/dashboards/update': {
    adminOnly: true,
    schema: DASHBOARD_UPDATE,
    handler: (conn, id, msg) => {
      const r = conn.home.lovelace.updateDashboard(msg.dashboard_id as string, fields(msg, ['dashboard_id']));
      if ('error' in r) return sendError(conn, id, r.error);
      conn.result(id, JSON.stringify(r.item));
    },
  },
  'lovelace/dashboards/delete': {
    adminOnly: true,
    schema: { dashboard_id: { required: true, check: str } },
    handler: (conn, id, msg) => {
      const e = conn.home.lovelace.deleteDashboard(msg.dashboard_id as string, conn.user?.id ?? null);
      // An unknown id is answered twice, as every storage collection's delete (recorded).
      if (e) sendError(conn, id, e);
      conn.result(id);
    },
  },
};

