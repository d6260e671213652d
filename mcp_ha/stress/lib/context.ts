// What every part gets: the mode, the report, the adapters that work, and fresh stacks
// (simulator + built server) to run against.
import type { Adapter, Session, Target } from '../adapters.js';
import { freePort } from '../../test/helpers/net.js';
import { API_KEY, ServerProc, SimProc, serverEnv, type ServerEnvOptions } from './procs.js';
import type { Report } from './report.js';

export interface Stack {
  sim: SimProc;
  server: ServerProc;
  target: Target;
  close(): Promise<void>;
}

export interface Ctx {
  quick: boolean;
  seed: number;
  report: Report;
  /** Every adapter, and those that passed the probe. */
  all: Adapter[];
  available: Adapter[];
  controlUrl: string;
  /** `full` normally, `quick` in quick mode. */
  scale(full: number, quick: number): number;
  stack(opts?: ServerEnvOptions & { sim?: SimProc }): Promise<Stack>;
  log(msg: string): void;
}

export function targetFor(sim: SimProc, server: ServerProc): Target {
  return {
    url: server.url,
    mcpUrl: server.mcpUrl,
    apiKey: API_KEY,
    stdioEnv: async (dataDir) => serverEnv(sim, await freePort(), { dataDir }),
  };
}

export async function startStack(opts: ServerEnvOptions & { sim?: SimProc } = {}): Promise<Stack> {
  const sim = opts.sim ?? (await SimProc.start());
  const server = await ServerProc.start(sim, opts);
  return {
    sim,
    server,
    target: targetFor(sim, server),
    async close() {
      await server.stop();
      if (!opts.sim) await sim.stop();
    },
  };
}

/** Closes sessions, never throwing. */
export async function closeAll(sessions: Session[]): Promise<void> {
  await Promise.allSettled(sessions.map((s) => s.close()));
}
