// Area, floor, label, device and entity registries, in HA's list shapes, firing
// *_registry_updated events on change.
import type { HomeData } from '../model.js';
import type { EventBus } from './bus.js';
import { newContext } from './context.js';
import { nowMicros } from '../util/time.js';

type Entry = Record<string, unknown>;

/** HA's slugify for registry ids ("Capture Ground Floor" -> "capture_ground_floor"). */
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s || 'unknown';
}

const ts = (): number => nowMicros() / 1_000_000;

export class Registries {
  areas: Map<string, Entry>;
  floors: Map<string, Entry>;
  labels: Map<string, Entry>;
  devices: Map<string, Entry>;
  entities: Map<string, Entry>;
  private listJson = new Map<string, string>();

  constructor(home: HomeData, private bus: EventBus) {
    const byKey = (list: Entry[], key: string): Map<string, Entry> => new Map(list.map((e) => [e[key] as string, e]));
    this.areas = byKey(home.areas, 'area_id');
    this.floors = byKey(home.floors, 'floor_id');
    this.labels = byKey(home.labels, 'label_id');
    this.devices = byKey(home.devices, 'id');
    this.entities = byKey(home.entities, 'entity_id');
  }

  /** The cached JSON of a whole registry list (the device/entity lists are big). */
  json(kind: 'areas' | 'floors' | 'labels' | 'devices' | 'entities'): string {
    let s = this.listJson.get(kind);
    if (s === undefined) {
      // The entity list carries no aliases or other details: Home Assistant sends those only
      // from config/entity_registry/get and get_entries (as recorded).
      const entries = kind === 'entities' ? [...this.entities.values()].map(listEntry) : [...this[kind].values()];
      s = JSON.stringify(entries);
      this.listJson.set(kind, s);
    }
    return s;
  }

  private changed(kind: string, eventType: string, data: Entry): void {
    this.listJson.delete(kind);
    this.bus.fire(eventType, data, newContext());
  }

  private uniqueId(map: Map<string, Entry>, name: string): string {
    const base = slugify(name);
    let id = base;
    for (let i = 2; map.has(id); i++) id = `${base}_${i}`;
    return id;
  }

  createArea(fields: Entry): Entry {
    const now = ts();
    const areaId = this.uniqueId(this.areas, String(fields.name));
    const entry: Entry = {
      aliases: fields.aliases ?? [],
      area_id: areaId,
      floor_id: fields.floor_id ?? null,
      humidity_entity_id: fields.humidity_entity_id ?? null,
      icon: fields.icon ?? null,
      labels: fields.labels ?? [],
      name: fields.name,
      picture: fields.picture ?? null,
      temperature_entity_id: fields.temperature_entity_id ?? null,
      created_at: now,
      modified_at: now,
    };
    this.areas.set(areaId, entry);
    this.changed('areas', 'area_registry_updated', { action: 'create', area_id: areaId });
    return entry;
  }

  updateArea(areaId: string, changes: Entry): Entry | undefined {
    const cur = this.areas.get(areaId);
    if (!cur) return undefined;
    const next = { ...cur, ...changes, area_id: areaId, modified_at: ts() };
    this.areas.set(areaId, next);
    this.changed('areas', 'area_registry_updated', { action: 'update', area_id: areaId });
    return next;
  }

  deleteArea(areaId: string): boolean {
    if (!this.areas.delete(areaId)) return false;
    for (const [id, d] of this.devices) if (d.area_id === areaId) this.devices.set(id, { ...d, area_id: null });
    for (const [id, e] of this.entities) if (e.area_id === areaId) this.entities.set(id, { ...e, area_id: null });
    this.listJson.clear();
    this.changed('areas', 'area_registry_updated', { action: 'remove', area_id: areaId });
    return true;
  }

  createFloor(fields: Entry): Entry {
    const now = ts();
    const floorId = this.uniqueId(this.floors, String(fields.name));
    const entry: Entry = {
      aliases: fields.aliases ?? [],
      created_at: now,
      floor_id: floorId,
      icon: fields.icon ?? null,
      level: fields.level ?? null,
      name: fields.name,
      modified_at: now,
    };
    this.floors.set(floorId, entry);
    this.changed('floors', 'floor_registry_updated', { action: 'create', floor_id: floorId });
    return entry;
  }

  updateFloor(floorId: string, changes: Entry): Entry | undefined {
    const cur = this.floors.get(floorId);
    if (!cur) return undefined;
    const next = { ...cur, ...changes, floor_id: floorId, modified_at: ts() };
    this.floors.set(floorId, next);
    this.changed('floors', 'floor_registry_updated', { action: 'update', floor_id: floorId });
    return next;
  }

  deleteFloor(floorId: string): boolean {
    if (!this.floors.delete(floorId)) return false;
    for (const [id, a] of this.areas) if (a.floor_id === floorId) this.areas.set(id, { ...a, floor_id: null });
    this.listJson.delete('areas');
    this.changed('floors', 'floor_registry_updated', { action: 'remove', floor_id: floorId });
    return true;
  }

  createLabel(fields: Entry): Entry {
    const now = ts();
    const labelId = this.uniqueId(this.labels, String(fields.name));
    const entry: Entry = {
      color: fields.color ?? null,
      created_at: now,
      description: fields.description ?? null,
      icon: fields.icon ?? null,
      label_id: labelId,
      name: fields.name,
      modified_at: now,
    };
    this.labels.set(labelId, entry);
    this.changed('labels', 'label_registry_updated', { action: 'create', label_id: labelId });
    return entry;
  }

  updateLabel(labelId: string, changes: Entry): Entry | undefined {
    const cur = this.labels.get(labelId);
    if (!cur) return undefined;
    const next = { ...cur, ...changes, label_id: labelId, modified_at: ts() };
    this.labels.set(labelId, next);
    this.changed('labels', 'label_registry_updated', { action: 'update', label_id: labelId });
    return next;
  }

  deleteLabel(labelId: string): boolean {
    if (!this.labels.delete(labelId)) return false;
    const strip = (map: Map<string, Entry>): void => {
      for (const [id, e] of map) {
        const labels = e.labels as string[] | undefined;
        if (labels?.includes(labelId)) map.set(id, { ...e, labels: labels.filter((l) => l !== labelId) });
      }
    };
    strip(this.areas);
    strip(this.devices);
    strip(this.entities);
    this.listJson.clear();
    this.changed('labels', 'label_registry_updated', { action: 'remove', label_id: labelId });
    return true;
  }

  updateDevice(deviceId: string, changes: Entry): Entry | undefined {
    const cur = this.devices.get(deviceId);
    if (!cur) return undefined;
    const old: Entry = {};
    for (const k of Object.keys(changes)) old[k] = cur[k];
    const next = { ...cur, ...changes, id: deviceId, modified_at: ts() };
    this.devices.set(deviceId, next);
    this.changed('devices', 'device_registry_updated', { action: 'update', device_id: deviceId, changes: old });
    return next;
  }

  /** Updates an entity entry; a new entity id renames it. Returns the new entry. */
  updateEntity(entityId: string, changes: Entry): Entry | undefined {
    const cur = this.entities.get(entityId);
    if (!cur) return undefined;
    const old: Entry = {};
    for (const k of Object.keys(changes)) if (k !== 'new_entity_id') old[k] = cur[k];
    const newId = typeof changes.new_entity_id === 'string' ? changes.new_entity_id : entityId;
    const { new_entity_id: _drop, ...rest } = changes;
    const next: Entry = { ...cur, ...rest, entity_id: newId, modified_at: ts() };
    if (newId !== entityId) {
      // Keep the list order: rebuild the map with the renamed key in place.
      this.entities = new Map([...this.entities].map(([k, v]) => (k === entityId ? [newId, next] : [k, v])));
      old.entity_id = entityId;
    } else {
      this.entities.set(entityId, next);
    }
    const data: Entry = { action: 'update', entity_id: newId, changes: old };
    if (newId !== entityId) data.old_entity_id = entityId;
    this.changed('entities', 'entity_registry_updated', data);
    return next;
  }

  /** A new entity entry (a config item's reload); fires `create`. */
  addEntity(entry: Entry): void {
    const entityId = String(entry.entity_id);
    this.entities.set(entityId, entry);
    this.changed('entities', 'entity_registry_updated', { action: 'create', entity_id: entityId });
  }

  /** Sets fields and fires `update` with the given `changes` (HA reports fields the entry does not list, e.g. object_id_base). */
  patchEntity(entityId: string, fields: Entry, changes: Entry): void {
    const cur = this.entities.get(entityId);
    if (!cur) return;
    this.entities.set(entityId, { ...cur, ...fields, modified_at: ts() });
    this.changed('entities', 'entity_registry_updated', { action: 'update', entity_id: entityId, changes });
  }

  removeEntity(entityId: string): boolean {
    if (!this.entities.delete(entityId)) return false;
    this.changed('entities', 'entity_registry_updated', { action: 'remove', entity_id: entityId });
    return true;
  }

  /** Entity ids in an area: directly, or through their device (unless overridden). */
  entitiesInArea(areaId: string): string[] {
    const out: string[] = [];
    for (const [id, e] of this.entities) {
      if (e.area_id === areaId) out.push(id);
      else if (!e.area_id && e.device_id && this.devices.get(e.device_id as string)?.area_id === areaId) out.push(id);
    }
    return out;
  }

  entitiesOfDevice(deviceId: string): string[] {
    const out: string[] = [];
    for (const [id, e] of this.entities) if (e.device_id === deviceId) out.push(id);
    return out;
  }

  entitiesWithLabel(labelId: string): string[] {
    const out: string[] = [];
    for (const [id, e] of this.entities) if ((e.labels as string[] | undefined)?.includes(labelId)) out.push(id);
    return out;
  }
}

const ENTITY_DETAIL_KEYS = new Set(['aliases', 'capabilities', 'device_class', 'original_device_class', 'original_icon']);

function listEntry(e: Entry): Entry {
  if (!Object.keys(e).some((k) => ENTITY_DETAIL_KEYS.has(k))) return e;
  return Object.fromEntries(Object.entries(e).filter(([k]) => !ENTITY_DETAIL_KEYS.has(k)));
}
