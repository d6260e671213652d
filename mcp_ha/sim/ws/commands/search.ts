// search/related: what an area, device, entity or automation is connected to.
import type { SimHome } from '../../state/home.js';
import { oneOf, str } from '../schema.js';
import type { CommandTable } from './types.js';

const ITEM_TYPES = ['area', 'automation', 'automation_blueprint', 'config_entry', 'device', 'entity', 'floor', 'group', 'integration', 'label', 'person', 'scene', 'script', 'script_blueprint'];

type Related = Record<string, Set<string>>;

function add(out: Related, key: string, value: unknown): void {
  if (typeof value !== 'string' || !value) return;
  (out[key] ??= new Set()).add(value);
}

/** Entity ids an automation or script config mentions, in order of appearance. */
function referencedEntities(config: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown, key?: string): void => {
    if (typeof v === 'string') {
      if (key === 'entity_id' && /^[a-z_]+\.[a-z0-9_]+$/.test(v) && !found.includes(v)) found.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(config);
  return found;
}

function automationsReferencing(home: SimHome, entityIds: string[]): string[] {
  const out: string[] = [];
  for (const st of home.store.all()) {
    if (!st.entity_id.startsWith('automation.')) continue;
    const cfg = home.data.automationConfigs[String(st.attributes.id)];
    if (cfg && referencedEntities(cfg).some((e) => entityIds.includes(e))) out.push(st.entity_id);
  }
  return out;
}

function entityContext(home: SimHome, out: Related, entityId: string): void {
  const e = home.registries.entities.get(entityId);
  if (!e) return;
  add(out, 'device', e.device_id);
  add(out, 'config_entry', e.config_entry_id);
  if (e.config_entry_id) add(out, 'integration', e.platform);
  const device = e.device_id ? home.registries.devices.get(e.device_id as string) : undefined;
  add(out, 'area', e.area_id ?? device?.area_id);
}

function search(home: SimHome, type: string, itemId: string): Related {
  const out: Related = {};
  const reg = home.registries;
  switch (type) {
    case 'entity': {
      if (!home.store.has(itemId) && !reg.entities.has(itemId)) return out;
      entityContext(home, out, itemId);
      for (const a of automationsReferencing(home, [itemId])) add(out, 'automation', a);
      break;
    }
    case 'device': {
      const d = reg.devices.get(itemId);
      if (!d) return out;
      for (const ce of (d.config_entries as string[] | undefined) ?? []) add(out, 'config_entry', ce);
      const entities = reg.entitiesOfDevice(itemId);
      for (const eid of entities) {
        const e = reg.entities.get(eid);
        if (e?.config_entry_id) add(out, 'integration', e.platform);
      }
      add(out, 'area', d.area_id);
      for (const a of automationsReferencing(home, entities)) add(out, 'automation', a);
      for (const eid of entities) add(out, 'entity', eid);
      break;
    }
    case 'automation':
    case 'script': {
      const st = home.store.get(itemId);
      if (!st) return out;
      const cfg = type === 'automation' ? home.data.automationConfigs[String(st.attributes.id)] : home.data.scriptConfigs[itemId.slice('script.'.length)];
      const ids = referencedEntities(cfg);
      for (const eid of ids) add(out, 'entity', eid);
      for (const eid of ids) entityContext(home, out, eid);
      delete out.area;
      break;
    }
    case 'area': {
      for (const [did, d] of reg.devices) if (d.area_id === itemId) add(out, 'device', did);
      for (const eid of reg.entitiesInArea(itemId)) add(out, 'entity', eid);
      const area = reg.areas.get(itemId);
      add(out, 'floor', area?.floor_id);
      break;
    }
    case 'floor': {
      for (const [aid, a] of reg.areas) if (a.floor_id === itemId) add(out, 'area', aid);
      break;
    }
    case 'label': {
      for (const [aid, a] of reg.areas) if ((a.labels as string[] | undefined)?.includes(itemId)) add(out, 'area', aid);
      for (const [did, d] of reg.devices) if ((d.labels as string[] | undefined)?.includes(itemId)) add(out, 'device', did);
      for (const eid of reg.entitiesWithLabel(itemId)) add(out, 'entity', eid);
      break;
    }
    default:
      break;
  }
  return out;
}

export const searchCommands: CommandTable = {
  'search/related': {
    schema: { item_type: { required: true, check: oneOf(ITEM_TYPES, 'ItemType') }, item_id: { required: true, check: str } },
    handler: (conn, id, msg) => {
      const related = search(conn.home, msg.item_type as string, msg.item_id as string);
      const out: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(related)) out[k] = [...v];
      conn.result(id, JSON.stringify(out));
    },
  },
};
