// Fills the areas with devices, round-robin, until the entity budget (less a reserve) is spent.
import type { HomeBuilder } from './builder.js';
import type { ConfigEntries } from './core.js';
import type { RoomEntities } from './helpers.js';
import type { Area } from './layout.js';
import { KINDS, LIGHT_ALIASES, type DeviceKind, type EntityKind } from './catalog.js';

const HUBS: Record<string, [string, string, string]> = {
  zha: ['Zigbee Coordinator', 'Nabu Casa', 'Home Assistant Connect ZBT-1'],
  hue: ['Hue Bridge', 'Signify Netherlands B.V.', 'BSB002'],
  zwave_js: ['Z-Wave Stick', 'Zooz', 'ZST39 LR'],
};

export class RoomFiller {
  readonly rooms: RoomEntities[];
  /** Energy sensors of plugs, for the energy dashboard's device consumption. */
  readonly consumption: string[] = [];
  private readonly cursor: number[];
  private readonly hubs = new Map<string, string>();
  private readonly deviceNames = new Set<string>();
  private next = 0;

  constructor(private readonly b: HomeBuilder, private readonly areas: Area[], private readonly entries: ConfigEntries) {
    this.rooms = areas.map((area) => ({ area, lights: [], motion: [], doors: [], leaks: [] }));
    this.cursor = areas.map(() => 0);
  }

  /** Adds devices until only `reserve` entities of the budget are left. */
  fill(reserve: number): void {
    if (!this.areas.length) return;
    while (this.b.remaining > reserve) {
      const i = this.next++ % this.areas.length;
      const room = this.rooms[i]!;
      const kinds = room.area.room.devices;
      const kindId = kinds[this.cursor[i]! % kinds.length]!;
      const round = Math.floor(this.cursor[i]! / kinds.length);
      this.cursor[i]!++;
      this.addDevice(room, KINDS[kindId], round, reserve);
    }
  }

  private hub(integration: string): string | null {
    const spec = HUBS[integration];
    if (!spec) return null;
    let id = this.hubs.get(integration);
    if (!id) {
      const area = this.areas.find((a) => a.room.name === 'Office' || a.room.name === 'Utility Room')?.id ?? null;
      id = String(this.b.addDevice({ name: spec[0], areaId: area, configEntryId: this.entries.get(integration), integration, manufacturer: spec[1], model: spec[2] }).id);
      this.hubs.set(integration, id);
    }
    return id;
  }

  private deviceName(room: RoomEntities, kind: DeviceKind, round: number): string {
    const base = `${room.area.name} ${kind.names[round % kind.names.length]}`;
    let name = base;
    for (let n = 2; this.deviceNames.has(name); n++) name = `${base} ${n}`;
    this.deviceNames.add(name);
    return name;
  }

  private addDevice(room: RoomEntities, kind: DeviceKind, round: number, reserve: number): void {
    const b = this.b;
    const name = this.deviceName(room, kind, round);
    const configEntryId = this.entries.get(kind.integration);
    const device = b.addDevice({
      name, areaId: room.area.id, configEntryId, integration: kind.integration, manufacturer: kind.manufacturer, model: b.r.pick(kind.models),
      labels: [...(kind.labels ?? [])], viaDeviceId: kind.viaHub ? this.hub(kind.integration) : null,
    });
    // A few devices are offline: all their entities are unavailable.
    const offline = b.r.chance(0.02);
    for (const e of kind.entities) {
      if (b.remaining <= reserve) return;
      this.addEntity(room, device, kind, e, offline);
    }
  }

  private addEntity(room: RoomEntities, device: Record<string, unknown>, kind: DeviceKind, e: EntityKind, offline: boolean): void {
    const b = this.b;
    const deviceName = String(device.name);
    const friendlyName = e.name ? `${deviceName} ${e.name}` : deviceName;
    const built = e.shape(b.r, friendlyName);
    const labels = e.name === null ? (kind.labels ?? []).filter((l) => l !== 'battery_powered') : e.consumption ? ['energy'] : [];
    const aliases = e.domain === 'light' && b.r.chance(0.2) ? [b.r.pick(LIGHT_ALIASES)] : e.domain === 'media_player' && b.r.chance(0.3) ? ['Telly'] : [];
    const doorLike = built.attributes.device_class === 'door' || built.attributes.device_class === 'window';
    const id = b.addEntity({
      domain: e.domain, friendlyName, originalName: e.name, hasEntityName: true, platform: kind.integration, built, device,
      configEntryId: String((device.config_entries as string[])[0]), category: e.category, translationKey: e.translationKey,
      areaId: b.r.chance(0.03) ? room.area.id : null, labels, aliases, unavailable: offline,
      // Open doors and windows have been open a while, so "open for 3 hours" has something to say.
      ageMinutes: doorLike && built.state === 'on' ? b.r.int(20, 600) : undefined,
    });
    if (!id) return;
    const dc = built.attributes.device_class;
    if (e.domain === 'light') room.lights.push(id);
    if (dc === 'motion') room.motion.push(id);
    if (dc === 'door') room.doors.push(id);
    if (dc === 'moisture') room.leaks.push(id);
    if (e.consumption) this.consumption.push(id);
    const entry = room.area.entry;
    if (e.domain === 'sensor' && dc === 'temperature' && entry.temperature_entity_id === null) entry.temperature_entity_id = id;
    if (e.domain === 'sensor' && dc === 'humidity' && entry.humidity_entity_id === null) entry.humidity_entity_id = id;
  }
}
