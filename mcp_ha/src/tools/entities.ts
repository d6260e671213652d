// ha_list_entities: the home's entities as compact rows grouped by area (a few dozen bytes
// each, an area's rows lines of one string), filterable by domain, area, floor, label, device
// class and state; more on request.
import { z } from 'zod';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { ROW_FORMAT, SHARED_FORMAT, compactLines, entitySummary } from '../home/compact.js';
import { areaIdOf, findArea, findFloor, findLabel, placementOf } from '../home/placement.js';
import { requireState } from '../home/entityLookup.js';
import { liveCache } from '../home/liveCache.js';
import { page, pagingInput, pagingOutput } from './paging.js';
import { domainArg, entityIdArg, nameArg } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

export const NO_AREA = '(no area)';

const Input = z.object({
  domain: domainArg().optional(),
  area: nameArg().optional().describe('Area id or name'),
  floor: nameArg().optional().describe('Floor id or name'),
  label: nameArg().optional().describe('Label id or name'),
  device_class: nameArg().optional(),
  state: nameArg().optional().describe('Exact state, e.g. "on"'),
  entity_ids: z.array(entityIdArg()).max(500).optional(),
  detail: z
    .enum(['compact', 'summary', 'full'])
    .default('compact')
    .describe('compact: rows by area; summary: objects with key attributes; full: raw states'),
  ...pagingInput,
});

function filtered(cache: HomeCache, input: z.infer<typeof Input>): HaState[] {
  const areaId = input.area === undefined ? undefined : findArea(cache, input.area);
  const floorId = input.floor === undefined ? undefined : findFloor(cache, input.floor);
  const labelId = input.label === undefined ? undefined : findLabel(cache, input.label);
  const prefix = input.domain ? `${input.domain}.` : undefined;
  const source = input.entity_ids ? input.entity_ids.map((id) => requireState(cache, id)) : cache.states();
  const out: HaState[] = [];
  for (const s of source) {
    if (prefix && !s.entity_id.startsWith(prefix)) continue;
    if (input.state !== undefined && s.state !== input.state) continue;
    if (input.device_class !== undefined && s.attributes.device_class !== input.device_class) continue;
    if (areaId || floorId || labelId) {
      const p = placementOf(cache, s.entity_id);
      if ((areaId && p.area_id !== areaId) || (floorId && p.floor_id !== floorId) || (labelId && !p.labels.includes(labelId))) continue;
    }
    out.push(s);
  }
  return out;
}

export const listEntities = defineTool({
  name: 'ha_list_entities',
  title: 'List entities',
  description: `Entities, filterable. Compact: per area one string, a line per entity "${ROW_FORMAT}" (state with unit; class and name only when the id does not say them); entities sharing a state are one line "${SHARED_FORMAT}".`,
  toolset: 'read',
  input: Input,
  output: z.object({
    by_area: z.record(z.string(), z.string()).optional(),
    entities: z.array(z.record(z.string(), z.unknown())).optional(),
    states: z.array(z.record(z.string(), z.unknown())).optional(),
    ...pagingOutput,
    stale: z.boolean(),
  }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache, stale } = liveCache(ctx);
    const states = filtered(cache, input);
    if (input.detail !== 'compact') {
      if (!input.entity_ids) states.sort((a, b) => a.entity_id.localeCompare(b.entity_id));
      const p = page(states, input.limit, input.offset);
      const body = input.detail === 'full' ? { states: p.items } : { entities: p.items.map((s) => ({ ...entitySummary(cache, s) })) };
      return { ...body, total: p.total, offset: p.offset, has_more: p.has_more, stale };
    }
    // Sorted by area so that a page is a few groups, not rows scattered over many.
    const keyed = states.map((s) => ({ s, area: areaIdOf(cache, s.entity_id) ?? NO_AREA }));
    keyed.sort((a, b) => (a.area === b.area ? a.s.entity_id.localeCompare(b.s.entity_id) : a.area < b.area ? -1 : 1));
    const p = page(keyed, input.limit, input.offset);
    const groups: Record<string, HaState[]> = {};
    for (const { s, area } of p.items) (groups[area] ??= []).push(s);
    const byArea: Record<string, string> = {};
    for (const [area, list] of Object.entries(groups)) byArea[area] = compactLines(cache, list);
    return { by_area: byArea, total: p.total, offset: p.offset, has_more: p.has_more, stale };
  },
});
