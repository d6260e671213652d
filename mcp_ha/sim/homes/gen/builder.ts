// Accumulates a generated home: states, registry entries in HA's recorded key order, and the
// entity budget that keeps the entity count exact.
import type { SimState } from '../../model.js';
import type { Rng } from './random.js';
import type { Attrs, Built } from './shapes.js';

/** Generated homes are stamped as of this instant; extras.recordedAt lets a loader shift them. */
export const GENERATED_AT_MS = Date.UTC(2026, 10, 21, 16, 0, 0);

type Entry = Record<string, unknown>;

export function slugify(s: string): string {
  // NFKD only when needed: it is slow, and most names are ASCII.
  const ascii = /^[\x20-\x7e]*$/.test(s) ? s : s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return ascii.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

function iso(ms: number, micros: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${String((ms % 1000) * 1000 + micros).padStart(6, '0')}+00:00`);
}

export interface EntityOptions {
  domain: string;
  /** Full friendly name. */
  friendlyName: string;
  /** Registry `original_name`: the entity's own name, null when it is the device's main feature. */
  originalName: string | null;
  hasEntityName: boolean;
  platform: string;
  built: Built;
  device?: Entry;
  configEntryId?: string | null;
  category?: 'diagnostic' | 'config' | null;
  translationKey?: string | null;
  uniqueId?: string;
  areaId?: string | null;
  labels?: string[];
  aliases?: string[];
  /** Minutes since the state last changed. */
  ageMinutes?: number;
  unavailable?: boolean;
}

const CAPABILITY_KEYS: Record<string, string[]> = {
  light: ['min_color_temp_kelvin', 'max_color_temp_kelvin', 'min_mireds', 'max_mireds', 'effect_list', 'supported_color_modes'],
  climate: ['hvac_modes', 'min_temp', 'max_temp'],
  sensor: ['state_class'],
  fan: ['preset_modes'],
  vacuum: ['fan_speed_list'],
};

/** What `config/entity_registry/get` reports as capabilities: the state's static attributes. */
function capabilitiesOf(domain: string, attrs: Attrs): Attrs | null {
  const keys = (CAPABILITY_KEYS[domain] ?? []).filter((k) => k in attrs);
  return keys.length ? Object.fromEntries(keys.map((k) => [k, attrs[k]])) : null;
}

/** Attributes an unavailable entity keeps: the static ones. */
const STATIC_ATTRS = new Set(['friendly_name', 'device_class', 'unit_of_measurement', 'state_class', 'supported_features', 'supported_color_modes', 'options', 'icon']);

export class HomeBuilder {
  readonly states: SimState[] = [];
  readonly entities: Entry[] = [];
  readonly devices: Entry[] = [];
  readonly details: Record<string, Entry> = {};
  private readonly ids = new Set<string>();
  private clock = 0;

  constructor(readonly r: Rng, readonly budget: number) {}

  get remaining(): number {
    return this.budget - this.states.length;
  }

  /** Registry timestamps: epoch seconds a few weeks before GENERATED_AT, increasing. */
  stamp(): number {
    this.clock += 1 + this.r.int(0, 900);
    return Math.round((GENERATED_AT_MS / 1000 - 30 * 86_400 + this.clock / 1000) * 1e6) / 1e6;
  }

  entityId(domain: string, name: string): string {
    const base = `${domain}.${slugify(name) || domain}`;
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}_${n}`;
    this.ids.add(id);
    return id;
  }

  addDevice(d: {
    name: string; areaId: string | null; configEntryId: string; integration: string; manufacturer: string | null; model: string | null;
    labels?: string[]; viaDeviceId?: string | null; entryType?: string | null; swVersion?: string | null;
  }): Entry {
    const created = this.stamp();
    const id = this.r.hexId();
    const device: Entry = {
      area_id: d.areaId, configuration_url: null, config_entries: [d.configEntryId], config_entries_subentries: { [d.configEntryId]: [null] },
      connections: d.entryType ? [] : [['mac', this.mac()]], created_at: created, disabled_by: null, entry_type: d.entryType ?? null,
      hw_version: null, id, identifiers: [[d.integration, id.slice(0, 16)]], labels: d.labels ?? [], manufacturer: d.manufacturer,
      model: d.model, model_id: null, modified_at: created, name_by_user: null, name: d.name, primary_config_entry: d.configEntryId,
      serial_number: d.entryType ? null : id.slice(16).toUpperCase(), sw_version: d.swVersion ?? `${this.r.int(1, 4)}.${this.r.int(0, 30)}.${this.r.int(0, 9)}`,
      via_device_id: d.viaDeviceId ?? null,
    };
    this.devices.push(device);
    return device;
  }

  private mac(): string {
    return Array.from({ length: 6 }, () => this.r.int(0, 255).toString(16).padStart(2, '0')).join(':');
  }

  /** Adds an entity unless the budget is spent; returns its entity_id or null. */
  addEntity(o: EntityOptions): string | null {
    if (this.remaining <= 0) return null;
    const entityId = this.entityId(o.domain, o.friendlyName);
    const changedMs = GENERATED_AT_MS - Math.round((o.ageMinutes ?? this.r.int(1, 3 * 24 * 60)) * 60_000) - this.r.int(0, 999);
    const when = iso(changedMs, this.r.int(0, 999));
    const attributes = o.unavailable
      ? Object.fromEntries(Object.entries(o.built.attributes).filter(([k]) => STATIC_ATTRS.has(k)))
      : o.built.attributes;
    this.states.push({
      entity_id: entityId, state: o.unavailable ? 'unavailable' : o.built.state, attributes,
      last_changed: when, last_reported: when, last_updated: when,
      context: { id: this.r.ulid(changedMs), parent_id: null, user_id: null },
    });
    const created = this.stamp();
    this.entities.push({
      area_id: o.areaId ?? null, categories: {}, config_entry_id: o.configEntryId ?? null, config_subentry_id: null, created_at: created,
      device_id: (o.device?.id as string | undefined) ?? null, disabled_by: null, entity_category: o.category ?? null, entity_id: entityId,
      has_entity_name: o.hasEntityName, hidden_by: null, icon: null, id: this.r.hexId(), labels: o.labels ?? [], modified_at: created,
      name: null, options: { conversation: { should_expose: !o.category } }, original_name: o.originalName, platform: o.platform,
      translation_key: o.translationKey ?? null, unique_id: o.uniqueId ?? this.r.hexId().slice(0, 20),
    });
    const deviceClass = (o.built.attributes.device_class as string | undefined) ?? null;
    this.details[entityId] = {
      aliases: o.aliases ?? [], capabilities: capabilitiesOf(o.domain, o.built.attributes), device_class: null, original_device_class: deviceClass, original_icon: null,
    };
    return entityId;
  }

  registryTimes(): { created_at: number; modified_at: number } {
    const t = this.stamp();
    return { created_at: t, modified_at: t };
  }
}
