// Feeds the live cache from the socket: `subscribe_entities` for states, one `subscribe_events`
// per registry/service/config event, and a full reload on every (re)connect, because events
// missed while the socket was down are gone. Registry events trigger a debounced reload of that
// list (Home Assistant fires them in bursts, e.g. when an integration loads).
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AppError } from '../errors.js';
import type { LiveCache, RegistryItems, RegistryKind } from './cache.js';
import type { EntitiesEvent } from './compressedStates.js';
import {
  AreaSchema,
  DeviceSchema,
  EntityEntrySchema,
  FloorSchema,
  HaConfigSchema,
  LabelSchema,
  ServiceDescriptionSchema,
  type EntityEntry,
  type Services,
} from './schemas.js';
import type { HaSocket } from './socket.js';

type Resource = RegistryKind | 'services' | 'config';

const REGISTRIES: { [K in RegistryKind]: { command: string; schema: z.ZodType } } = {
  area: { command: 'config/area_registry/list', schema: AreaSchema },
  floor: { command: 'config/floor_registry/list', schema: FloorSchema },
  label: { command: 'config/label_registry/list', schema: LabelSchema },
  device: { command: 'config/device_registry/list', schema: DeviceSchema },
  entity: { command: 'config/entity_registry/list', schema: EntityEntrySchema },
};

const EVENTS: Record<string, Resource> = {
  area_registry_updated: 'area',
  floor_registry_updated: 'floor',
  label_registry_updated: 'label',
  device_registry_updated: 'device',
  entity_registry_updated: 'entity',
  service_registered: 'services',
  service_removed: 'services',
  core_config_updated: 'config',
};

/** Entity ids per get_entries request: keeps each answer small on a 10,000-entity home. */
const ALIAS_CHUNK = 500;

const RESOURCES: Resource[] = ['config', 'services', 'area', 'floor', 'label', 'device', 'entity'];

/** Items that fit the schema; the others are logged and left out rather than failing the list. */
function validItems<T>(schema: z.ZodType, raw: unknown, what: string, logger: Logger): T[] {
  const out: T[] = [];
  let bad = 0;
  for (const item of Array.isArray(raw) ? raw : []) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data as T);
    else bad++;
  }
  if (bad) logger.warn({ what, skipped: bad }, 'skipped entries Home Assistant sent in an unexpected shape');
  return out;
}

function validServices(raw: unknown, logger: Logger): Services {
  const out: Services = {};
  let bad = 0;
  for (const [domain, services] of Object.entries((raw ?? {}) as Record<string, Record<string, unknown>>)) {
    const domainOut: Services[string] = {};
    for (const [name, desc] of Object.entries(services ?? {})) {
      const parsed = ServiceDescriptionSchema.safeParse(desc);
      if (parsed.success) domainOut[name] = parsed.data;
      else bad++;
    }
    out[domain] = domainOut;
  }
  if (bad) logger.warn({ skipped: bad }, 'skipped service descriptions in an unexpected shape');
  return out;
}

export interface CacheSyncOptions {
  /** Delay before reloading a list after its update event, to coalesce bursts. */
  debounceMs: number;
  /** How long the initial states may take after subscribing. */
  snapshotTimeoutMs: number;
}

export class CacheSync {
  #generation = 0;
  #subscribed = new Set<string>();
  #expectSnapshot = false;
  #snapshot: { resolve(): void; reject(err: Error): void } | undefined;
  readonly #timers = new Map<Resource, NodeJS.Timeout>();
  #stopped = false;

  constructor(
    private readonly socket: HaSocket,
    private readonly cache: LiveCache,
    private readonly logger: Logger,
    private readonly opts: CacheSyncOptions,
  ) {
    socket.on('connected', () => void this.#resync());
    socket.on('disconnected', () => {
      this.cache.setLive(false);
      this.#generation++;
      this.#snapshot?.reject(new Error('connection lost'));
      this.#snapshot = undefined;
    });
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  async #resync(): Promise<void> {
    const gen = ++this.#generation;
    const started = performance.now();
    this.cache.setLive(true);
    this.cache.beginResync();
    // Created before anything is awaited: the re-sent subscribe_entities may answer at any time.
    const snapshot = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no initial states from subscribe_entities')), this.opts.snapshotTimeoutMs);
      this.#snapshot = {
        resolve() {
          clearTimeout(timer);
          resolve();
        },
        reject(err) {
          clearTimeout(timer);
          reject(err);
        },
      };
    });
    snapshot.catch(() => undefined);
    try {
      await this.#ensureSubscriptions();
      await Promise.all([snapshot, ...RESOURCES.map((r) => this.#load(r).catch((err: unknown) => this.#tolerate(err, r)))]);
      if (gen !== this.#generation || this.#stopped) return;
      this.cache.endResync();
      this.socket.markHealthy();
      this.logger.info(
        { ms: Math.round(performance.now() - started), entities: this.cache.size, registry_entities: this.cache.entities.size },
        'Home Assistant cache loaded',
      );
    } catch (err) {
      if (gen !== this.#generation) return; // the socket dropped mid-load; the next 'connected' starts over
      // Connected but without live states (subscribe_entities refused or too slow): start over
      // on a new connection rather than serve a cache that silently stops updating.
      this.socket.restart(`cache load failed: ${(err as Error).message}`);
    }
  }

  /** Subscribes what is not subscribed yet; the socket re-establishes the rest after reconnects. */
  async #ensureSubscriptions(): Promise<void> {
    const tasks: Promise<unknown>[] = [];
    if (!this.#subscribed.has('entities')) {
      tasks.push(
        this.socket
          .subscribe({ type: 'subscribe_entities' }, (ev) => this.#onEntities(ev as EntitiesEvent), () => (this.#expectSnapshot = true))
          .then(() => this.#subscribed.add('entities')),
      );
    }
    for (const [eventType, resource] of Object.entries(EVENTS)) {
      if (this.#subscribed.has(eventType)) continue;
      tasks.push(
        this.socket
          .subscribe({ type: 'subscribe_events', event_type: eventType }, () => this.#schedule(resource))
          .then(() => this.#subscribed.add(eventType), (err: unknown) => this.#tolerate(err, eventType)),
      );
    }
    await Promise.all(tasks);
  }

  /** A lost connection aborts the load; anything else leaves that part of the cache as it was. */
  #tolerate(err: unknown, what: string): void {
    if ((err as AppError).code === 'ha_unreachable') throw err;
    this.logger.warn({ what, err: (err as Error).message }, 'Home Assistant refused a cache query; that part may be missing or old');
  }

  #onEntities(ev: EntitiesEvent): void {
    if (!this.#expectSnapshot) {
      this.cache.applyEntities(ev);
      return;
    }
    this.#expectSnapshot = false;
    this.cache.replaceStates(ev.a);
    this.#snapshot?.resolve();
  }

  #schedule(resource: Resource): void {
    if (this.#stopped || this.#timers.has(resource)) return;
    this.#timers.set(
      resource,
      setTimeout(() => {
        this.#timers.delete(resource);
        this.#load(resource).catch((err: unknown) => this.logger.debug({ resource, err: (err as Error).message }, 'reload failed'));
      }, this.opts.debounceMs),
    );
  }

  async #load(resource: Resource): Promise<void> {
    if (resource === 'config') {
      const parsed = HaConfigSchema.safeParse(await this.socket.command({ type: 'get_config' }));
      if (parsed.success) this.cache.setConfig(parsed.data);
      else this.logger.warn('get_config answered in an unexpected shape');
      return;
    }
    if (resource === 'services') {
      this.cache.setServices(validServices(await this.socket.command({ type: 'get_services' }), this.logger));
      return;
    }
    const { command, schema } = REGISTRIES[resource];
    const raw = await this.socket.command({ type: command });
    const items = validItems<RegistryItems[typeof resource]>(schema, raw, command, this.logger);
    if (resource === 'entity') await this.#addAliases(items as EntityEntry[]);
    this.cache.setRegistry(resource, items);
  }

  /** Entity aliases are not in config/entity_registry/list; get_entries has them, in chunks. */
  async #addAliases(entries: EntityEntry[]): Promise<void> {
    const byId = new Map(entries.map((e) => [e.entity_id, e]));
    const ids = [...byId.keys()];
    for (let i = 0; i < ids.length; i += ALIAS_CHUNK) {
      const chunk = ids.slice(i, i + ALIAS_CHUNK);
      const full = await this.socket.command({ type: 'config/entity_registry/get_entries', entity_ids: chunk });
      for (const [id, entry] of Object.entries((full ?? {}) as Record<string, { aliases?: unknown } | null>)) {
        const aliases = entry?.aliases;
        const target = byId.get(id);
        if (target && Array.isArray(aliases) && aliases.length) {
          target.aliases = aliases.filter((a): a is string | null => typeof a === 'string' || a === null);
        }
      }
    }
  }
}
