// Where an entity lives, from the registries: its area (the entity's own area overrides its
// device's), the area's floor, its device and its labels (the entity's and its device's).
import { AppError } from '../errors.js';
import type { Area, Floor, HaState, Label } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';

export interface Placement {
  area_id?: string;
  floor_id?: string;
  device_id?: string;
  labels: string[];
}

export function placementOf(cache: HomeCache, entityId: string): Placement {
  const entry = cache.entities.get(entityId);
  if (!entry) return { labels: [] };
  const device = entry.device_id ? cache.devices.get(entry.device_id) : undefined;
  const areaId = entry.area_id ?? device?.area_id ?? undefined;
  const floorId = areaId ? cache.areas.get(areaId)?.floor_id ?? undefined : undefined;
  const out: Placement = { labels: device?.labels.length ? [...new Set([...entry.labels, ...device.labels])] : entry.labels };
  if (areaId) out.area_id = areaId;
  if (floorId) out.floor_id = floorId;
  if (device) out.device_id = device.id;
  return out;
}

/** The entity's area id alone (its own, else its device's), without building a Placement: for loops over every entity. */
export function areaIdOf(cache: HomeCache, entityId: string): string | undefined {
  const entry = cache.entities.get(entityId);
  if (!entry) return undefined;
  return entry.area_id ?? (entry.device_id ? cache.devices.get(entry.device_id)?.area_id : undefined) ?? undefined;
}

export function deviceName(cache: HomeCache, deviceId: string | undefined): string | undefined {
  const d = deviceId ? cache.devices.get(deviceId) : undefined;
  return d ? (d.name_by_user ?? d.name ?? undefined) : undefined;
}

/** The name people see: friendly_name, else the registry name, else the object id. */
export function entityName(cache: HomeCache, state: HaState | undefined, entityId: string): string {
  const friendly = state?.attributes.friendly_name;
  if (typeof friendly === 'string' && friendly) return friendly;
  const entry = cache.entities.get(entityId);
  return entry?.name ?? entry?.original_name ?? entityId.slice(entityId.indexOf('.') + 1);
}

const norm = (s: string): string => s.trim().toLowerCase();

/** Finds a registry item by id or (case-insensitive) name; an unknown one is a not_found with the known ids. */
function findIn<T extends { name: string }>(
  kind: string,
  map: ReadonlyMap<string, T>,
  ref: string,
): string {
  if (map.has(ref)) return ref;
  const wanted = norm(ref);
  for (const [id, item] of map) if (norm(item.name) === wanted || norm(id) === wanted) return id;
  const known = [...map.keys()].sort();
  throw new AppError(
    'not_found',
    `No ${kind} "${ref}".`,
    known.length
      ? `Known ${kind}s: ${known.slice(0, 30).join(', ')}${known.length > 30 ? ', ...' : ''}. See ha_list_registry.`
      : `This home has no ${kind}s.`,
    { details: { [kind]: ref } },
  );
}

export const findArea = (cache: HomeCache, ref: string): string => findIn<Area>('area', cache.areas, ref);
export const findFloor = (cache: HomeCache, ref: string): string => findIn<Floor>('floor', cache.floors, ref);
export const findLabel = (cache: HomeCache, ref: string): string => findIn<Label>('label', cache.labels, ref);
