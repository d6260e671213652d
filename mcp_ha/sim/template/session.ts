// The render in progress. Rendering is synchronous, so one module-level session is enough for
// the template functions to reach the home, record listeners and check the budget.
import type { TemplateEnv } from './types.js';
import { BudgetExceeded } from './errors.js';
import { zoneOffsetMinutes } from './datetime.js';

export interface Session {
  env: TemplateEnv;
  source: string;
  all: boolean;
  entities: Set<string>;
  domains: Set<string>;
  time: boolean;
  deadline: number;
  ticks: number;
  timeZone: string;
}

let current: Session | undefined;

export function beginSession(env: TemplateEnv, source: string, budgetMs: number): Session {
  current = {
    env, source, all: false, entities: new Set(), domains: new Set(), time: false,
    deadline: Date.now() + budgetMs, ticks: 0,
    timeZone: typeof env.home.config.time_zone === 'string' ? env.home.config.time_zone : 'UTC',
  };
  return current;
}

export function endSession(): void {
  current = undefined;
}

export function session(): Session {
  if (!current) throw new Error('template function called outside a render');
  return current;
}

/** Counts work done; the clock is read every 1024 ticks to keep the check cheap. */
export function tick(): void {
  const s = session();
  if ((++s.ticks & 1023) === 0 && Date.now() > s.deadline) throw new BudgetExceeded();
}

/** The home's UTC offset (minutes) at `ms`. */
export function localOffset(ms: number): number {
  return zoneOffsetMinutes(session().timeZone, ms);
}
