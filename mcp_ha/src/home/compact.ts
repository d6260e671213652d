// Compact projections of entities: table rows for lists (a few dozen bytes each), an area's
// rows as lines of one string, and a summary object with the domain's interesting attributes
// when more detail is asked for.
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { interestingAttributes } from './attributes.js';
import { deviceName, entityName, placementOf } from './placement.js';

/**
 * A compact row is one string, "entity_id=state|device_class|name", empty trailing parts
 * dropped: the device class is left out when the entity_id contains it, the name when it is
 * the entity_id in words; the unit follows the number without a space ("21.5°C"). A row
 * costs a tenth of the raw state's bytes.
 */
export const ROW_FORMAT = 'entity_id=state|device_class|name';
/** How compactLines writes entities that share a state. */
export const SHARED_FORMAT = 'state: entity_id entity_id ...';

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

/** The state with its unit and no space between ("21.5°C", "54%"), on one line. */
function compactState(state: HaState): string {
  const unit = state.attributes.unit_of_measurement;
  const value = state.state.includes('\n') ? state.state.replace(/\s*\n\s*/g, ' ') : state.state;
  return typeof unit === 'string' && unit && value !== 'unavailable' && value !== 'unknown' ? `${value}${unit}` : value;
}

/** The row's parts after the entity_id: the state, then the device class and name if shown. */
function rowParts(cache: HomeCache, state: HaState): string[] {
  const id = state.entity_id;
  const name = entityName(cache, state, id);
  const deviceClass = str(state.attributes.device_class);
  // sensor.kitchen_temperature already says "temperature".
  const parts = [
    compactState(state),
    deviceClass === undefined || id.includes(deviceClass, id.indexOf('.')) ? '' : deviceClass,
    nameIsObjectId(name, id) ? '' : name.replace(/\s*\n\s*/g, ' '),
  ];
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export function compactRow(cache: HomeCache, state: HaState): string {
  return `${state.entity_id}=${rowParts(cache, state).join('|')}`;
}

/** A state two entities may share on one line: no spaces, colons or separators in it. */
const SHAREABLE = /^[^\s:|=]{1,40}$/u;

/**
 * An area's entities as one string, a line each ("entity_id=state|device_class|name"), in the
 * order given, except that entities showing only a state they share with another of the list
 * are one line "state: entity_id entity_id ...", where the first of them would be. The ids
 * stay whole, so that each can be passed back as it is; a line costs two bytes less than an
 * array element, and a shared state is written once.
 */
export function compactLines(cache: HomeCache, states: HaState[]): string {
  const rows = states.map((s) => ({ id: s.entity_id, parts: rowParts(cache, s) }));
  const shared = new Map<string, string[]>();
  for (const r of rows) {
    const st = r.parts[0] as string;
    if (r.parts.length === 1 && SHAREABLE.test(st)) {
      const ids = shared.get(st);
      if (ids) ids.push(r.id);
      else shared.set(st, [r.id]);
    }
  }
  const lines: string[] = [];
  for (const r of rows) {
    const st = r.parts[0] as string;
    const ids = r.parts.length === 1 ? shared.get(st) : undefined;
    if (!ids || ids.length < 2) lines.push(`${r.id}=${r.parts.join('|')}`);
    else if (ids[0] === r.id) lines.push(`${st}: ${ids.join(' ')}`);
  }
  return lines.join('\n');
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
