// ha_search_entities: typo-tolerant, ranked search over ids, names, aliases, areas and devices.
import { z } from 'zod';
import { entityName, findArea, placementOf } from '../home/placement.js';
import { homeLive } from '../home/live.js';
import { stateWithUnit } from '../home/compact.js';
import { liveCache } from '../home/liveCache.js';
import { namesOf, sessionKey } from '../home/names/household.js';
import { withLearned } from '../home/names/rank.js';
import { domainArg, nameArg } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

export const searchEntities = defineTool({
  name: 'ha_search_entities',
  title: 'Search entities',
  description: 'Fuzzy search by name, entity_id, alias, area or device (typos ok); best matches first with a 0-1 score.',
  toolset: 'read',
  input: z.object({
    query: z.string().min(1).max(200).describe('e.g. "kitchen light"'),
    domain: domainArg().optional(),
    area: nameArg().optional().describe('Area id or name'),
    limit: z.number().int().min(1).max(50).default(10),
    offset: z.number().int().min(0).max(450).default(0),
  }),
  output: z.object({
    results: z.array(
      z.object({ entity_id: z.string(), name: z.string(), state: z.string(), area: z.string().optional(), score: z.number(), learned: z.number().optional() }),
    ),
    offset: z.number().int(),
    has_more: z.boolean(),
    stale: z.boolean(),
  }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache, stale } = liveCache(ctx);
    const areaId = input.area === undefined ? undefined : findArea(cache, input.area);
    const accept =
      input.domain || areaId
        ? (id: string) => (!input.domain || id.startsWith(`${input.domain}.`)) && (!areaId || placementOf(cache, id).area_id === areaId)
        : undefined;
    // Names the household uses lead; the session's next action on an entity may teach one.
    const names = namesOf(cache);
    const learned = names?.lookup(input.query).filter((h) => !accept || accept(h.entity_id)) ?? [];
    const want = input.offset + input.limit + 1;
    const plain = homeLive(cache).search.search(input.query, want + learned.length, accept);
    const hits = withLearned(learned, plain, want);
    names?.searched(sessionKey(ctx), input.query, plain[0]?.entity_id, hits.slice(input.offset, input.offset + input.limit).map((h) => h.entity_id));
    const results = hits.slice(input.offset, input.offset + input.limit).flatMap(({ entity_id, score, learned: sure }) => {
      const s = cache.getState(entity_id);
      if (!s) return [];
      const area = placementOf(cache, entity_id).area_id;
      return [{ entity_id, name: entityName(cache, s, entity_id), state: stateWithUnit(s), ...(area ? { area } : {}), score, ...(sure === undefined ? {} : { learned: sure }) }];
    });
    return { results, offset: input.offset, has_more: hits.length > input.offset + input.limit, stale };
  },
});
