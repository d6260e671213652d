// Which entities a service call acts on: entity ids as given, plus the entities of the devices,
// areas, floors and labels in its target, limited to the domains the service accepts.
import { AppError } from '../errors.js';
import type { HaState, ServiceDescription } from '../ha/schemas.js';
import type { HomeCache, ServiceCall } from '../ha/types.js';
import { requireState } from '../home/entityLookup.js';

/** One entry of a service's `target.entity` filter list, as Home Assistant describes it. */
interface EntityFilter {
  domain?: string[];
  supported_features?: number[];
  device_class?: string[];
  integration?: string;
}

/** The target's entity filters, or undefined when the service takes no target at all. */
export function targetFilters(desc: ServiceDescription): EntityFilter[] | undefined {
  const target = desc.target as { entity?: EntityFilter[] | EntityFilter } | undefined;
  if (target === undefined || target === null) return undefined;
  const entity = target.entity;
  if (entity === undefined) return [];
  return Array.isArray(entity) ? entity : [entity];
}

function domainOf(entityId: string): string {
  return entityId.slice(0, entityId.indexOf('.'));
}

export function matchesDomain(filters: EntityFilter[], entityId: string): boolean {
  if (!filters.length) return true;
  return filters.some((f) => !f.domain || f.domain.includes(domainOf(entityId)));
}

/** Does the entity support what the service needs (any one filter matching in full)? */
export function matchesFilter(filters: EntityFilter[], state: HaState): boolean {
  if (!filters.length) return true;
  const features = typeof state.attributes.supported_features === 'number' ? state.attributes.supported_features : 0;
  const deviceClass = state.attributes.device_class;
  return filters.some(
    (f) =>
      (!f.domain || f.domain.includes(domainOf(state.entity_id))) &&
      (!f.supported_features || f.supported_features.some((bits) => (features & bits) === bits)) &&
      (!f.device_class || (typeof deviceClass === 'string' && f.device_class.includes(deviceClass))),
  );
}

function unknownTarget(kind: string, id: string, known: Iterable<string>): AppError {
  const names = [...known].slice(0, 20);
  return new AppError('validation_error', `Unknown ${kind} "${id}" in target.`, names.length ? `Known ${kind}s: ${names.join(', ')}.` : `This home has no ${kind}s.`, {
    details: { rule: 'target_exists', [kind]: id },
  });
}

/**
 * Resolves the call's target to entity states. Explicit entity ids must exist (entity_not_found
 * names the closest); devices, areas, floors and labels must exist and contribute their
 * entities of the service's domains.
 */
export function resolveTargets(call: ServiceCall, desc: ServiceDescription, cache: HomeCache): HaState[] {
  const t = call.target ?? {};
  const filters = targetFilters(desc) ?? [];
  const out = new Map<string, HaState>();
  for (const id of t.entity_id ?? []) {
    if (id === 'none') continue;
    if (id === 'all') {
      for (const state of cache.states()) if (filters.length && matchesDomain(filters, state.entity_id)) out.set(state.entity_id, state);
      continue;
    }
    out.set(id, requireState(cache, id));
  }
  const areas = new Set<string>(t.area_id ?? []);
  for (const floor of t.floor_id ?? []) {
    if (!cache.floors.has(floor)) throw unknownTarget('floor', floor, cache.floors.keys());
    for (const a of cache.areas.values()) if (a.floor_id === floor) areas.add(a.area_id);
  }
  for (const a of t.area_id ?? []) if (!cache.areas.has(a)) throw unknownTarget('area', a, cache.areas.keys());
  for (const d of t.device_id ?? []) if (!cache.devices.has(d)) throw unknownTarget('device', d, cache.devices.keys());
  for (const l of t.label_id ?? []) if (!cache.labels.has(l)) throw unknownTarget('label', l, cache.labels.keys());
  const devices = new Set(t.device_id ?? []);
  const labels = new Set(t.label_id ?? []);
  if (areas.size || devices.size || labels.size) {
    for (const entry of cache.entities.values()) {
      if (entry.disabled_by || !matchesDomain(filters, entry.entity_id)) continue;
      const device = entry.device_id ? cache.devices.get(entry.device_id) : undefined;
      const area = entry.area_id ?? device?.area_id ?? undefined;
      const hit =
        (area !== undefined && area !== null && areas.has(area)) ||
        (entry.device_id !== undefined && entry.device_id !== null && devices.has(entry.device_id)) ||
        entry.labels.some((l) => labels.has(l)) ||
        (device?.labels ?? []).some((l) => labels.has(l));
      const state = hit ? cache.getState(entry.entity_id) : undefined;
      if (state) out.set(entry.entity_id, state);
    }
  }
  return [...out.values()];
}
