// A Home Assistant client on a simulator home, loaded and ready, with the deps prompts take:
// the SDK-free prompt and completion code needs no MCP server around it.
import { startSimulator, type Simulator, type SimOptions } from '../../sim/server.js';
import type { HaClient } from '../../src/ha/types.js';
import type { PromptDeps } from '../../src/prompts/index.js';
import { TOOLSETS, type Toolset } from '../../src/config/schema.js';
import { haConfig, testClient } from '../ha/helpers.js';

export { until } from '../ha/helpers.js';

const ALL_TOOLSETS: Toolset[] = [...TOOLSETS];

export interface SimHome {
  sim: Simulator;
  ha: HaClient;
  /** Deps as production builds them for these toolsets (default all) and read-only setting. */
  deps(opts?: { toolsets?: Toolset[]; readOnly?: boolean }): PromptDeps;
  close(): Promise<void>;
}

export async function startSimHome(home: SimOptions['home'] = 'demo'): Promise<SimHome> {
  const sim = await startSimulator({ port: 0, home });
  const { ha } = testClient(haConfig(sim.url, sim.token, { requestTimeoutMs: 20_000 }));
  await ha.start();
  await ha.waitReady(30_000);
  return {
    sim,
    ha,
    deps: ({ toolsets = ALL_TOOLSETS, readOnly = false } = {}) => ({ ha, config: { toolsets, policy: { readOnly } } }),
    async close() {
      await ha.close();
      await sim.close();
    },
  };
}
