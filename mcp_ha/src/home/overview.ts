// The home at a glance, the first thing a model should read: counts per domain, floors and
// areas with entity counts, capabilities, energy now, service domains, what needs attention.
import type { HaClient, HomeCache } from '../ha/types.js';
import { attention, type AttentionGroup, type AttentionKind } from './attention.js';
import { energyPrefs, energyView, type EnergyView } from './energy.js';
import { placementOf } from './placement.js';

const ATTENTION_SAMPLE = 5;
const MAX_AREAS = 120;

export interface Overview {
  home: { name?: string; version?: string; time_zone?: string; entities: number };
  domains: Record<string, number>;
  /** floor_id -> {name, entity count, area ids}. */
  floors: Record<string, { name: string; entities: number; areas: string[] }>;
  /** Ids of the areas on no floor. */
  areas: string[];
  entities_without_area: number;
  capabilities: Record<string, boolean>;
  energy: Pick<EnergyView, 'configured' | 'power_w'> & { battery_level?: Record<string, string> };
  service_domains: string[];
  attention: Partial<Record<AttentionKind, AttentionGroup>>;
  note?: string;
}

const DOMAIN_CAPABILITIES: [string, string[]][] = [
  ['has_lighting', ['light']],
  ['has_climate_control', ['climate', 'water_heater', 'humidifier']],
  ['has_covers', ['cover']],
  ['has_media', ['media_player']],
  ['has_locks', ['lock']],
  ['has_cameras', ['camera']],
  ['has_alarm', ['alarm_control_panel']],
  ['has_vacuum', ['vacuum', 'lawn_mower']],
  ['has_presence', ['person', 'device_tracker']],
  ['has_automations', ['automation', 'script']],
];

export async function buildOverview(ha: HaClient, cache: HomeCache): Promise<Overview> {
  const domains: Record<string, number> = {};
  const perArea = new Map<string, number>();
  let withoutArea = 0;
  let energySensors = 0;
  for (const s of cache.states()) {
    const domain = s.entity_id.slice(0, s.entity_id.indexOf('.'));
    domains[domain] = (domains[domain] ?? 0) + 1;
    const area = placementOf(cache, s.entity_id).area_id;
    if (area) perArea.set(area, (perArea.get(area) ?? 0) + 1);
    else withoutArea++;
    if (domain === 'sensor' && (s.attributes.device_class === 'energy' || s.attributes.device_class === 'power')) energySensors++;
  }
  const sortedDomains = Object.fromEntries(Object.entries(domains).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));

  // Floors in level order, each with its areas (ids only: they read as names and cost less).
  const floors: Overview['floors'] = {};
  for (const f of [...cache.floors.values()].sort((a, b) => (a.level ?? 0) - (b.level ?? 0))) {
    floors[f.floor_id] = { name: f.name, entities: 0, areas: [] };
  }
  const loose: string[] = [];
  const areaIds = [...cache.areas.keys()].sort();
  for (const id of areaIds) {
    const floor = floors[cache.areas.get(id)?.floor_id ?? ''];
    if (floor) floor.entities += perArea.get(id) ?? 0;
  }
  for (const id of areaIds.slice(0, MAX_AREAS)) {
    const floor = floors[cache.areas.get(id)?.floor_id ?? ''];
    if (floor) floor.areas.push(id);
    else loose.push(id);
  }

  const energy = energyView(cache, await energyPrefs(ha));
  const capabilities: Record<string, boolean> = {};
  for (const [cap, ds] of DOMAIN_CAPABILITIES) capabilities[cap] = ds.some((d) => (domains[d] ?? 0) > 0);
  capabilities.has_solar = energy.solar !== undefined;
  capabilities.has_battery = energy.battery !== undefined;
  capabilities.has_energy_monitoring = energy.configured || energySensors > 0;

  const cfg = cache.config;
  const overview: Overview = {
    home: { entities: cache.size },
    domains: sortedDomains,
    floors,
    areas: loose,
    entities_without_area: withoutArea,
    capabilities,
    energy: { configured: energy.configured },
    service_domains: Object.keys(cache.services).sort(),
    attention: attention(cache, ATTENTION_SAMPLE),
  };
  if (cfg?.location_name) overview.home.name = cfg.location_name;
  if (cfg?.version) overview.home.version = cfg.version;
  if (cfg?.time_zone) overview.home.time_zone = cfg.time_zone;
  if (energy.power_w) overview.energy.power_w = energy.power_w;
  if (energy.battery?.level) overview.energy.battery_level = energy.battery.level;
  if (areaIds.length > MAX_AREAS) overview.note = `Showing ${MAX_AREAS} of ${areaIds.length} areas; ha_list_registry lists them all.`;
  return overview;
}
