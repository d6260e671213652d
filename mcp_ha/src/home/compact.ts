// Compact projections of entities: table rows for lists (a few dozen bytes each) and a summary
// object with the domain's interesting attributes when more detail is asked for.
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { interestingAttributes } from './attributes.js';
import { deviceName, entityName, placementOf } from './placement.js';

/**
 * A compact row is one string, "entity_id=state|device_class|name", empty trailing parts
 * dropped: the device class is left out when the entity_id contains it, the name when it is
 * the entity_id in words. A row costs a tenth of the raw state's bytes.
 */
export const ROW_FORMAT = 'entity_id=state|device_class|name';

/** "Kitchen Light" for light.kitchen_light: such a name adds nothing to the entity_id. */
export function nameIsObjectId(name: string, entityId: string): boolean {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return slug === entityId.slice(entityId.indexOf('.') + 1);
}

export function stateWithUnit(state: HaState): string {
  const unit = state.attributes.unit_of_measurement;
  return typeof unit === 'string' && unit && state.state !== 'unavailable' && state.state !== 'unknown'
    ? `${state.state} ${unit}`
    : state.state;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function compactRow(cache: HomeCache, state: HaState): string {
  const id = state.entity_id;
  const name = entityName(cache, state, id);
  const deviceClass = str(state.attributes.device_class);
  // sensor.kitchen_temperature already says "temperature".
  const parts = [
    stateWithUnit(state),
    deviceClass === undefined || id.includes(deviceClass, id.indexOf('.')) ? '' : deviceClass,
    nameIsObjectId(name, id) ? '' : name,
  ];
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return `${id}=${parts.join('|')}`;
}

export interface EntitySummary {
  entity_id: string;
  name: string;
  state: string;
  unit?: string;
  device_class?: string;
  area?: string;
  floor?: string;
  device?: string;
  labels?: string[];
  last_changed: string;
  attributes?: Record<string, unknown>;
}

export function entitySummary(cache: HomeCache, state: HaState): EntitySummary {
  const id = state.entity_id;
  const place = placementOf(cache, id);
  const out: EntitySummary = { entity_id: id, name: entityName(cache, state, id), state: state.state, last_changed: state.last_changed };
  const unit = str(state.attributes.unit_of_measurement);
  const deviceClass = str(state.attributes.device_class);
  if (unit) out.unit = unit;
  if (deviceClass) out.device_class = deviceClass;
  if (place.area_id) out.area = place.area_id;
  if (place.floor_id) out.floor = place.floor_id;
  const device = deviceName(cache, place.device_id);
  if (device) out.device = device;
  if (place.labels.length) out.labels = place.labels;
  const attrs = interestingAttributes(state);
  if (Object.keys(attrs).length) out.attributes = attrs;
  return out;
}
