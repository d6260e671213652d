// A recorded home for unit tests: the demo's services and states from the capture, behind the
// HomeCache interface, and a fake Home Assistant client that records calls.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HaState, Services } from '../../src/ha/schemas.js';
import type { HaClient, HomeCache, ServiceCall, ServiceCallResult } from '../../src/ha/types.js';

const CAPTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ha-capture');

function firstBody(file: string): unknown {
  const rec = JSON.parse(readFileSync(join(CAPTURE, file), 'utf8')) as { exchanges: { response: { body: unknown } }[] };
  return rec.exchanges[0]?.response.body;
}

export function demoServices(): Services {
  const list = firstBody('rest-services.json') as { domain: string; services: Services[string] }[];
  return Object.fromEntries(list.map((d) => [d.domain, d.services]));
}

export function demoStates(): HaState[] {
  return structuredClone(firstBody('rest-states.json') as HaState[]);
}

export function fakeCache(states = demoStates(), services = demoServices()): HomeCache & { set(s: HaState): void } {
  const map = new Map(states.map((s) => [s.entity_id, s]));
  return Object.assign(new EventEmitter(), {
    ready: true,
    loaded: true,
    lastUpdate: Date.now(),
    getState: (id: string) => map.get(id),
    states: () => map.values(),
    get size() {
      return map.size;
    },
    services,
    config: undefined,
    areas: new Map(),
    floors: new Map(),
    labels: new Map(),
    devices: new Map(),
    entities: new Map(),
    set: (s: HaState) => void map.set(s.entity_id, s),
  }) as unknown as HomeCache & { set(s: HaState): void };
}

/** A Home Assistant that applies attribute changes from service data and records every call. */
export function fakeHa(cache = fakeCache(), fail?: (call: ServiceCall) => Error | undefined): HaClient & { calls: ServiceCall[] } {
  const calls: ServiceCall[] = [];
  const ha = {
    status: 'connected',
    version: 'test',
    cache,
    calls,
    async callService(call: ServiceCall): Promise<ServiceCallResult> {
      calls.push(call);
      const err = fail?.(call);
      if (err) throw err;
      const changed: HaState[] = [];
      for (const id of call.target?.entity_id ?? []) {
        const s = cache.getState(id);
        if (!s) continue;
        const next = structuredClone(s);
        if (call.service === 'turn_off') next.state = 'off';
        if (call.service === 'turn_on') next.state = 'on';
        const { code: _code, ...data } = call.service_data ?? {};
        Object.assign(next.attributes, data);
        (cache as ReturnType<typeof fakeCache>).set(next);
        changed.push(next);
      }
      return { changed_states: changed };
    },
  };
  return ha as unknown as HaClient & { calls: ServiceCall[] };
}
