// ha_get_energy: the energy dashboard's sources and devices with live values, and power now.
import { z } from 'zod';
import { energyPrefs, energyView } from '../home/energy.js';
import { liveCache } from '../home/liveCache.js';
import { READ_ONLY, defineTool } from './tool.js';

const readings = z.record(z.string(), z.string());
const group = z.record(z.string(), readings);

export const getEnergy = defineTool({
  name: 'ha_get_energy',
  title: 'Energy',
  description: 'Energy dashboard: grid, solar, battery, gas, water and device sensors with live values, and power now in W.',
  toolset: 'read',
  input: z.object({ prefs: z.boolean().default(false).describe('Include the raw dashboard preferences') }),
  output: z.object({
    configured: z.boolean(),
    grid: group.optional(),
    solar: group.optional(),
    battery: group.optional(),
    gas: readings.optional(),
    water: readings.optional(),
    devices: z.array(z.record(z.string(), z.string())).optional(),
    power_w: z.record(z.string(), z.number()).optional(),
    prefs: z.record(z.string(), z.unknown()).optional(),
    stale: z.boolean(),
  }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache, stale } = liveCache(ctx);
    const prefs = await energyPrefs(ctx.ha);
    const view = energyView(cache, prefs);
    return { ...view, ...(input.prefs && prefs ? { prefs: { ...prefs } } : {}), stale };
  },
});
