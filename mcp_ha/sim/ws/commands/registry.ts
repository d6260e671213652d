// config/{area,floor,label,device,entity}_registry/* commands.
import { newContext } from '../../state/context.js';
import { any, cvString, int, list, nullable, str, strList, type Schema } from '../schema.js';
import type { WsConnection } from '../connection.js';
import type { CommandTable } from './types.js';

type Entry = Record<string, unknown>;

const pick = (msg: Entry, keys: string[]): Entry => {
  const out: Entry = {};
  for (const k of keys) if (k in msg) out[k] = msg[k];
  return out;
};

const AREA_FIELDS: Schema = {
  aliases: { check: strList },
  floor_id: { check: nullable(str) },
  humidity_entity_id: { check: nullable(str) },
  icon: { check: nullable(str) },
  labels: { check: strList },
  picture: { check: nullable(str) },
  temperature_entity_id: { check: nullable(str) },
};
const FLOOR_FIELDS: Schema = { aliases: { check: strList }, icon: { check: nullable(str) }, level: { check: nullable(int) } };
const LABEL_FIELDS: Schema = { color: { check: nullable(str) }, description: { check: nullable(str) }, icon: { check: nullable(str) } };

function nameTaken(map: Map<string, Entry>, name: string, except?: string): boolean {
  const n = name.trim().toLowerCase();
  for (const [id, e] of map) if (id !== except && String(e.name).trim().toLowerCase() === n) return true;
  return false;
}

/** list / create / update / delete for the three "named" registries. */
function namedRegistry(
  kind: 'area' | 'floor' | 'label',
  fields: Schema,
  what: string,
): CommandTable {
  const prefix = `config/${kind}_registry`;
  const idKey = `${kind}_id`;
  const mapOf = (conn: WsConnection): Map<string, Entry> =>
    kind === 'area' ? conn.home.registries.areas : kind === 'floor' ? conn.home.registries.floors : conn.home.registries.labels;
  const listKind = kind === 'area' ? 'areas' : kind === 'floor' ? 'floors' : 'labels';
  return {
    [`${prefix}/list`]: { handler: (conn, id) => conn.result(id, conn.home.registries.json(listKind)) },
    [`${prefix}/create`]: {
      adminOnly: true,
      schema: { name: { required: true, check: str }, ...fields },
      handler: (conn, id, msg) => {
        const name = msg.name as string;
        if (nameTaken(mapOf(conn), name)) return conn.error(id, 'invalid_info', `The name ${name} (${name.toLowerCase()}) is already in use`);
        const r = conn.home.registries;
        const input = pick(msg, ['name', ...Object.keys(fields)]);
        const entry = kind === 'area' ? r.createArea(input) : kind === 'floor' ? r.createFloor(input) : r.createLabel(input);
        conn.result(id, JSON.stringify(entry));
      },
    },
    [`${prefix}/update`]: {
      adminOnly: true,
      schema: { [idKey]: { required: true, check: str }, name: { check: str }, ...fields },
      handler: (conn, id, msg) => {
        const r = conn.home.registries;
        const key = msg[idKey] as string;
        const changes = pick(msg, ['name', ...Object.keys(fields)]);
        if (typeof changes.name === 'string' && nameTaken(mapOf(conn), changes.name, key)) {
          return conn.error(id, 'invalid_info', `The name ${changes.name} (${changes.name.toLowerCase()}) is already in use`);
        }
        const entry = kind === 'area' ? r.updateArea(key, changes) : kind === 'floor' ? r.updateFloor(key, changes) : r.updateLabel(key, changes);
        if (!entry) return conn.error(id, 'invalid_info', `${what} ID doesn't exist`);
        conn.result(id, JSON.stringify(entry));
      },
    },
    [`${prefix}/delete`]: {
      adminOnly: true,
      schema: { [idKey]: { required: true, check: str } },
      handler: (conn, id, msg) => {
        const r = conn.home.registries;
        const key = msg[idKey] as string;
        const ok = kind === 'area' ? r.deleteArea(key) : kind === 'floor' ? r.deleteFloor(key) : r.deleteLabel(key);
        if (!ok) return conn.error(id, 'invalid_info', `${what} ID doesn't exist`);
        conn.result(id);
      },
    },
  };
}

/** The extended entry `config/entity_registry/get` returns. */
function fullEntity(conn: WsConnection, entityId: string): Entry | undefined {
  const e = conn.home.registries.entities.get(entityId);
  if (!e) return undefined;
  const details = conn.home.data.extras?.entityDetails?.[entityId] ?? {
    aliases: [],
    capabilities: null,
    device_class: null,
    original_device_class: null,
    original_icon: null,
  };
  return { ...e, ...details, ...(e.aliases ? { aliases: e.aliases } : {}) };
}

const CATEGORY_INDEX: Record<string, number> = { config: 0, diagnostic: 1 };

function displayEntry(e: Entry): Entry | null {
  if (e.disabled_by) return null;
  const out: Entry = { ei: e.entity_id, pl: e.platform, lb: e.labels ?? [] };
  if (e.area_id) out.ai = e.area_id;
  if (e.device_id) out.di = e.device_id;
  if (e.translation_key) out.tk = e.translation_key;
  if (typeof e.entity_category === 'string' && e.entity_category in CATEGORY_INDEX) out.ec = CATEGORY_INDEX[e.entity_category];
  if (e.hidden_by) out.hb = true;
  if (e.has_entity_name) out.hn = true;
  const name = e.name ?? e.original_name;
  if (name) out.en = name;
  if (e.icon) out.ic = e.icon;
  const sensor = (e.options as Record<string, Record<string, unknown>> | undefined)?.sensor;
  const dp = sensor?.display_precision ?? sensor?.suggested_display_precision;
  if (typeof dp === 'number') out.dp = dp;
  return out;
}

const ENTITY_UPDATE_FIELDS = ['aliases', 'area_id', 'categories', 'device_class', 'disabled_by', 'hidden_by', 'icon', 'labels', 'name', 'new_entity_id', 'options_domain', 'options'];

export const registryCommands: CommandTable = {
  ...namedRegistry('area', AREA_FIELDS, 'Area'),
  ...namedRegistry('floor', FLOOR_FIELDS, 'Floor'),
  ...namedRegistry('label', LABEL_FIELDS, 'Label'),

  'config/device_registry/list': { handler: (conn, id) => conn.result(id, conn.home.registries.json('devices')) },
  'config/device_registry/update': {
    adminOnly: true,
    schema: {
      device_id: { required: true, check: str },
      area_id: { check: nullable(str) },
      name_by_user: { check: nullable(str) },
      disabled_by: { check: nullable(str) },
      labels: { check: strList },
    },
    handler: (conn, id, msg) => {
      const entry = conn.home.registries.updateDevice(msg.device_id as string, pick(msg, ['area_id', 'name_by_user', 'disabled_by', 'labels']));
      if (!entry) return conn.error(id, 'not_found', 'Device not found');
      conn.result(id, JSON.stringify(entry));
    },
  },

  'config/entity_registry/list': { handler: (conn, id) => conn.result(id, conn.home.registries.json('entities')) },
  'config/entity_registry/list_for_display': {
    handler: (conn, id) => {
      const entities: Entry[] = [];
      for (const e of conn.home.registries.entities.values()) {
        const d = displayEntry(e);
        if (d) entities.push(d);
      }
      conn.result(id, JSON.stringify({ entity_categories: { '0': 'config', '1': 'diagnostic' }, entities }));
    },
  },
  'config/entity_registry/get': {
    schema: { entity_id: { required: true, check: str } },
    handler: (conn, id, msg) => {
      const e = fullEntity(conn, msg.entity_id as string);
      if (!e) return conn.error(id, 'not_found', 'Entity not found');
      conn.result(id, JSON.stringify(e));
    },
  },
  'config/entity_registry/get_entries': {
    schema: { entity_ids: { required: true, check: strList } },
    handler: (conn, id, msg) => {
      const out: Record<string, Entry | null> = {};
      for (const eid of msg.entity_ids as string[]) out[eid] = fullEntity(conn, eid) ?? null;
      conn.result(id, JSON.stringify(out));
    },
  },
  'config/entity_registry/update': {
    adminOnly: true,
    schema: {
      entity_id: { required: true, check: str },
      aliases: { check: list },
      area_id: { check: nullable(str) },
      categories: { check: any },
      device_class: { check: nullable(str) },
      disabled_by: { check: nullable(str) },
      hidden_by: { check: nullable(str) },
      icon: { check: nullable(str) },
      labels: { check: strList },
      name: { check: nullable(cvString) },
      new_entity_id: { check: str },
      options_domain: { check: str },
      options: { check: any },
    },
    handler: (conn, id, msg) => {
      const entityId = msg.entity_id as string;
      const home = conn.home;
      if (!home.registries.entities.has(entityId)) return conn.error(id, 'not_found', 'Entity not found');
      const changes = pick(msg, ENTITY_UPDATE_FIELDS.filter((k) => k !== 'options_domain' && k !== 'options'));
      if (typeof msg.options_domain === 'string') {
        const cur = (home.registries.entities.get(entityId)!.options as Entry | undefined) ?? {};
        changes.options = { ...cur, [msg.options_domain]: msg.options };
      }
      const newId = changes.new_entity_id as string | undefined;
      if (newId && newId !== entityId && (home.registries.entities.has(newId) || home.store.has(newId))) {
        return conn.error(id, 'invalid_info', 'Entity with this ID is already registered');
      }
      const entry = home.registries.updateEntity(entityId, changes);
      applyToState(conn, entityId, changes);
      conn.result(id, JSON.stringify({ entity_entry: fullEntity(conn, (entry!.entity_id as string) ?? entityId) }));
    },
  },
  'config/entity_registry/remove': {
    adminOnly: true,
    schema: { entity_id: { required: true, check: str } },
    handler: (conn, id, msg) => {
      if (!conn.home.registries.removeEntity(msg.entity_id as string)) return conn.error(id, 'not_found', 'Entity not found');
      conn.result(id);
    },
  },
};

/** Registry changes that show in the state: a rename moves the state, a name sets friendly_name. */
export function applyToState(conn: WsConnection, entityId: string, changes: Entry): void {
  const store = conn.home.store;
  const st = store.get(entityId);
  if (!st) return;
  let attrs = st.attributes;
  if (typeof changes.name === 'string') attrs = { ...attrs, friendly_name: changes.name };
  if (typeof changes.icon === 'string') attrs = { ...attrs, icon: changes.icon };
  const newId = changes.new_entity_id as string | undefined;
  const context = newContext(conn.user?.id ?? null);
  if (newId && newId !== entityId) {
    store.remove(entityId, context);
    store.set(newId, st.state, attrs, { context });
  } else if (attrs !== st.attributes) {
    store.set(entityId, st.state, attrs, { context });
  }
}

