// The few entities a person would want to hear about first: unavailable, low battery, open
// doors and windows (and unlocked locks), and alarms (triggered panels, smoke, leaks...).
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { stateWithUnit } from './compact.js';

export type AttentionKind = 'alarms' | 'open' | 'low_battery' | 'unavailable';
export interface AttentionGroup {
  count: number;
  /** entity_id -> state, for the first few. */
  entities: Record<string, string>;
}

const LOW_BATTERY_PCT = 20;
const OPENINGS = new Set(['door', 'window', 'garage_door', 'opening', 'garage', 'gate']);
const ALARM_CLASSES = new Set(['smoke', 'gas', 'carbon_monoxide', 'moisture', 'safety', 'problem', 'tamper']);

function kindOf(s: HaState): AttentionKind | undefined {
  if (s.state === 'unavailable') return 'unavailable';
  const domain = s.entity_id.slice(0, s.entity_id.indexOf('.'));
  const dc = s.attributes.device_class;
  switch (domain) {
    case 'alarm_control_panel':
      return s.state === 'triggered' ? 'alarms' : undefined;
    case 'siren':
      return s.state === 'on' ? 'alarms' : undefined;
    case 'lock':
      if (s.state === 'jammed') return 'alarms';
      return s.state === 'unlocked' || s.state === 'open' ? 'open' : undefined;
    case 'cover':
      return typeof dc === 'string' && OPENINGS.has(dc) && (s.state === 'open' || s.state === 'opening') ? 'open' : undefined;
    case 'binary_sensor':
      if (s.state !== 'on' || typeof dc !== 'string') return undefined;
      if (ALARM_CLASSES.has(dc)) return 'alarms';
      if (OPENINGS.has(dc)) return 'open';
      return dc === 'battery' ? 'low_battery' : undefined;
    case 'sensor': {
      if (dc !== 'battery') return undefined;
      const level = Number(s.state);
      return s.state !== '' && Number.isFinite(level) && level <= LOW_BATTERY_PCT ? 'low_battery' : undefined;
    }
    default:
      return undefined;
  }
}

/** Non-empty groups only, most urgent first, each listing up to `sample` entities. */
export function attention(cache: HomeCache, sample: number): Partial<Record<AttentionKind, AttentionGroup>> {
  const found: Record<AttentionKind, HaState[]> = { alarms: [], open: [], low_battery: [], unavailable: [] };
  for (const s of cache.states()) {
    const kind = kindOf(s);
    if (kind) found[kind].push(s);
  }
  const out: Partial<Record<AttentionKind, AttentionGroup>> = {};
  for (const kind of ['alarms', 'open', 'low_battery', 'unavailable'] as const) {
    const list = found[kind];
    if (!list.length) continue;
    // Emptiest batteries first; otherwise by id.
    list.sort((a, b) => (kind === 'low_battery' ? Number(a.state) - Number(b.state) : 0) || a.entity_id.localeCompare(b.entity_id));
    const entities: Record<string, string> = {};
    for (const s of list.slice(0, sample)) entities[s.entity_id] = stateWithUnit(s);
    out[kind] = { count: list.length, entities };
  }
  return out;
}
