// The home at a glance, the first thing a model should read: counts per domain, floors and
// areas with entity counts, capabilities, energy now, service domains, what needs attention.
// Area ids are listed per floor; numbered runs of one name ("gym", "gym_2" ... "gym_9", as Home
// Assistant numbers areas of the same name) are written "gym (+_2..9)", so that a big home's
// areas fit in fewer entries (500 areas in the generated 10,000-entity home are 93). The lists
// share a budget, taken in turns by the floors, so that each floor shows some.
import type { HaClient, HomeCache } from '../ha/types.js';
import { attention, type AttentionGroup, type AttentionKind } from './attention.js';
import { energyPrefs, energyView, type EnergyView } from './energy.js';
import { namesOf } from './names/household.js';
import { areaIdOf } from './placement.js';

const ATTENTION_SAMPLE = 3;
/**
 * What the area entries may cost together, in characters with a range counted 12 more (ranges
 * cost more tokens a character): about 600 tokens, enough for 100 areas of plain names.
 */
const AREA_BUDGET = 2150;
const entryCost = (e: { text: string; count: number }): number => e.text.length + 3 + (e.count > 1 ? 12 : 0);
/** A numbered run this long or longer is written as one range. */
const MIN_RUN = 3;
/** The household's most used names (src/home/names), paid for from the area budget. */
const NAMES_MAX = 6;
const NAMES_BUDGET = 320;
export const AREA_RANGES = 'x (+_2..4) stands for x, x_2, x_3, x_4; x_2..4 for x_2, x_3, x_4';

export interface Overview {
  home: { name?: string; version?: string; time_zone?: string; entities: number };
  domains: Record<string, number>;
  /** floor_id -> {name, entity count, area ids (numbered runs as ranges)}. */
  floors: Record<string, { name: string; entities: number; areas: string[] }>;
  /** Ids of the areas on no floor. */
  areas: string[];
  /** How to read "x_2..4" in the area lists, when one is there. */
  area_ranges?: string;
  entities_without_area: number;
  capabilities: Record<string, boolean>;
  energy: Pick<EnergyView, 'configured' | 'power_w'> & { battery_level?: Record<string, string> };
  service_domains: string[];
  attention: Partial<Record<AttentionKind, AttentionGroup>>;
  /** What the household calls things: name -> entity_id, the most used few. */
  names?: Record<string, string>;
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
    const area = areaIdOf(cache, s.entity_id);
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
  const areaIds = [...cache.areas.keys()];
  const byFloor = new Map<string, string[]>();
  for (const id of areaIds) {
    const floorId = cache.areas.get(id)?.floor_id ?? '';
    const floor = floors[floorId];
    if (floor) floor.entities += perArea.get(id) ?? 0;
    const key = floor ? floorId : '';
    const list = byFloor.get(key);
    if (list) list.push(id);
    else byFloor.set(key, [id]);
  }
  const lists = [...byFloor].map(([floorId, ids]) => ({ floorId, entries: areaEntries(ids), kept: 0 }));
  const names = namesOf(cache)?.top(NAMES_MAX, NAMES_BUDGET) ?? {};
  // In turns, one entry per floor a round, while the budget lasts.
  let budget = AREA_BUDGET;
  for (const [name, id] of Object.entries(names)) budget -= name.length + id.length + 6;
  for (let more = true; more; ) {
    more = false;
    for (const l of lists) {
      const e = l.entries[l.kept];
      if (!e || entryCost(e) > budget) continue;
      budget -= entryCost(e);
      l.kept++;
      more = true;
    }
  }
  let listed = 0;
  let ranged = false;
  const loose: string[] = [];
  for (const { floorId, entries, kept } of lists) {
    for (const e of entries.slice(0, kept)) {
      listed += e.count;
      ranged ||= e.count > 1;
      (floors[floorId]?.areas ?? loose).push(e.text);
    }
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
    ...(ranged ? { area_ranges: AREA_RANGES } : {}),
    entities_without_area: withoutArea,
    capabilities,
    energy: { configured: energy.configured },
    service_domains: Object.keys(cache.services).sort(),
    attention: attention(cache, ATTENTION_SAMPLE),
  };
  if (Object.keys(names).length) overview.names = names;
  if (cfg?.location_name) overview.home.name = cfg.location_name;
  if (cfg?.version) overview.home.version = cfg.version;
  if (cfg?.time_zone) overview.home.time_zone = cfg.time_zone;
  if (energy.power_w) overview.energy.power_w = energy.power_w;
  if (energy.battery?.level) overview.energy.battery_level = energy.battery.level;
  if (listed < areaIds.length) overview.note = `Showing ${listed} of ${areaIds.length} areas; ha_list_registry lists them all.`;
  return overview;
}

/** "gym_10" -> ["gym", 10]; an id without a number suffix is its own base. */
function numbered(id: string): [string, number] {
  const m = /^(.*)_(\d+)$/.exec(id);
  return m ? [m[1] as string, Number(m[2])] : [id, 1];
}

/**
 * Area ids in order (by name, numbers by value), a run of MIN_RUN or more consecutive numbers
 * of one base written "base (+_2..9)" after the base itself ("base_3..5" when there is no
 * base): each entry's text and how many areas it stands for.
 */
export function areaEntries(ids: string[]): { text: string; count: number }[] {
  const sorted = ids.map((id) => ({ id, key: numbered(id) })).sort((a, b) => (a.key[0] === b.key[0] ? a.key[1] - b.key[1] : a.key[0] < b.key[0] ? -1 : 1));
  const out: { text: string; count: number }[] = [];
  for (let i = 0; i < sorted.length; ) {
    const [base, n] = sorted[i]?.key ?? ['', 0];
    let j = i + 1;
    while (n >= 2 && j < sorted.length && sorted[j]?.key[0] === base && sorted[j]?.key[1] === n + (j - i)) j++;
    if (j - i < MIN_RUN) {
      out.push({ text: sorted[i]?.id ?? '', count: 1 });
      i++;
      continue;
    }
    const range = `${n}..${n + (j - i) - 1}`;
    const prev = out[out.length - 1];
    if (prev && prev.count === 1 && prev.text === base) {
      prev.text = `${base} (+_${range})`;
      prev.count += j - i;
    } else {
      out.push({ text: `${base}_${range}`, count: j - i });
    }
    i = j;
  }
  return out;
}
