// ha_list_states and ha_get_state: full state objects, from the live cache.
import { z } from 'zod';
import { StateSchema } from '../ha/schemas.js';
import { requireState } from '../home/entityLookup.js';
import { liveCache } from '../home/liveCache.js';
import { learnFromMiss, learnFromUse } from '../home/names/household.js';
import { page, pagingInput, pagingOutput } from './paging.js';
import { domainArg, entityIdArg } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

export const listStates = defineTool({
  name: 'ha_list_states',
  title: 'List entity states',
  description:
    'Full state objects (state, attributes, timestamps). Filter by domain or entity_ids; paginated. Prefer ha_list_entities for a compact overview.',
  toolset: 'read',
  input: z.object({
    domain: domainArg().optional().describe('Only this domain, e.g. "light"'),
    entity_ids: z.array(entityIdArg()).max(500).optional().describe('Only these entities'),
    ...pagingInput,
  }),
  output: z.object({
    states: z.array(StateSchema),
    ...pagingOutput,
    stale: z.boolean(),
  }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache, stale } = liveCache(ctx);
    let states = input.entity_ids
      ? input.entity_ids.map((id) => requireState(cache, id))
      : [...cache.states()];
    if (input.domain) states = states.filter((s) => s.entity_id.startsWith(`${input.domain}.`));
    if (!input.entity_ids) states.sort((a, b) => a.entity_id.localeCompare(b.entity_id));
    const p = page(states, input.limit, input.offset);
    return { states: p.items, total: p.total, offset: p.offset, has_more: p.has_more, stale };
  },
});

export const getState = defineTool({
  name: 'ha_get_state',
  title: 'Get one entity state',
  description: 'Current state and attributes of one entity. Unknown ids get the closest matches.',
  toolset: 'read',
  input: z.object({
    entity_id: entityIdArg().describe('e.g. "light.kitchen"'),
  }),
  output: z.object({ state: StateSchema, stale: z.boolean() }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache, stale } = liveCache(ctx);
    let state;
    try {
      state = requireState(cache, input.entity_id);
    } catch (err) {
      learnFromMiss(ctx, err);
      throw err;
    }
    learnFromUse(ctx, [input.entity_id], 'read');
    return { state, stale };
  },
});
