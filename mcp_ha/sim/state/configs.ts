// Automations, scripts and scenes as Home Assistant keeps them in automations.yaml, scripts.yaml
// and scenes.yaml, edited through the config API (README rules 30-32): validation with HA's
// messages, the stored key order, and the reload that runs after the answer, with its events
// (entity registry create/update/remove, state_changed, automation_reloaded, scene_reloaded).
import type { SimContext, SimState } from '../model.js';
import { hexId } from '../util/ids.js';
import { nowMicros } from '../util/time.js';
import { newContext } from './context.js';
import type { SimHome } from './home.js';
import { slugify } from './registries.js';

export type ConfigKind = 'automation' | 'script' | 'scene';
type Config = Record<string, unknown>;

export const TRIGGER_PLATFORMS = new Set([
  'state', 'event', 'time', 'time_pattern', 'numeric_state', 'template', 'homeassistant', 'sun', 'zone', 'webhook',
  'mqtt', 'device', 'calendar', 'tag', 'geo_location', 'persistent_notification', 'conversation',
]);

/** The keys by which Home Assistant tells what an action is (cv.determine_script_action). */
const ACTION_KEYS = [
  'action', 'service', 'delay', 'wait_template', 'wait_for_trigger', 'event', 'condition', 'scene', 'repeat', 'choose',
  'if', 'variables', 'stop', 'parallel', 'sequence', 'set_conversation_response', 'device_id',
];

export function configsOf(home: SimHome, kind: ConfigKind): Record<string, Config> {
  if (kind === 'automation') return home.data.automationConfigs;
  if (kind === 'script') return home.data.scriptConfigs;
  return (home.data.sceneConfigs ??= {});
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

function actionsProblem(actions: unknown, key: string): string | null {
  let i = 0;
  for (const a of asList(actions)) {
    if (!a || typeof a !== 'object' || !ACTION_KEYS.some((k) => k in (a as Config))) return `Unable to determine action @ data['${key}'][${i}]`;
    i++;
  }
  return null;
}

/** HA's "Message malformed: …" text for an invalid item, or null. */
export function invalidItem(kind: ConfigKind, cfg: Config): string | null {
  if (kind === 'automation') {
    const triggers = cfg.triggers ?? cfg.trigger;
    if (triggers === undefined) return "required key not provided @ data['triggers']";
    for (const t of asList(triggers)) {
      const p = (t as Config | null)?.trigger ?? (t as Config | null)?.platform;
      if (!TRIGGER_PLATFORMS.has(String(p))) return `Invalid trigger '${String(p)}' specified`;
    }
    const actions = cfg.actions ?? cfg.action;
    if (actions === undefined) return "required key not provided @ data['actions']";
    return actionsProblem(actions, cfg.actions !== undefined ? 'actions' : 'action');
  }
  if (kind === 'script') {
    if (cfg.sequence === undefined) return "required key not provided @ data['sequence']";
    return actionsProblem(cfg.sequence, 'sequence');
  }
  if (cfg.entities === undefined) return "required key not provided @ data['states'][0]['entities']";
  if (typeof cfg.entities !== 'object' || cfg.entities === null || Array.isArray(cfg.entities)) return "expected dict for dictionary value @ data['states'][0]['entities']";
  return null;
}

/** The stored form: HA writes some keys first, then the rest in the order sent (rule 31). */
export function storedForm(kind: ConfigKind, id: string, cfg: Config): Config {
  if (kind === 'script') return { ...cfg };
  const first = kind === 'automation' ? ['alias', 'description', 'triggers', 'trigger', 'conditions', 'condition', 'actions', 'action'] : ['name', 'entities'];
  const out: Config = { id };
  for (const k of first) if (k in cfg) out[k] = cfg[k];
  for (const [k, v] of Object.entries(cfg)) if (!(k in out)) out[k] = v;
  out.id = id;
  return out;
}

const nameOf = (kind: ConfigKind, id: string, cfg: Config): string => String((kind === 'scene' ? cfg.name : cfg.alias) ?? id);

/** The entity an item has now. */
export function entityOfItem(home: SimHome, kind: ConfigKind, id: string): string | undefined {
  if (kind === 'script') return home.store.has(`script.${id}`) ? `script.${id}` : undefined;
  for (const s of home.store.all()) if (s.entity_id.startsWith(`${kind}.`) && s.attributes.id === id) return s.entity_id;
  return undefined;
}

function newEntityId(home: SimHome, kind: ConfigKind, id: string, cfg: Config): string {
  if (kind === 'script') return `script.${id}`;
  const base = `${kind}.${slugify(nameOf(kind, id, cfg))}`;
  let eid = base;
  for (let i = 2; home.store.has(eid) || home.registries.entities.has(eid); i++) eid = `${base}_${i}`;
  return eid;
}

function attributesOf(kind: ConfigKind, id: string, cfg: Config, prev: SimState | undefined): Config {
  const name = nameOf(kind, id, cfg);
  const icon = typeof cfg.icon === 'string' ? { icon: cfg.icon } : {};
  if (kind === 'automation') return { id, last_triggered: prev?.attributes.last_triggered ?? null, mode: cfg.mode ?? 'single', current: 0, ...icon, friendly_name: name };
  if (kind === 'script') return { last_triggered: prev?.attributes.last_triggered ?? null, mode: cfg.mode ?? 'single', current: 0, ...icon, friendly_name: name };
  return { entity_id: Object.keys((cfg.entities ?? {}) as Config), id, ...icon, friendly_name: name };
}

function initialState(kind: ConfigKind, cfg: Config, prev: SimState | undefined): string {
  if (kind === 'automation') return prev?.state === 'off' || prev?.state === 'on' ? prev.state : cfg.initial_state === false ? 'off' : 'on';
  if (kind === 'script') return 'off';
  return prev && prev.state !== 'unavailable' ? prev.state : 'unknown';
}

/** The restored-entity placeholder HA shows while it re-adds an entity (rule 32). */
function unavailable(kind: ConfigKind, old: SimState): Config {
  const a = old.attributes;
  const out: Config = { restored: true };
  if (kind === 'automation' && a.id !== undefined) out.id = a.id;
  if (kind !== 'automation' && a.icon !== undefined) out.icon = a.icon;
  out.friendly_name = a.friendly_name;
  out.supported_features = 0;
  return out;
}

function registryEntry(kind: ConfigKind, entityId: string, id: string, name: string): Config {
  const ts = nowMicros() / 1_000_000;
  return {
    area_id: null, categories: {}, config_entry_id: null, config_subentry_id: null, created_at: ts, device_id: null, disabled_by: null,
    entity_category: null, entity_id: entityId, has_entity_name: false, hidden_by: null, icon: null, id: hexId(), labels: [], modified_at: ts,
    name: null, options: {}, original_name: name, platform: kind === 'scene' ? 'homeassistant' : kind, translation_key: null, unique_id: id,
    aliases: [], capabilities: kind === 'script' ? null : { id }, device_class: null, original_device_class: null, original_icon: null,
  };
}

/** Adds or re-adds one item's entity from its stored config. */
function addEntity(home: SimHome, kind: ConfigKind, id: string, cfg: Config, ctx: SimContext): void {
  const existing = entityOfItem(home, kind, id);
  const prev = existing ? home.store.get(existing) : undefined;
  const name = nameOf(kind, id, cfg);
  if (!prev) {
    const eid = newEntityId(home, kind, id, cfg);
    if (!home.registries.entities.has(eid)) {
      home.registries.addEntity(registryEntry(kind, eid, id, name));
      home.registries.updateEntity(eid, { options: { conversation: { should_expose: false } } });
    }
    home.store.set(eid, initialState(kind, cfg, undefined), attributesOf(kind, id, cfg, undefined), { context: ctx });
    return;
  }
  const eid = prev.entity_id;
  home.store.set(eid, 'unavailable', unavailable(kind, prev), { context: newContext() });
  readd(home, kind, id, cfg, prev);
}

function readd(home: SimHome, kind: ConfigKind, id: string, cfg: Config, prev: SimState): void {
  const eid = prev.entity_id;
  const oldName = String(prev.attributes.friendly_name ?? '');
  const name = nameOf(kind, id, cfg);
  if (oldName !== name && home.registries.entities.has(eid)) {
    home.registries.patchEntity(eid, { original_name: name }, kind === 'script' ? { original_name: oldName } : { object_id_base: oldName, original_name: oldName });
  }
  home.store.set(eid, initialState(kind, cfg, prev), attributesOf(kind, id, cfg, prev), { context: newContext() });
}

/** scene.reload: every scene from scenes.yaml goes unavailable and comes back; `changedId` is (re)created from its new config. */
export function reloadScenes(home: SimHome, ctx: SimContext, changedId?: string): void {
  const configs = configsOf(home, 'scene');
  const present: { id: string; prev: SimState }[] = [];
  for (const id of Object.keys(configs)) {
    const eid = entityOfItem(home, 'scene', id);
    const prev = eid ? home.store.get(eid) : undefined;
    if (prev) present.push({ id, prev });
  }
  for (const p of present) home.store.set(p.prev.entity_id, 'unavailable', unavailable('scene', p.prev), { context: newContext() });
  for (const p of present) readd(home, 'scene', p.id, configs[p.id]!, p.prev);
  if (changedId !== undefined && configs[changedId] && !present.some((p) => p.id === changedId)) addEntity(home, 'scene', changedId, configs[changedId]!, newContext());
  home.bus.fire('scene_reloaded', {}, ctx);
}

/** POST: stores the item and reloads it after the answer (the caller replies first). */
export function saveItem(home: SimHome, kind: ConfigKind, id: string, cfg: Config): void {
  configsOf(home, kind)[id] = storedForm(kind, id, cfg);
  if (kind === 'script') {
    home.services.script ??= {};
    home.services.script[id] = { name: cfg.alias ?? id, description: cfg.description ?? '', fields: cfg.fields ?? {} };
  }
  home.later(2, () => {
    const stored = configsOf(home, kind)[id];
    if (!stored) return;
    const ctx = newContext();
    if (kind === 'scene') return reloadScenes(home, ctx, id);
    addEntity(home, kind, id, stored, ctx);
    if (kind === 'automation') home.bus.fire('automation_reloaded', {}, ctx);
  });
}

/** DELETE: removes the item, its entity and its registry entry at once (no reload). */
export function deleteItem(home: SimHome, kind: ConfigKind, id: string): boolean {
  const configs = configsOf(home, kind);
  if (!configs[id]) return false;
  const eid = entityOfItem(home, kind, id);
  delete configs[id];
  if (kind === 'script' && home.services.script) delete home.services.script[id];
  if (eid) {
    home.store.remove(eid);
    home.registries.removeEntity(eid);
  }
  return true;
}
