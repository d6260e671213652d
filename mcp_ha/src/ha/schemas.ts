// zod schemas for the Home Assistant data the service reads. Objects are loose (passthrough):
// Home Assistant adds fields between releases and we must not drop or reject them.
import { z } from 'zod';

export const ContextSchema = z.looseObject({
  id: z.string(),
  parent_id: z.string().nullable(),
  user_id: z.string().nullable(),
});
export type Context = z.infer<typeof ContextSchema>;

export const StateSchema = z.looseObject({
  entity_id: z.string(),
  state: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  last_changed: z.string(),
  last_updated: z.string(),
  last_reported: z.string().optional(),
  context: ContextSchema,
});
export type HaState = z.infer<typeof StateSchema>;

export const ServiceFieldSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  required: z.boolean().optional(),
  example: z.unknown().optional(),
  default: z.unknown().optional(),
  selector: z.record(z.string(), z.unknown()).nullable().optional(),
  filter: z.unknown().optional(),
  advanced: z.boolean().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  collapsed: z.boolean().optional(),
});
export type ServiceField = z.infer<typeof ServiceFieldSchema>;

export const ServiceDescriptionSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  fields: z.record(z.string(), ServiceFieldSchema),
  target: z.unknown().optional(),
  response: z.looseObject({ optional: z.boolean() }).optional(),
});
export type ServiceDescription = z.infer<typeof ServiceDescriptionSchema>;

/** WebSocket `get_services` shape: domain -> service -> description. */
export const ServicesSchema = z.record(z.string(), z.record(z.string(), ServiceDescriptionSchema));
export type Services = z.infer<typeof ServicesSchema>;

export const AreaSchema = z.looseObject({
  area_id: z.string(),
  name: z.string(),
  floor_id: z.string().nullable().optional(),
  aliases: z.array(z.string()).default([]),
  labels: z.array(z.string()).default([]),
  icon: z.string().nullable().optional(),
});
export type Area = z.infer<typeof AreaSchema>;

export const FloorSchema = z.looseObject({
  floor_id: z.string(),
  name: z.string(),
  level: z.number().nullable().optional(),
  aliases: z.array(z.string()).default([]),
  icon: z.string().nullable().optional(),
});
export type Floor = z.infer<typeof FloorSchema>;

export const LabelSchema = z.looseObject({
  label_id: z.string(),
  name: z.string(),
  color: z.string().nullable().optional(),
  icon: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
});
export type Label = z.infer<typeof LabelSchema>;

// Registry entries keep only the fields the service uses: a 10,000-entity home's full entries
// (config entries, options, timestamps...) would cost tens of megabytes of cache.
export const DeviceSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  name_by_user: z.string().nullable().optional(),
  area_id: z.string().nullable().optional(),
  manufacturer: z.string().nullable().optional(),
  model: z.string().nullable().optional(),
  labels: z.array(z.string()).default([]),
  disabled_by: z.string().nullable().optional(),
});
export type Device = z.infer<typeof DeviceSchema>;

export const EntityEntrySchema = z.object({
  entity_id: z.string(),
  id: z.string().optional(),
  name: z.string().nullable().optional(),
  original_name: z.string().nullable().optional(),
  area_id: z.string().nullable().optional(),
  device_id: z.string().nullable().optional(),
  platform: z.string().optional(),
  labels: z.array(z.string()).default([]),
  aliases: z.array(z.string().nullable()).optional(),
  disabled_by: z.string().nullable().optional(),
  hidden_by: z.string().nullable().optional(),
  entity_category: z.string().nullable().optional(),
});
export type EntityEntry = z.infer<typeof EntityEntrySchema>;

export const HaConfigSchema = z.looseObject({
  version: z.string(),
  location_name: z.string().optional(),
  time_zone: z.string().optional(),
  unit_system: z.record(z.string(), z.unknown()).optional(),
  components: z.array(z.string()).optional(),
  state: z.string().optional(),
  /** Home Assistant's own URLs (Settings → System → Network); null when not set (an odd value does not fail the whole config). */
  internal_url: z.string().nullable().optional().catch(null),
  external_url: z.string().nullable().optional().catch(null),
});
export type HaConfig = z.infer<typeof HaConfigSchema>;
