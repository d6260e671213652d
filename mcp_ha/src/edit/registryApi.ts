// Registry edits over the WebSocket: entity entries (name, area, icon, aliases, labels,
// enabled), devices (area), and areas, floors and labels (create, update, delete). Each fires its
// *_registry_updated event, which the live cache follows.
import { z } from 'zod';
import type { HaClient } from '../ha/types.js';
import { wsCommand } from './wsCommand.js';

/** The entity entry as config/entity_registry/get gives it (with aliases, which the list lacks). */
export const EntityEntryFullSchema = z.looseObject({
  entity_id: z.string(),
  name: z.string().nullable().optional(),
  original_name: z.string().nullable().optional(),
  area_id: z.string().nullable().optional(),
  icon: z.string().nullable().optional(),
  aliases: z.array(z.string().nullable()).optional(),
  labels: z.array(z.string()).optional(),
  disabled_by: z.string().nullable().optional(),
  device_id: z.string().nullable().optional(),
});
export type EntityEntryFull = z.infer<typeof EntityEntryFullSchema>;

export interface EntityEntryChanges {
  name?: string | null;
  area_id?: string | null;
  icon?: string | null;
  aliases?: string[];
  labels?: string[];
  /** null enables; "user" disables. */
  disabled_by?: 'user' | null;
}

export function getEntityEntry(ha: HaClient, entityId: string): Promise<EntityEntryFull> {
  return wsCommand(ha, { type: 'config/entity_registry/get', entity_id: entityId }, EntityEntryFullSchema);
}

export async function updateEntityEntry(ha: HaClient, entityId: string, changes: EntityEntryChanges): Promise<EntityEntryFull> {
  const r = await wsCommand(ha, { type: 'config/entity_registry/update', entity_id: entityId, ...changes }, z.looseObject({ entity_entry: EntityEntryFullSchema }));
  return r.entity_entry;
}

export const DeviceEntrySchema = z.looseObject({ id: z.string(), area_id: z.string().nullable().optional(), name_by_user: z.string().nullable().optional() });
export type DeviceEntry = z.infer<typeof DeviceEntrySchema>;

export function updateDeviceEntry(ha: HaClient, deviceId: string, changes: { area_id?: string | null; name_by_user?: string | null; labels?: string[] }): Promise<DeviceEntry> {
  return wsCommand(ha, { type: 'config/device_registry/update', device_id: deviceId, ...changes }, DeviceEntrySchema);
}

/** Areas, floors and labels share one command family: config/<kind>_registry/{list,create,update,delete}. */
export type NamedRegistry = 'area' | 'floor' | 'label';

export const NamedEntrySchema = z.looseObject({ name: z.string() });
export type NamedEntry = z.infer<typeof NamedEntrySchema> & Record<string, unknown>;

/** The fields each registry's create/update takes (anything else Home Assistant refuses). */
export const NAMED_FIELDS: Record<NamedRegistry, readonly string[]> = {
  area: ['name', 'aliases', 'floor_id', 'humidity_entity_id', 'icon', 'labels', 'picture', 'temperature_entity_id'],
  floor: ['name', 'aliases', 'icon', 'level'],
  label: ['name', 'color', 'description', 'icon'],
};

export function listNamed(ha: HaClient, kind: NamedRegistry): Promise<NamedEntry[]> {
  return wsCommand(ha, { type: `config/${kind}_registry/list` }, z.array(NamedEntrySchema));
}

export function createNamed(ha: HaClient, kind: NamedRegistry, fields: Record<string, unknown>): Promise<NamedEntry> {
  return wsCommand(ha, { ...fields, type: `config/${kind}_registry/create` }, NamedEntrySchema);
}

export function updateNamed(ha: HaClient, kind: NamedRegistry, id: string, fields: Record<string, unknown>): Promise<NamedEntry> {
  return wsCommand(ha, { ...fields, type: `config/${kind}_registry/update`, [`${kind}_id`]: id }, NamedEntrySchema);
}

export async function deleteNamed(ha: HaClient, kind: NamedRegistry, id: string): Promise<void> {
  await wsCommand(ha, { type: `config/${kind}_registry/delete`, [`${kind}_id`]: id }, z.null());
}
