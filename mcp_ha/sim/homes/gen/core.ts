// The parts every generated home has besides its rooms: sun, home zone, weather, people with
// phones, and the energy devices (solar, battery, grid, gas) the energy dashboard points at.
import type { SimState } from '../../model.js';
import type { Area } from './layout.js';
import type { HomeBuilder } from './builder.js';
import type { Rng } from './random.js';
import { GENERATED_AT_MS } from './builder.js';
import { PEOPLE } from './catalog.js';
import * as s from './shapes.js';

/** Config entry ids per integration (one entry each, as after a normal setup). */
export class ConfigEntries {
  private readonly ids = new Map<string, string>();
  constructor(private readonly r: Rng) {}
  get(integration: string): string {
    let id = this.ids.get(integration);
    if (!id) this.ids.set(integration, (id = this.r.ulid(GENERATED_AT_MS - 40 * 86_400_000)));
    return id;
  }
  integrations(): string[] {
    return [...this.ids.keys()];
  }
}

function isoShift(hours: number): string {
  return new Date(GENERATED_AT_MS + hours * 3_600_000).toISOString().replace('.000Z', '+00:00');
}

/** sun.sun and zone.home as the demo has them, with times around GENERATED_AT. */
export function addSunAndZone(b: HomeBuilder, demoStates: SimState[], entries: ConfigEntries): void {
  const sun = demoStates.find((x) => x.entity_id === 'sun.sun');
  if (sun) {
    const sunDevice = b.addDevice({ name: 'Sun', areaId: null, configEntryId: entries.get('sun'), integration: 'sun', manufacturer: null, model: null, entryType: 'service', swVersion: null });
    b.addEntity({
      domain: 'sun', friendlyName: 'Sun', originalName: 'Sun', hasEntityName: false, platform: 'sun', device: sunDevice, configEntryId: entries.get('sun'),
      built: {
        state: 'below_horizon',
        attributes: {
          ...sun.attributes, next_dawn: isoShift(14.6), next_dusk: isoShift(0.3), next_midnight: isoShift(7.4), next_noon: isoShift(19.4),
          next_rising: isoShift(15.2), next_setting: isoShift(23.6), elevation: -2.3, azimuth: 238.1, rising: false,
        },
      },
      ageMinutes: 25,
    });
  }
  const zone = demoStates.find((x) => x.entity_id === 'zone.home');
  if (zone) {
    // zone.home lives in the core config, not in the entity registry.
    const at = b.entities.length;
    const id = b.addEntity({ domain: 'zone', friendlyName: 'Home', originalName: 'Home', hasEntityName: false, platform: 'zone', built: { state: '0', attributes: { ...zone.attributes, friendly_name: 'Home' } }, ageMinutes: 600 });
    if (id) {
      b.entities.splice(at, 1);
      delete b.details[id];
    }
  }
}

export function addWeather(b: HomeBuilder, entries: ConfigEntries): void {
  const id = entries.get('met');
  const device = b.addDevice({ name: 'Forecast', areaId: null, configEntryId: id, integration: 'met', manufacturer: 'Met.no', model: 'Forecast', entryType: 'service', swVersion: null });
  b.addEntity({ domain: 'weather', friendlyName: 'Forecast Home', originalName: null, hasEntityName: true, platform: 'met', device, configEntryId: id, built: s.weather(b.r, 'Forecast Home'), ageMinutes: 20 });
}

/** People (person + phone tracker + phone battery); returns the person entity ids. */
export function addPeople(b: HomeBuilder, entries: ConfigEntries, count: number): string[] {
  const out: string[] = [];
  for (const name of PEOPLE.slice(0, count)) {
    const phone = `${name}'s Phone`;
    const entry = entries.get('mobile_app');
    const device = b.addDevice({ name: phone, areaId: null, configEntryId: entry, integration: 'mobile_app', manufacturer: 'Apple', model: b.r.pick(['iPhone 15', 'iPhone 14 Pro']) });
    const tracker = s.phoneTracker(b.r, phone);
    const trackerId = b.addEntity({ domain: 'device_tracker', friendlyName: phone, originalName: null, hasEntityName: true, platform: 'mobile_app', device, configEntryId: entry, built: tracker });
    b.addEntity({ domain: 'sensor', friendlyName: `${phone} Battery Level`, originalName: 'Battery Level', hasEntityName: true, platform: 'mobile_app', device, configEntryId: entry, category: 'diagnostic', built: s.battery(b.r, `${phone} Battery Level`) });
    const personId = b.r.hexId().slice(0, 12);
    const state = tracker.state === 'home' ? 'home' : tracker.state === 'not_home' ? 'not_home' : tracker.state;
    const pid = b.addEntity({
      domain: 'person', friendlyName: name, originalName: name, hasEntityName: false, platform: 'person', uniqueId: personId,
      built: { state, attributes: { editable: true, id: personId, device_trackers: trackerId ? [trackerId] : [], user_id: b.r.hexId(), friendly_name: name } },
    });
    if (pid) out.push(pid);
  }
  return out;
}

export interface EnergySensors {
  solarEnergy?: string;
  batteryIn?: string;
  batteryOut?: string;
  gridImport?: string;
  gridExport?: string;
  gas?: string;
}

/** Solar inverter, home battery and smart meter, in the utility area when there is one. */
export function addEnergy(b: HomeBuilder, entries: ConfigEntries, areas: Area[]): EnergySensors {
  const place = areas.find((a) => a.room.name === 'Utility Room' || a.room.name === 'Garage')?.id ?? null;
  const out: EnergySensors = {};
  const device = (name: string, integration: string, manufacturer: string, model: string) =>
    b.addDevice({ name, areaId: place, configEntryId: entries.get(integration), integration, manufacturer, model, labels: ['energy'] });
  const sensor = (dev: Record<string, unknown>, integration: string, name: string, shape: s.Shape) =>
    b.addEntity({
      domain: 'sensor', friendlyName: `${String(dev.name)} ${name}`, originalName: name, hasEntityName: true, platform: integration, device: dev,
      configEntryId: entries.get(integration), built: shape(b.r, `${String(dev.name)} ${name}`), labels: ['energy'], ageMinutes: b.r.int(0, 5),
    }) ?? undefined;
  const inverter = device('Solar Inverter', 'solaredge', 'SolarEdge', 'SE5000H');
  sensor(inverter, 'solaredge', 'Power', s.power(5000));
  out.solarEnergy = sensor(inverter, 'solaredge', 'Energy Production', s.energy(9000));
  const battery = device('Home Battery', 'powerwall', 'Tesla', 'Powerwall 2');
  sensor(battery, 'powerwall', 'Charge', s.battery);
  sensor(battery, 'powerwall', 'Power', s.power(5000));
  out.batteryIn = sensor(battery, 'powerwall', 'Energy Charged', s.energy(3000));
  out.batteryOut = sensor(battery, 'powerwall', 'Energy Discharged', s.energy(3000));
  const meter = device('Smart Meter', 'dsmr', 'Landis+Gyr', 'E350');
  out.gridImport = sensor(meter, 'dsmr', 'Energy Import', s.energy(20000));
  out.gridExport = sensor(meter, 'dsmr', 'Energy Export', s.energy(8000));
  sensor(meter, 'dsmr', 'Power', s.power(6000));
  out.gas = sensor(meter, 'dsmr', 'Gas Consumption', s.measurement('gas', 'm³', (r) => r.float(100, 3000, 3), 'total_increasing'));
  return out;
}

/** `energy/get_prefs` pointing at the energy sensors that exist. */
export function energyPrefs(e: EnergySensors, consumption: string[]): Record<string, unknown> {
  const sources: Record<string, unknown>[] = [];
  if (e.gridImport) {
    sources.push({
      type: 'grid',
      flow_from: [{ stat_energy_from: e.gridImport, stat_cost: null, entity_energy_price: null, number_energy_price: 0.3 }],
      flow_to: e.gridExport ? [{ stat_energy_to: e.gridExport, stat_compensation: null, entity_energy_price: null, number_energy_price: 0.08 }] : [],
      cost_adjustment_day: 0,
    });
  }
  if (e.solarEnergy) sources.push({ type: 'solar', stat_energy_from: e.solarEnergy, config_entry_solar_forecast: null });
  if (e.batteryIn && e.batteryOut) sources.push({ type: 'battery', stat_energy_from: e.batteryOut, stat_energy_to: e.batteryIn });
  if (e.gas) sources.push({ type: 'gas', stat_energy_from: e.gas, stat_cost: null, entity_energy_price: null, number_energy_price: 1.2 });
  return {
    energy_sources: sources,
    device_consumption: consumption.map((id) => ({ stat_consumption: id })),
    device_consumption_water: [],
  };
}
