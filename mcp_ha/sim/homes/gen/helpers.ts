// Automations, scripts, scenes and input helpers that refer to the home's own rooms and devices.
import type { HomeBuilder } from './builder.js';
import { GENERATED_AT_MS } from './builder.js';
import type { Area } from './layout.js';

export interface RoomEntities {
  area: Area;
  lights: string[];
  motion: string[];
  doors: string[];
  leaks: string[];
}

export interface HelperCounts {
  automations: number;
  scripts: number;
  scenes: number;
  booleans: number;
  numbers: number;
}

/** About 5% of a home is helpers, as in a lived-in setup. */
export function helperCounts(entityCount: number): HelperCounts {
  const h = entityCount < 40 ? 0 : Math.round(entityCount * 0.05);
  const scripts = Math.round(h * 0.15);
  const scenes = Math.round(h * 0.15);
  const booleans = Math.round(h * 0.12);
  const numbers = Math.round(h * 0.08);
  return { automations: h - scripts - scenes - booleans - numbers, scripts, scenes, booleans, numbers };
}

export const total = (c: HelperCounts) => c.automations + c.scripts + c.scenes + c.booleans + c.numbers;

type Config = Record<string, unknown>;

function lastTriggered(b: HomeBuilder): string | null {
  return b.r.chance(0.2) ? null : new Date(GENERATED_AT_MS - b.r.int(1, 5 * 86_400) * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** One automation idea per room, cycling through the rooms and ideas until `count`. */
function automationIdea(room: RoomEntities, variant: number): { alias: string; triggers: Config[]; actions: Config[]; labels?: string[] } | null {
  const area = { area_id: room.area.id };
  switch (variant % 5) {
    case 0:
      return room.motion[0] && room.lights.length
        ? { alias: `${room.area.name} Motion Lights`, triggers: [{ trigger: 'state', entity_id: room.motion[0], to: 'on' }], actions: [{ action: 'light.turn_on', target: area }] }
        : null;
    case 1:
      return room.lights.length
        ? { alias: `${room.area.name} Lights at Sunset`, triggers: [{ trigger: 'sun', event: 'sunset', offset: '-00:30:00' }], actions: [{ action: 'light.turn_on', target: area, data: { brightness_pct: 60 } }] }
        : null;
    case 2:
      return room.doors[0]
        ? { alias: `Notify When ${room.area.name} Door Opens`, triggers: [{ trigger: 'state', entity_id: room.doors[0], to: 'on' }], actions: [{ action: 'notify.notify', data: { message: `${room.area.name} door opened` } }], labels: ['security'] }
        : null;
    case 3:
      return room.leaks[0]
        ? { alias: `${room.area.name} Water Leak Alert`, triggers: [{ trigger: 'state', entity_id: room.leaks[0], to: 'on' }], actions: [{ action: 'notify.notify', data: { message: `Water leak in the ${room.area.name}` } }], labels: ['critical'] }
        : null;
    default:
      return room.lights.length
        ? { alias: `${room.area.name} Lights Off at Night`, triggers: [{ trigger: 'time', at: '23:30:00' }], actions: [{ action: 'light.turn_off', target: area }], labels: ['night_mode'] }
        : null;
  }
}

export function addHelpers(b: HomeBuilder, rooms: RoomEntities[], counts: HelperCounts, automationConfigs: Record<string, Config>, scriptConfigs: Record<string, Config>): void {
  const withLights = rooms.filter((r) => r.lights.length);
  let made = 0;
  for (let i = 0; made < counts.automations && i < counts.automations * 20 && rooms.length; i++) {
    const room = rooms[i % rooms.length]!;
    const idea = automationIdea(room, Math.floor(i / rooms.length) + i);
    if (!idea) continue;
    const id = String(GENERATED_AT_MS - 40 * 86_400_000 + i * 7919);
    const name = made >= rooms.length * 5 ? `${idea.alias} ${Math.floor(made / (rooms.length * 5)) + 1}` : idea.alias;
    const eid = b.addEntity({
      domain: 'automation', friendlyName: name, originalName: name, hasEntityName: false, platform: 'automation', uniqueId: id, labels: idea.labels,
      built: { state: b.r.chance(0.9) ? 'on' : 'off', attributes: { id, last_triggered: lastTriggered(b), mode: 'single', current: 0, friendly_name: name } },
    });
    if (!eid) return;
    automationConfigs[id] = { id, alias: name, triggers: idea.triggers, actions: idea.actions };
    made++;
  }
  const scriptNames = ['Good Morning', 'Good Night', 'Leave Home', 'Arrive Home', 'Movie Time', 'Dinner Time'];
  for (let i = 0; i < counts.scripts; i++) {
    const room = withLights[i % Math.max(1, withLights.length)];
    const name = i < scriptNames.length ? scriptNames[i]! : `${room?.area.name ?? 'House'} Lights Off${i >= scriptNames.length + withLights.length ? ` ${i}` : ''}`;
    const sequence = room ? [{ action: 'light.turn_off', target: { area_id: room.area.id } }] : [{ action: 'light.turn_off', target: { entity_id: 'all' } }];
    const eid = b.addEntity({
      domain: 'script', friendlyName: name, originalName: name, hasEntityName: false, platform: 'script',
      built: { state: 'off', attributes: { last_triggered: lastTriggered(b), mode: 'single', current: 0, friendly_name: name } },
    });
    if (!eid) return;
    b.entities.at(-1)!.unique_id = eid.slice('script.'.length);
    scriptConfigs[eid.slice('script.'.length)] = { alias: name, sequence, mode: 'single' };
  }
  const moods = ['Relax', 'Bright', 'Movie', 'Reading', 'Dinner'];
  for (let i = 0; i < counts.scenes; i++) {
    const room = withLights[i % Math.max(1, withLights.length)];
    const name = `${room?.area.name ?? 'House'} ${moods[Math.floor(i / Math.max(1, withLights.length)) % moods.length]}`;
    const id = String(GENERATED_AT_MS - 35 * 86_400_000 + i * 104_729);
    // Scene attributes as HA writes them (the demo recording has no scene to copy from).
    const eid = b.addEntity({
      domain: 'scene', friendlyName: name, originalName: name, hasEntityName: false, platform: 'homeassistant', uniqueId: id,
      built: { state: b.r.chance(0.5) ? 'unknown' : (lastTriggered(b) ?? 'unknown'), attributes: { entity_id: room?.lights ?? [], id, friendly_name: name } },
    });
    if (!eid) return;
  }
  const modes = ['Guest Mode', 'Vacation Mode', 'Night Mode', 'Party Mode', 'Do Not Disturb'];
  for (let i = 0; i < counts.booleans; i++) {
    const name = i < modes.length ? modes[i]! : `${rooms[i % Math.max(1, rooms.length)]?.area.name ?? 'House'} Occupied`;
    if (!b.addEntity({ domain: 'input_boolean', friendlyName: name, originalName: name, hasEntityName: false, platform: 'input_boolean', built: { state: b.r.chance(0.3) ? 'on' : 'off', attributes: { editable: true, friendly_name: name } } })) return;
  }
  for (let i = 0; i < counts.numbers; i++) {
    const name = i === 0 ? 'Target Temperature' : `${withLights[i % Math.max(1, withLights.length)]?.area.name ?? 'House'} Brightness Level`;
    const [min, max, value] = i === 0 ? [15, 25, 20.5] : [0, 100, b.r.int(0, 100)];
    if (!b.addEntity({ domain: 'input_number', friendlyName: name, originalName: name, hasEntityName: false, platform: 'input_number', built: { state: value.toFixed(1), attributes: { initial: null, editable: true, min, max, step: i === 0 ? 0.5 : 1, mode: 'slider', friendly_name: name } } })) return;
  }
}
