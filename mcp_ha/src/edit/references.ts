// Our own check of a config before it is saved: every entity, service, device, area, floor and
// label it names exists, with the closest existing names when one does not. Templates and
// variables ({{ ... }}, !input) are left to Home Assistant; subtrees that are data, not
// references (event_data, variables), are skipped.
import { distance } from 'fastest-levenshtein';
import type { HomeCache } from '../ha/types.js';
import { closestEntityIds } from '../home/entityLookup.js';
import type { Problem } from './kind.js';

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;
const SERVICE = /^[a-z0-9_]+\.[a-z0-9_]+$/;
/** Keys whose values are data for something else, never references to check. */
const DATA_KEYS = new Set(['event_data', 'variables', 'trigger_variables', 'response_variable', 'fields', 'value_template', 'value', 'message', 'title']);
/** Words Home Assistant accepts in place of entity ids. */
const SPECIAL = new Set(['all', 'none']);
const MAX_PROBLEMS = 20;
const MAX_NODES = 20_000;

const isTemplate = (s: string): boolean => s.includes('{{') || s.includes('{%') || s.startsWith('!');

function closestNames(name: string, known: Iterable<string>, n = 3): string[] {
  if (name.length > 128) return [];
  const scored: [string, number][] = [];
  for (const k of known) scored.push([k, distance(name, k)]);
  return scored
    .filter(([, d]) => d <= Math.max(3, Math.floor(name.length / 2)))
    .sort((a, b) => a[1] - b[1])
    .slice(0, n)
    .map(([k]) => k);
}

function values(v: unknown): string[] {
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Problems with the references in `config` (at most MAX_PROBLEMS); `sceneEntities` checks a scene's entity keys too. */
export function referenceProblems(cache: HomeCache, config: unknown, opts: { sceneEntities?: boolean } = {}): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (p: Problem): void => {
    const k = `${p.path}\0${p.message}`;
    if (problems.length < MAX_PROBLEMS && !seen.has(k)) {
      seen.add(k);
      problems.push(p);
    }
  };

  const entity = (id: string, path: string): void => {
    if (isTemplate(id) || SPECIAL.has(id)) return;
    // Device triggers and conditions name entities by their registry id (no dot).
    if (!id.includes('.')) {
      for (const e of cache.entities.values()) if (e.id === id) return;
      add({ path, message: `no entity has the registry id ${id}` });
      return;
    }
    if (!ENTITY_ID.test(id)) return add({ path, message: `"${id}" is not an entity id (domain.object_id, lower case)` });
    if (cache.getState(id) || cache.entities.has(id)) return;
    add({ path, message: `entity ${id} does not exist`, closest: closestEntityIds(cache, id) });
  };
  const service = (name: string, path: string): void => {
    if (isTemplate(name)) return;
    if (!SERVICE.test(name)) return add({ path, message: `"${name}" is not an action name (domain.service)` });
    const [domain, svc] = name.split('.') as [string, string];
    const domainServices = cache.services[domain];
    if (!domainServices) return add({ path, message: `action ${name} does not exist: no domain ${domain}`, closest: closestNames(domain, Object.keys(cache.services)).map((d) => `${d}.${svc}`) });
    if (!domainServices[svc]) add({ path, message: `action ${name} does not exist`, closest: closestNames(svc, Object.keys(domainServices)).map((s) => `${domain}.${s}`) });
  };
  const registry = (what: string, ids: Iterable<string>, has: (id: string) => boolean) => (id: string, path: string): void => {
    if (isTemplate(id) || has(id)) return;
    add({ path, message: `no ${what} ${id}`, closest: closestNames(id, ids) });
  };
  const device = registry('device', cache.devices.keys(), (id) => cache.devices.has(id));
  const area = registry('area', cache.areas.keys(), (id) => cache.areas.has(id));
  const floor = registry('floor', cache.floors.keys(), (id) => cache.floors.has(id));
  const label = registry('label', cache.labels.keys(), (id) => cache.labels.has(id));

  let nodes = 0;
  const walk = (v: unknown, path: string): void => {
    if (++nodes > MAX_NODES || problems.length >= MAX_PROBLEMS) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      const at = path ? `${path}.${k}` : k;
      if (DATA_KEYS.has(k)) continue;
      if (k === 'entity_id') values(x).forEach((id) => entity(id, at));
      else if (k === 'device_id') values(x).forEach((id) => device(id, at));
      else if (k === 'area_id') values(x).forEach((id) => area(id, at));
      else if (k === 'floor_id') values(x).forEach((id) => floor(id, at));
      else if (k === 'label_id') values(x).forEach((id) => label(id, at));
      else if ((k === 'action' || k === 'service') && typeof x === 'string' && x.includes('.')) service(x, at);
      else walk(x, at);
    }
  };
  if (opts.sceneEntities && config && typeof config === 'object') {
    const ents = (config as Record<string, unknown>).entities;
    if (ents && typeof ents === 'object' && !Array.isArray(ents)) for (const id of Object.keys(ents)) entity(id, `entities.${id}`);
    const rest = { ...(config as Record<string, unknown>) };
    delete rest.entities;
    walk(rest, '');
  } else walk(config, '');
  return problems;
}
