// The YAML-backed kinds (automation, script, scene) share Home Assistant's config REST API and
// differ in their required fields, id rules and how their entity is found.
import type { HomeCache } from '../../ha/types.js';
import { deleteConfig, readConfig, saveConfig, validateParts } from '../configApi.js';
import type { EditKind, Problem } from '../kind.js';
import { referenceProblems } from '../references.js';
import { watchEntity } from '../settle.js';
import { optionalString, requireList } from './shape.js';

/** Home Assistant's slugify for object ids ("Porch light" -> "porch_light"). */
export function slugify(name: string): string {
  const s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return s.slice(0, 200) || 'unknown';
}

export interface ConfigKindSpec {
  kind: 'automation' | 'script' | 'scene';
  article: string;
  /** Its entity carries attributes.id === the config id (automations, scenes). */
  byAttributeId: boolean;
  newId(config: Record<string, unknown>, cache: HomeCache): string;
  entityOf?(cache: HomeCache, id: string): string | undefined;
  /** What validate_config checks (triggers, conditions, actions). */
  parts?(config: Record<string, unknown>): Record<string, unknown>;
  /** The config path of a validate_config key (a script's actions are its sequence). */
  partPath?(key: string): string;
  /** [key, legacy key, example] of the lists it needs. */
  required: [string, string | undefined, string][];
  strings: string[];
  sceneEntities?: boolean;
  extraShape?(config: Record<string, unknown>): Problem[];
}

function byAttribute(cache: HomeCache, kind: string, id: string): string | undefined {
  for (const s of cache.states()) if (s.entity_id.startsWith(`${kind}.`) && s.attributes.id === id) return s.entity_id;
  return undefined;
}

export function configKind(spec: ConfigKindSpec): EditKind {
  const { kind } = spec;
  const entityOf = (cache: HomeCache, id: string): string | undefined => (spec.entityOf ? spec.entityOf(cache, id) : byAttribute(cache, kind, id));
  return {
    kind,
    article: spec.article,
    actions: ['list', 'get', 'create', 'update', 'delete'],
    async list(ctx) {
      const out = [];
      for (const s of ctx.ha.cache.states()) {
        if (!s.entity_id.startsWith(`${kind}.`)) continue;
        // Only items with a config id are in the editable YAML files (others come from integrations or packages).
        const id = spec.byAttributeId ? s.attributes.id : s.entity_id.slice(kind.length + 1);
        if (typeof id !== 'string') continue;
        const name = typeof s.attributes.friendly_name === 'string' ? s.attributes.friendly_name : undefined;
        out.push({ id, entity_id: s.entity_id, name, state: s.state });
      }
      return out.sort((a, b) => a.id.localeCompare(b.id));
    },
    read: (ctx, id) => readConfig(ctx, kind, id),
    async create(ctx, id, config) {
      await saveConfig(ctx, kind, id, config);
      return id;
    },
    update: (ctx, id, config) => saveConfig(ctx, kind, id, config),
    remove: (ctx, id) => deleteConfig(ctx, kind, id),
    async validate(ctx, config) {
      const problems: Problem[] = [];
      for (const [key, legacy, example] of spec.required) requireList(config, key, legacy, example, problems);
      for (const key of spec.strings) optionalString(config, key, problems);
      problems.push(...(spec.extraShape?.(config) ?? []));
      if (spec.parts) problems.push(...(await validateParts(ctx, spec.parts(config), spec.partPath)));
      problems.push(...referenceProblems(ctx.ha.cache, config, { sceneEntities: spec.sceneEntities === true }));
      return problems;
    },
    newId: spec.newId,
    entityOf,
    reload(ctx, id) {
      return watchEntity(ctx.ha.cache, id, entityOf(ctx.ha.cache, id), spec.byAttributeId);
    },
  };
}
