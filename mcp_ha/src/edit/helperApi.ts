// The helper integrations' storage collections over the WebSocket (README rule 33):
// <type>/list, /create, /update (replaces the item), /delete. Only UI-created helpers are there.
import { z } from 'zod';
import type { HaClient } from '../ha/types.js';
import { wsCommand } from './wsCommand.js';

export const HELPER_TYPES = ['input_boolean', 'input_number', 'input_select', 'input_text', 'input_datetime', 'input_button', 'counter', 'timer'] as const;
export const HelperTypeSchema = z.enum(HELPER_TYPES);
export type HelperType = z.infer<typeof HelperTypeSchema>;

export const HelperItemSchema = z.looseObject({ id: z.string(), name: z.string() });
export type HelperItem = z.infer<typeof HelperItemSchema>;

export function listHelpers(ha: HaClient, type: HelperType): Promise<HelperItem[]> {
  return wsCommand(ha, { type: `${type}/list` }, z.array(HelperItemSchema));
}

/** The stored item Home Assistant made of `fields` (its id is the slug of the name). */
export function createHelper(ha: HaClient, type: HelperType, fields: Record<string, unknown>): Promise<HelperItem> {
  return wsCommand(ha, { ...fields, type: `${type}/create` }, HelperItemSchema);
}

/** Replaces the item: fields not sent are dropped (the required ones must come again). */
export function updateHelper(ha: HaClient, type: HelperType, id: string, fields: Record<string, unknown>): Promise<HelperItem> {
  return wsCommand(ha, { ...fields, type: `${type}/update`, [`${type}_id`]: id }, HelperItemSchema);
}

export async function deleteHelper(ha: HaClient, type: HelperType, id: string): Promise<void> {
  await wsCommand(ha, { type: `${type}/delete`, [`${type}_id`]: id }, z.null());
}
