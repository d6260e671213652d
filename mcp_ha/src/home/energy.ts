// Energy: the energy dashboard's preferences (WebSocket energy/get_prefs, cached briefly: they
// change rarely and are not announced) joined with live values from the cache. Power sensors the
// preferences do not name are found by device class and name (solar, grid, battery).
import type { HaState } from '../ha/schemas.js';
import type { HaClient, HomeCache } from '../ha/types.js';
import { nameIsObjectId, stateWithUnit } from './compact.js';
import { entityName } from './placement.js';

const PREFS_TTL_MS = 30_000;

interface Source {
  type?: string;
  [key: string]: unknown;
}
export interface EnergyPrefs {
  energy_sources?: Source[];
  device_consumption?: { stat_consumption?: string; stat_rate?: string; name?: string }[];
  device_consumption_water?: { stat_consumption?: string }[];
}

const prefsCache = new WeakMap<HaClient, { at: number; prefs: EnergyPrefs | undefined }>();

/** The dashboard preferences, or undefined when Home Assistant has none (or no energy integration). */
export async function energyPrefs(ha: HaClient): Promise<EnergyPrefs | undefined> {
  const hit = prefsCache.get(ha);
  // While Home Assistant is away, the last preferences beat waiting for a command to time out.
  if (hit && (Date.now() - hit.at < PREFS_TTL_MS || ha.status !== 'connected')) return hit.prefs;
  let prefs: EnergyPrefs | undefined;
  try {
    prefs = await ha.command<EnergyPrefs>({ type: 'energy/get_prefs' }, { timeoutMs: 3000 });
  } catch {
    prefs = undefined; // not_found (never configured) or no energy integration: fall back to sensors
  }
  prefsCache.set(ha, { at: Date.now(), prefs });
  return prefs;
}

/** entity_id -> "value unit" */
export type Readings = Record<string, string>;

export interface EnergyView {
  configured: boolean;
  grid?: { import?: Readings; export?: Readings; power?: Readings };
  solar?: { energy?: Readings; power?: Readings };
  battery?: { charge?: Readings; discharge?: Readings; power?: Readings; level?: Readings };
  gas?: Readings;
  water?: Readings;
  devices?: { entity_id: string; name?: string; energy?: string; power?: string }[];
  /** Sums of the live power sensors, in W. */
  power_w?: { solar?: number; grid?: number; battery?: number; devices?: number };
}

type Group = 'solar' | 'grid' | 'battery';
const GROUP_WORDS: [Group, RegExp][] = [
  ['solar', /\b(solar|pv|photovoltaic|inverter)\b/],
  ['battery', /\b(battery|powerwall|storage)\b/],
  ['grid', /\b(grid|mains|utility)\b/],
];

function groupOf(cache: HomeCache, s: HaState): Group | undefined {
  const text = `${s.entity_id} ${entityName(cache, s, s.entity_id)}`.toLowerCase().replace(/[._]/g, ' ');
  return GROUP_WORDS.find(([, re]) => re.test(text))?.[0];
}

function watts(s: HaState | undefined): number | undefined {
  if (!s) return undefined;
  const v = Number(s.state);
  if (s.state === '' || !Number.isFinite(v)) return undefined;
  const unit = s.attributes.unit_of_measurement;
  return unit === 'kW' ? v * 1000 : unit === 'MW' ? v * 1e6 : v;
}

class Collector {
  constructor(private readonly cache: HomeCache) {}

  read(ids: (string | undefined)[]): Readings | undefined {
    const out: Readings = {};
    for (const id of ids) {
      const s = id ? this.cache.getState(id) : undefined;
      if (s) out[s.entity_id] = stateWithUnit(s);
    }
    return Object.keys(out).length ? out : undefined;
  }
}

const strs = (list: unknown[] | undefined, key: string): string[] =>
  (list ?? []).map((x) => (x as Record<string, unknown>)[key]).filter((v): v is string => typeof v === 'string');

export function energyView(cache: HomeCache, prefs: EnergyPrefs | undefined): EnergyView {
  const c = new Collector(cache);
  const sources = prefs?.energy_sources ?? [];
  const of = (type: string): Source[] => sources.filter((s) => s.type === type);
  const field = (list: Source[], key: string): string[] => strs(list, key);
  const grid = of('grid');
  const solar = of('solar');
  const battery = of('battery');

  // Power sensors: named by the preferences (stat_rate) or found by device class and name.
  const power: Record<Group, string[]> = { solar: field(solar, 'stat_rate'), grid: field(grid, 'stat_rate'), battery: field(battery, 'stat_rate') };
  // A meter's power sensor sits on the same device as the energy sensors the preferences name.
  const deviceGroup = new Map<string, Group>();
  const energyIds: Record<Group, string[]> = {
    grid: grid.flatMap((g) => [...strs(g.flow_from as unknown[], 'stat_energy_from'), ...strs(g.flow_to as unknown[], 'stat_energy_to')]),
    solar: field(solar, 'stat_energy_from'),
    battery: [...field(battery, 'stat_energy_from'), ...field(battery, 'stat_energy_to')],
  };
  for (const g of ['grid', 'solar', 'battery'] as const) {
    for (const id of energyIds[g]) {
      const device = cache.entities.get(id)?.device_id;
      if (device) deviceGroup.set(device, g);
    }
  }
  const batteryClass: HaState[] = [];
  for (const s of cache.states()) {
    if (!s.entity_id.startsWith('sensor.')) continue;
    const dc = s.attributes.device_class;
    if (dc === 'battery') batteryClass.push(s);
    if (dc !== 'power') continue;
    const device = cache.entities.get(s.entity_id)?.device_id;
    const g = (device && deviceGroup.get(device)) || groupOf(cache, s);
    if (g && !power[g].includes(s.entity_id)) power[g].push(s.entity_id);
  }
  // A home battery's charge level sits on the same device as its power or energy sensors.
  const batteryDevices = new Set(
    [...power.battery, ...energyIds.battery].map((id) => cache.entities.get(id)?.device_id).filter((d): d is string => !!d),
  );
  const level = batteryClass.filter((s) => batteryDevices.has(cache.entities.get(s.entity_id)?.device_id ?? '')).map((s) => s.entity_id);

  const view: EnergyView = { configured: sources.length > 0 || (prefs?.device_consumption?.length ?? 0) > 0 };
  const gridView = {
    import: c.read(grid.flatMap((g) => strs(g.flow_from as unknown[], 'stat_energy_from'))),
    export: c.read(grid.flatMap((g) => strs(g.flow_to as unknown[], 'stat_energy_to'))),
    power: c.read(power.grid),
  };
  if (gridView.import || gridView.export || gridView.power) view.grid = prune(gridView);
  const solarView = { energy: c.read(field(solar, 'stat_energy_from')), power: c.read(power.solar) };
  if (solarView.energy || solarView.power) view.solar = prune(solarView);
  const batteryView = {
    charge: c.read(field(battery, 'stat_energy_to')),
    discharge: c.read(field(battery, 'stat_energy_from')),
    power: c.read(power.battery),
    level: c.read(level),
  };
  if (batteryView.charge || batteryView.discharge || batteryView.power) view.battery = prune(batteryView);
  const gas = c.read(field(of('gas'), 'stat_energy_from'));
  if (gas) view.gas = gas;
  const water = c.read([...field(of('water'), 'stat_energy_from'), ...strs(prefs?.device_consumption_water, 'stat_consumption')]);
  if (water) view.water = water;

  const devices: NonNullable<EnergyView['devices']> = [];
  let devicePower = 0;
  let hasDevicePower = false;
  for (const d of prefs?.device_consumption ?? []) {
    const id = d.stat_consumption;
    const s = id ? cache.getState(id) : undefined;
    if (!id || !s) continue;
    const name = d.name ?? entityName(cache, s, id);
    const item: NonNullable<EnergyView['devices']>[number] = { entity_id: id, energy: stateWithUnit(s) };
    if (!nameIsObjectId(name, id)) item.name = name;
    const p = cache.getState(d.stat_rate ?? '') ?? siblingPower(cache, id);
    if (p) {
      item.power = stateWithUnit(p);
      const w = watts(p);
      if (w !== undefined) {
        devicePower += w;
        hasDevicePower = true;
      }
    }
    devices.push(item);
  }
  if (devices.length) view.devices = devices;

  const sum = (ids: string[]): number | undefined => {
    const vals = ids.map((id) => watts(cache.getState(id))).filter((v): v is number => v !== undefined);
    return vals.length ? Math.round(vals.reduce((a, b) => a + b, 0)) : undefined;
  };
  const powerW = prune({ solar: sum(power.solar), grid: sum(power.grid), battery: sum(power.battery), devices: hasDevicePower ? Math.round(devicePower) : undefined });
  if (Object.keys(powerW).length) view.power_w = powerW;
  return view;
}

/** The power sensor on the same device as an energy sensor (smart plugs report both). */
function siblingPower(cache: HomeCache, energyId: string): HaState | undefined {
  const deviceId = cache.entities.get(energyId)?.device_id;
  if (!deviceId) return undefined;
  for (const e of cache.entities.values()) {
    if (e.device_id !== deviceId || e.entity_id === energyId) continue;
    const s = cache.getState(e.entity_id);
    if (s?.attributes.device_class === 'power') return s;
  }
  return undefined;
}

function prune<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
