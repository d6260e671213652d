// ha_list_registry: areas, floors, labels and devices from Home Assistant's registries (kept
// live by the client on *_registry_updated), with how many entities each holds.
import { z } from 'zod';
import type { HomeCache } from '../ha/types.js';
import { findArea, findFloor, placementOf } from '../home/placement.js';
import { liveCache } from '../home/liveCache.js';
import { page, pagingInput, pagingOutput } from './paging.js';
import { nameArg } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

type Item = Record<string, unknown>;

/** Entities (with a state) per area, floor and label, in one pass. */
function entityCounts(cache: HomeCache): { area: Map<string, number>; floor: Map<string, number>; label: Map<string, number> } {
  const counts = { area: new Map<string, number>(), floor: new Map<string, number>(), label: new Map<string, number>() };
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (const s of cache.states()) {
    const p = placementOf(cache, s.entity_id);
    if (p.area_id) bump(counts.area, p.area_id);
    if (p.floor_id) bump(counts.floor, p.floor_id);
    for (const l of p.labels) bump(counts.label, l);
  }
  return counts;
}

const nonEmpty = (v: unknown): boolean => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);

function compactItem(fields: Item): Item {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => nonEmpty(v)));
}

function items(cache: HomeCache, kind: string, area: string | undefined, floor: string | undefined): Item[] {
  const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
  if (kind === 'devices') {
    const perDevice = new Map<string, string[]>();
    for (const e of cache.entities.values()) if (e.device_id) (perDevice.get(e.device_id) ?? perDevice.set(e.device_id, []).get(e.device_id))?.push(e.entity_id);
    return [...cache.devices.values()]
      .filter((d) => (!area || d.area_id === area) && (!floor || (d.area_id && cache.areas.get(d.area_id)?.floor_id === floor)))
      .map((d) => ({ d, name: d.name_by_user ?? d.name ?? d.id }))
      .sort(byName)
      .map(({ d, name }) =>
        compactItem({ id: d.id, name, area_id: d.area_id, manufacturer: d.manufacturer, model: d.model, disabled: d.disabled_by ? true : undefined, entities: perDevice.get(d.id) }),
      );
  }
  const counts = entityCounts(cache);
  if (kind === 'floors') {
    return [...cache.floors.values()]
      .sort((a, b) => (a.level ?? 0) - (b.level ?? 0) || byName(a, b))
      .map((f) =>
        compactItem({
          floor_id: f.floor_id, name: f.name, level: f.level, aliases: f.aliases,
          areas: [...cache.areas.values()].filter((a) => a.floor_id === f.floor_id).map((a) => a.area_id),
          entities: counts.floor.get(f.floor_id) ?? 0,
        }),
      );
  }
  if (kind === 'labels') {
    return [...cache.labels.values()]
      .sort(byName)
      .map((l) => compactItem({ label_id: l.label_id, name: l.name, description: l.description, entities: counts.label.get(l.label_id) ?? 0 }));
  }
  return [...cache.areas.values()]
    .filter((a) => !floor || a.floor_id === floor)
    .sort(byName)
    .map((a) => compactItem({ area_id: a.area_id, name: a.name, floor_id: a.floor_id, aliases: a.aliases, labels: a.labels, entities: counts.area.get(a.area_id) ?? 0 }));
}

export const listRegistry = defineTool({
  name: 'ha_list_registry',
  title: 'List areas, floors, labels or devices',
  description: 'Areas, floors, labels or devices with their ids and entity counts (devices list their entity_ids).',
  toolset: 'read',
  input: z.object({
    kind: z.enum(['areas', 'floors', 'labels', 'devices']).default('areas'),
    area: nameArg().optional().describe('Devices in this area (id or name)'),
    floor: nameArg().optional().describe('Areas or devices on this floor (id or name)'),
    ...pagingInput,
  }),
  output: z.object({ items: z.array(z.record(z.string(), z.unknown())), ...pagingOutput, stale: z.boolean() }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache, stale } = liveCache(ctx);
    const area = input.area === undefined ? undefined : findArea(cache, input.area);
    const floor = input.floor === undefined ? undefined : findFloor(cache, input.floor);
    const p = page(items(cache, input.kind, area, floor), input.limit, input.offset);
    return { items: p.items, total: p.total, offset: p.offset, has_more: p.has_more, stale };
  },
});
