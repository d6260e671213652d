// Shared set-up for the Home Assistant client tests: a client pointed at a simulator, with short
// timings and every log line kept (to check that no token is ever logged).
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { HaConnectionConfig } from '../../src/config/schema.js';
import { createHaClient, type HaClientOptions } from '../../src/ha/client.js';
import type { HaClient } from '../../src/ha/types.js';

export const FAST: HaClientOptions = { backoff: { initialMs: 20, maxMs: 200 }, heartbeatMs: 1_000, registryDebounceMs: 20 };

export interface TestClient {
  ha: HaClient;
  logs(): string;
}

export function haConfig(base: string, token: string, extra: Partial<HaConnectionConfig> = {}): HaConnectionConfig {
  return {
    mode: 'direct',
    restBase: base,
    wsUrl: `${base.replace(/^http/, 'ws')}/api/websocket`,
    token,
    userBase: base,
    caFile: undefined,
    requestTimeoutMs: 2_000,
    ...extra,
  };
}

export function testClient(config: HaConnectionConfig, opts: HaClientOptions = FAST): TestClient {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  const ha = createHaClient(config, pino({ level: 'debug' }, sink), opts);
  return { ha, logs: () => text };
}

/** Polls until `check` returns true (or throws after `ms`). */
export async function until(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The next emission of `event`, with its arguments. */
export function nextEvent<T extends unknown[]>(
  emitter: { once(event: string, fn: (...args: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...args: T) => resolve(args)));
}
