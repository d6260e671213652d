// ha_list_automations: automations and scripts with what a model needs to reason about them.
import { z } from 'zod';
import { entityName } from '../home/placement.js';
import { liveCache } from '../home/liveCache.js';
import { page, pagingInput, pagingOutput } from './paging.js';
import { nameArg } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

// A type alias (not an interface) so that it fits the output's record schema.
type Item = {
  entity_id: string;
  id?: string;
  name: string;
  state: string;
  last_triggered: string | null;
  mode?: string;
  current?: number;
};

export const listAutomations = defineTool({
  name: 'ha_list_automations',
  title: 'List automations and scripts',
  description: 'Automations and scripts: id, name, state (on/off), last_triggered, mode, current runs.',
  toolset: 'read',
  input: z.object({
    domain: z.enum(['automation', 'script']).optional().describe('Default: both'),
    state: nameArg().optional().describe('e.g. "off" for disabled automations'),
    ...pagingInput,
  }),
  output: z.object({ items: z.array(z.record(z.string(), z.unknown())), ...pagingOutput, stale: z.boolean() }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache, stale } = liveCache(ctx);
    const domains = input.domain ? [input.domain] : ['automation', 'script'];
    const list: Item[] = [];
    for (const s of cache.states()) {
      const domain = s.entity_id.slice(0, s.entity_id.indexOf('.'));
      if (!domains.includes(domain) || (input.state !== undefined && s.state !== input.state)) continue;
      const a = s.attributes;
      const item: Item = {
        entity_id: s.entity_id,
        name: entityName(cache, s, s.entity_id),
        state: s.state,
        last_triggered: typeof a.last_triggered === 'string' ? a.last_triggered : null,
      };
      if (typeof a.id === 'string') item.id = a.id;
      if (typeof a.mode === 'string') item.mode = a.mode;
      if (typeof a.current === 'number') item.current = a.current;
      list.push(item);
    }
    list.sort((a, b) => a.entity_id.localeCompare(b.entity_id));
    const p = page(list, input.limit, input.offset);
    return { items: p.items, total: p.total, offset: p.offset, has_more: p.has_more, stale };
  },
});
