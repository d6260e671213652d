// The live cache: what the tools read. It only stores and announces; cacheSync.ts feeds it.
// Events (see HomeCache): 'state' (entity_id, newState | null, oldState | null),
// 'entities' ({added, removed}), 'registry' (kind), 'services', 'resync' (a full load finished).
import { EventEmitter } from 'node:events';
import { applyDiff, expandState, type EntitiesEvent } from './compressedStates.js';
import type { Area, Device, EntityEntry, Floor, HaConfig, HaState, Label, Services } from './schemas.js';
import type { HomeCache } from './types.js';

export type RegistryKind = 'area' | 'floor' | 'label' | 'device' | 'entity';

export interface RegistryItems {
  area: Area;
  floor: Floor;
  label: Label;
  device: Device;
  entity: EntityEntry;
}

const KEY: { [K in RegistryKind]: (item: RegistryItems[K]) => string } = {
  area: (a) => a.area_id,
  floor: (f) => f.floor_id,
  label: (l) => l.label_id,
  device: (d) => d.id,
  entity: (e) => e.entity_id,
};

function sameState(a: HaState, b: HaState): boolean {
  return (
    a.state === b.state &&
    a.last_updated === b.last_updated &&
    a.last_changed === b.last_changed &&
    a.context.id === b.context.id &&
    JSON.stringify(a.attributes) === JSON.stringify(b.attributes)
  );
}

export class LiveCache extends EventEmitter implements HomeCache {
  #ready = false;
  #live = false;
  #loadedOnce = false;
  #lastUpdate: number | undefined;
  #states = new Map<string, HaState>();
  #services: Services = {};
  #config: HaConfig | undefined;
  readonly #registries: { [K in RegistryKind]: Map<string, RegistryItems[K]> } = {
    area: new Map(),
    floor: new Map(),
    label: new Map(),
    device: new Map(),
    entity: new Map(),
  };

  get ready(): boolean {
    return this.#ready;
  }
  get loaded(): boolean {
    return this.#loadedOnce;
  }
  get stale(): boolean {
    return !this.#live || !this.#ready;
  }
  get lastUpdate(): number | undefined {
    return this.#lastUpdate;
  }
  get size(): number {
    return this.#states.size;
  }
  get services(): Services {
    return this.#services;
  }
  get config(): HaConfig | undefined {
    return this.#config;
  }
  get areas(): ReadonlyMap<string, Area> {
    return this.#registries.area;
  }
  get floors(): ReadonlyMap<string, Floor> {
    return this.#registries.floor;
  }
  get labels(): ReadonlyMap<string, Label> {
    return this.#registries.label;
  }
  get devices(): ReadonlyMap<string, Device> {
    return this.#registries.device;
  }
  get entities(): ReadonlyMap<string, EntityEntry> {
    return this.#registries.entity;
  }

  getState(entityId: string): HaState | undefined {
    return this.#states.get(entityId);
  }

  states(): IterableIterator<HaState> {
    return this.#states.values();
  }

  /** The socket went down (false) or came up (true). */
  setLive(live: boolean): void {
    this.#live = live;
  }

  /** A resync starts: readers may still read, but the data may be behind. */
  beginResync(): void {
    this.#ready = false;
  }

  endResync(): void {
    this.#ready = true;
    this.#loadedOnce = true;
    this.emit('resync');
  }

  /**
   * The initial `a` frame of a (re)subscription: the complete set of states. After a reconnect,
   * what changed while the socket was down is announced like any other change.
   */
  replaceStates(full: EntitiesEvent['a']): void {
    const next = new Map<string, HaState>();
    for (const [id, cs] of Object.entries(full ?? {})) next.set(id, expandState(id, cs));
    const old = this.#states;
    this.#states = next;
    this.#touch();
    if (!this.#loadedOnce) return;
    const added: string[] = [];
    const removed: string[] = [];
    for (const [id, prev] of old) {
      if (!next.has(id)) {
        removed.push(id);
        this.emit('state', id, null, prev);
      }
    }
    for (const [id, state] of next) {
      const prev = old.get(id);
      if (!prev) added.push(id);
      if (!prev || !sameState(prev, state)) this.emit('state', id, state, prev ?? null);
    }
    if (added.length || removed.length) this.emit('entities', { added, removed });
  }

  /** A live `subscribe_entities` event. */
  applyEntities(ev: EntitiesEvent): void {
    const added: string[] = [];
    const removed: string[] = [];
    for (const [id, cs] of Object.entries(ev.a ?? {})) {
      const prev = this.#states.get(id) ?? null;
      const state = expandState(id, cs);
      this.#states.set(id, state);
      if (!prev) added.push(id);
      this.emit('state', id, state, prev);
    }
    for (const [id, diff] of Object.entries(ev.c ?? {})) {
      const prev = this.#states.get(id);
      if (!prev) continue; // a diff for an entity we never saw: the next resync brings it
      const state = applyDiff(prev, diff);
      this.#states.set(id, state);
      this.emit('state', id, state, prev);
    }
    for (const id of ev.r ?? []) {
      const prev = this.#states.get(id);
      if (!prev) continue;
      this.#states.delete(id);
      removed.push(id);
      this.emit('state', id, null, prev);
    }
    this.#touch();
    if (added.length || removed.length) this.emit('entities', { added, removed });
  }

  setRegistry<K extends RegistryKind>(kind: K, items: RegistryItems[K][]): void {
    const map = new Map<string, RegistryItems[K]>();
    for (const item of items) map.set(KEY[kind](item), item);
    (this.#registries as { [P in K]: Map<string, RegistryItems[P]> })[kind] = map;
    this.#touch();
    this.emit('registry', kind);
  }

  setServices(services: Services): void {
    this.#services = services;
    this.#touch();
    this.emit('services');
  }

  setConfig(config: HaConfig): void {
    this.#config = config;
    this.#touch();
  }

  #touch(): void {
    this.#lastUpdate = Date.now();
  }
}
