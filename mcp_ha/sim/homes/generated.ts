// Big generated homes: N entities over floors, areas and devices with realistic names, HA's
// recorded state and registry shapes, energy sensors for solar, battery and grid, and a few
// things needing attention (offline devices, low batteries, open doors and windows).
import type { HomeData } from '../model.js';
import { GENERATED_AT_MS, HomeBuilder } from './gen/builder.js';
import { LABELS } from './gen/catalog.js';
import { addEnergy, addPeople, addSunAndZone, addWeather, ConfigEntries, energyPrefs } from './gen/core.js';
import { demoHome } from './gen/demo-data.js';
import { addHelpers, helperCounts, total } from './gen/helpers.js';
import { layOut } from './gen/layout.js';
import { Rng } from './gen/random.js';
import { RoomFiller } from './gen/rooms.js';

export { GENERATED_AT_MS };

/** A home of exactly `entityCount` states, the same for the same seed. */
export function generateHome(entityCount: number, seed = 1): HomeData {
  const n = Math.max(0, Math.floor(entityCount));
  const r = new Rng(seed);
  const b = new HomeBuilder(r, n);
  const demo = demoHome();
  const entries = new ConfigEntries(r);
  const { floors, areas } = layOut(b, n);

  addSunAndZone(b, demo.states, entries);
  addWeather(b, entries);
  const energy = addEnergy(b, entries, areas);
  addPeople(b, entries, n < 200 ? 2 : n < 2000 ? 3 : 4);

  const counts = helperCounts(n);
  const rooms = new RoomFiller(b, areas, entries);
  rooms.fill(Math.min(total(counts), b.remaining));
  const automationConfigs: HomeData['automationConfigs'] = {};
  const scriptConfigs: HomeData['scriptConfigs'] = {};
  addHelpers(b, rooms.rooms, counts, automationConfigs, scriptConfigs);
  rooms.fill(0);

  const labels = LABELS.map((l) => {
    const t = b.stamp();
    return { color: l.color, created_at: t, description: l.description, icon: l.icon, label_id: l.label_id, name: l.name, modified_at: t };
  });
  const components = demo.config.components as string[];
  const config = {
    ...demo.config,
    location_name: 'Home',
    components: [...components, ...entries.integrations().filter((i) => !components.includes(i))],
  };
  return {
    config, states: b.states, services: demo.services, areas: areas.map((a) => a.entry), floors, labels, devices: b.devices, entities: b.entities,
    energyPrefs: energyPrefs(energy, rooms.consumption), automationConfigs, scriptConfigs,
    extras: { recordedAt: GENERATED_AT_MS * 1000, entityDetails: b.details, synthetic: { historyDays: 10, statisticsDays: 30 } },
  };
}
