// A TemplateEnv over the recorded demo states (rest-states.json) and a small registry.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HomeData, SimState } from '../../sim/model.js';
import type { TemplateEnv } from '../../sim/template/types.js';

const here = dirname(fileURLToPath(import.meta.url));

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(here, 'fixtures', name), 'utf8')) as T;
}

export function demoStates(): SimState[] {
  return fixture<{ exchanges: { response: { body: SimState[] } }[] }>('rest-states.json').exchanges[0]!.response.body;
}

/** 2026-11-21T16:24:55Z, the recording's time. */
export const RECORDED_NOW = new Date('2026-11-21T16:24:55.900Z');

export function makeEnv(states: SimState[] = demoStates(), home: Partial<HomeData> = {}, now = RECORDED_NOW): TemplateEnv {
  const byId = new Map(states.map((s) => [s.entity_id, s]));
  const data: HomeData = {
    config: { time_zone: 'Europe/Amsterdam' }, states, services: {}, areas: [], floors: [], labels: [], devices: [], entities: [],
    energyPrefs: {}, automationConfigs: {}, scriptConfigs: {}, ...home,
  } as HomeData;
  return { states: () => states, getState: (id) => byId.get(id), home: data, now: () => now };
}
