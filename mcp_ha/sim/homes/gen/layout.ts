// Floors and areas for a home of N entities: a house for small N, a growing estate of floors
// for big N, with area names kept unique the way a person would ("Upstairs Bathroom").
import { FLOORS, type FloorType, type RoomType } from './catalog.js';
import { slugify, type HomeBuilder } from './builder.js';

export interface Area {
  id: string;
  name: string;
  room: RoomType;
  floor: FloorType;
  entry: Record<string, unknown>;
}

/** About 20 entities per area; at least the whole ground floor. */
function areaTarget(entityCount: number): number {
  return Math.max(FLOORS[0]!.rooms.length, Math.ceil(entityCount / 20));
}

export function layOut(b: HomeBuilder, entityCount: number): { floors: Record<string, unknown>[]; areas: Area[] } {
  const target = areaTarget(entityCount);
  const floorsUsed: FloorType[] = [];
  const plan: [FloorType, RoomType][] = [];
  // Add floors until the rooms they hold reach the target, then cycle rooms over all floors.
  for (const f of FLOORS) {
    if (plan.length >= target) break;
    floorsUsed.push(f);
    for (const room of f.rooms) plan.push([f, room]);
  }
  for (let i = 0; plan.length < target; i++) {
    const f = floorsUsed[i % floorsUsed.length]!;
    plan.push([f, f.rooms[Math.floor(i / floorsUsed.length) % f.rooms.length]!]);
  }
  const floors = floorsUsed.map((f) => {
    const t = b.stamp();
    return { aliases: [...f.aliases], created_at: t, floor_id: slugify(f.name), icon: f.icon, level: f.level, name: f.name, modified_at: t };
  });
  const names = new Set<string>();
  const areas: Area[] = [];
  for (const [floor, room] of plan.slice(0, target)) {
    let name = names.has(room.name) ? `${floor.adjective} ${room.name}` : room.name;
    for (let n = 2; names.has(name); n++) name = `${floor.adjective} ${room.name} ${n}`;
    names.add(name);
    const id = slugify(name);
    const t = b.registryTimes();
    const entry = {
      aliases: name === room.name ? [...(room.aliases ?? [])] : [], area_id: id, floor_id: slugify(floor.name), humidity_entity_id: null,
      icon: room.icon, labels: room.outdoor ? ['outdoor'] : [], name, picture: null, temperature_entity_id: null, ...t,
    };
    areas.push({ id, name, room, floor, entry });
  }
  return { floors, areas };
}
