// Area, floor, device and label functions (`area_entities('Kitchen')`, `area_name(entity)`,
// `device_attr(id, 'model')`, …) over the home's registries, as HA resolves them.
import type { HomeData } from '../model.js';

type Entry = Record<string, unknown>;

const norm = (s: string) => s.trim().toLowerCase();
const str = (v: unknown) => (typeof v === 'string' ? v : null);

function byKey(list: Entry[], key: string): Map<string, Entry> {
  return new Map(list.map((e) => [String(e[key]), e]));
}

function byName(list: Entry[], ...keys: string[]): Map<string, Entry> {
  const m = new Map<string, Entry>();
  for (const e of list) for (const k of keys) if (typeof e[k] === 'string') m.set(norm(e[k]), e);
  return m;
}

const INDEXES = {
  areas: (h: HomeData) => byKey(h.areas, 'area_id'),
  areasByName: (h: HomeData) => byName(h.areas, 'name'),
  floors: (h: HomeData) => byKey(h.floors, 'floor_id'),
  floorsByName: (h: HomeData) => byName(h.floors, 'name'),
  labels: (h: HomeData) => byKey(h.labels, 'label_id'),
  labelsByName: (h: HomeData) => byName(h.labels, 'name'),
  devices: (h: HomeData) => byKey(h.devices, 'id'),
  devicesByName: (h: HomeData) => byName(h.devices, 'name', 'name_by_user'),
  entities: (h: HomeData) => byKey(h.entities, 'entity_id'),
};

/** Indexes are built on first use within one render: registries may change between renders. */
export class Registry {
  private readonly cache = new Map<keyof typeof INDEXES, Map<string, Entry>>();
  constructor(private readonly home: HomeData) {}

  private ix(name: keyof typeof INDEXES): Map<string, Entry> {
    let m = this.cache.get(name);
    if (!m) this.cache.set(name, (m = INDEXES[name](this.home)));
    return m;
  }

  private area(lookup: string): Entry | undefined {
    return this.ix('areas').get(lookup) ?? this.ix('areasByName').get(norm(lookup));
  }

  private floor(lookup: string): Entry | undefined {
    return this.ix('floors').get(lookup) ?? this.ix('floorsByName').get(norm(lookup));
  }

  private label(lookup: string): Entry | undefined {
    return this.ix('labels').get(lookup) ?? this.ix('labelsByName').get(norm(lookup));
  }

  /** Area id of an area (by id or name), entity (own or its device's) or device. */
  areaId(lookup: string): string | null {
    const area = this.area(lookup);
    if (area) return String(area.area_id);
    const ent = this.ix('entities').get(lookup);
    if (ent) return str(ent.area_id) ?? (str(ent.device_id) ? str(this.ix('devices').get(String(ent.device_id))?.area_id) : null);
    return str(this.ix('devices').get(lookup)?.area_id);
  }

  areaName(lookup: string): string | null {
    const direct = this.ix('areas').get(lookup);
    if (direct) return String(direct.name);
    const id = this.areaId(lookup);
    return id ? str(this.ix('areas').get(id)?.name) : null;
  }

  areaIds(): string[] {
    return [...this.ix('areas').keys()];
  }

  areaEntities(lookup: string): string[] {
    const id = str(this.area(lookup)?.area_id);
    if (!id) return [];
    const out: string[] = [];
    for (const e of this.home.entities) {
      const devArea = str(e.device_id) ? this.ix('devices').get(String(e.device_id))?.area_id : null;
      if (e.area_id === id || (e.area_id === null && devArea === id)) out.push(String(e.entity_id));
    }
    return out;
  }

  areaDevices(lookup: string): string[] {
    const id = str(this.area(lookup)?.area_id);
    return id ? this.home.devices.filter((d) => d.area_id === id).map((d) => String(d.id)) : [];
  }

  deviceId(lookup: string): string | null {
    return str(this.ix('entities').get(lookup)?.device_id) ?? str(this.ix('devicesByName').get(norm(lookup))?.id);
  }

  deviceEntities(deviceId: string): string[] {
    return this.home.entities.filter((e) => e.device_id === deviceId).map((e) => String(e.entity_id));
  }

  /** A device field, by device id or one of its entities; undefined when there is no device. */
  deviceAttr(lookup: string, attr: string): unknown {
    const device = this.ix('devices').get(lookup) ?? this.ix('devices').get(this.deviceId(lookup) ?? '');
    return device ? (device[attr] ?? null) : undefined;
  }

  floorIds(): string[] {
    return [...this.ix('floors').keys()];
  }

  floorId(lookup: string): string | null {
    const f = this.floor(lookup);
    if (f) return String(f.floor_id);
    const areaId = this.areaId(lookup);
    return areaId ? str(this.ix('areas').get(areaId)?.floor_id) : null;
  }

  floorName(lookup: string): string | null {
    const id = this.floorId(lookup);
    return id ? str(this.ix('floors').get(id)?.name) : null;
  }

  floorAreas(lookup: string): string[] {
    const id = str(this.floor(lookup)?.floor_id);
    return id ? this.home.areas.filter((a) => a.floor_id === id).map((a) => String(a.area_id)) : [];
  }

  floorEntities(lookup: string): string[] {
    return this.floorAreas(lookup).flatMap((a) => this.areaEntities(a));
  }

  /** All label ids, or the labels of an area, device or entity. */
  labelIds(lookup?: string): string[] {
    if (lookup === undefined) return [...this.ix('labels').keys()];
    const owner = this.ix('entities').get(lookup) ?? this.ix('devices').get(lookup) ?? this.area(lookup);
    return Array.isArray(owner?.labels) ? (owner.labels as string[]) : [];
  }

  labelId(lookup: string): string | null {
    return str(this.label(lookup)?.label_id);
  }

  labelName(lookup: string): string | null {
    return str(this.label(lookup)?.name);
  }

  private labelled(list: Entry[], lookup: string, key: string): string[] {
    const id = this.labelId(lookup);
    return id ? list.filter((e) => Array.isArray(e.labels) && (e.labels as string[]).includes(id)).map((e) => String(e[key])) : [];
  }

  labelEntities(lookup: string): string[] {
    return this.labelled(this.home.entities, lookup, 'entity_id');
  }

  labelDevices(lookup: string): string[] {
    return this.labelled(this.home.devices, lookup, 'id');
  }

  labelAreas(lookup: string): string[] {
    return this.labelled(this.home.areas, lookup, 'area_id');
  }

  integrationEntities(platform: string): string[] {
    return this.home.entities.filter((e) => e.platform === platform).map((e) => String(e.entity_id));
  }
}

const perRender = new WeakMap<object, Registry>();

/** The registry view for the render in progress. */
export function registryFor(renderKey: object, home: HomeData): Registry {
  let r = perRender.get(renderKey);
  if (!r) perRender.set(renderKey, (r = new Registry(home)));
  return r;
}
