// ha_overview: the home at a glance; the first call a model should make.
import { z } from 'zod';
import { buildOverview } from '../home/overview.js';
import { liveCache } from '../home/liveCache.js';
import { READ_ONLY, defineTool } from './tool.js';

const obj = z.record(z.string(), z.unknown());
const counts = z.record(z.string(), z.number());

export const overview = defineTool({
  name: 'ha_overview',
  title: 'Home overview',
  description:
    'Start here: entity counts per domain, floors and areas, capabilities, energy now, service domains, and entities needing attention.',
  toolset: 'read',
  input: z.object({}),
  output: z.object({
    home: obj,
    domains: counts,
    floors: obj,
    areas: z.array(z.string()),
    area_ranges: z.string().optional(),
    entities_without_area: z.number(),
    capabilities: z.record(z.string(), z.boolean()),
    energy: obj,
    service_domains: z.array(z.string()),
    attention: obj,
    names: z.record(z.string(), z.string()).optional(),
    note: z.string().optional(),
    stale: z.boolean(),
  }),
  annotations: READ_ONLY,
  async run(_input, ctx) {
    const { cache, stale } = liveCache(ctx);
    return { ...(await buildOverview(ctx.ha, cache)), stale };
  },
});
