// ha_trace: why an automation or script did or did not run. Its last runs (trace/list: time,
// result, trigger, error), or one run's path through its conditions and actions (trace/get),
// with who started it (trace/contexts, the person of a user). Home Assistant keeps the last 5
// runs of each automation and script with an id, since it started.
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { homeLive } from '../home/live.js';
import { liveCache } from '../home/liveCache.js';
import { homeZone, formatTime } from '../home/time.js';
import { MAX_ANSWER_TOKENS, estimateTokens } from '../home/tokens.js';
import { TraceSchema, TraceSummarySchema, newestFirst, outcome, runLine, runPath, type TraceSummary } from '../home/traces.js';
import { maskSecrets } from '../home/secrets.js';
import { throwIfCancelled } from './history.js';
import { nameArg } from './limits.js';
import { adminCommand } from './systemAccess.js';
import { READ_ONLY, defineTool, type ToolContext } from './tool.js';

const MAX_PATH_LINES = 60;

interface Item {
  entity_id: string;
  domain: 'automation' | 'script';
  item_id: string;
  state: HaState;
}

const TRACED = (id: string): boolean => id.startsWith('automation.') || id.startsWith('script.');

/** Up to 3 automations or scripts whose id or name is closest to `query`. */
function closest(cache: HomeCache, query: string): string[] {
  const hits = homeLive(cache).search.search(query, 3, TRACED).map((h) => h.entity_id);
  if (hits.length) return hits;
  const q = query.toLowerCase();
  const all = [...cache.states()].map((s) => s.entity_id).filter(TRACED);
  return all.filter((id) => id.includes(q) || q.includes(id.slice(id.indexOf('.') + 1))).slice(0, 3);
}

function notFound(cache: HomeCache, id: string): AppError {
  const near = closest(cache, id);
  return new AppError('not_found', `No automation or script "${id}".`, near.length ? `Did you mean ${near.join(', ')}? ha_list_automations lists them all.` : 'ha_list_automations lists the automations and scripts with their ids.', { details: { id, closest: near } });
}

/** An automation or script by entity_id, automation id, or script object id. */
function findItem(cache: HomeCache, id: string): Item {
  let state: HaState | undefined;
  if (id.includes('.')) {
    state = TRACED(id) ? cache.getState(id) : undefined;
    if (!state && !TRACED(id)) {
      throw new AppError('invalid_input', `${id} is neither an automation nor a script.`, 'Give an automation.* or script.* entity_id (ha_list_automations lists them).');
    }
  } else {
    state = cache.getState(`script.${id}`);
    if (!state) for (const s of cache.states()) if (s.entity_id.startsWith('automation.') && s.attributes.id === id) state = s;
    state ??= cache.getState(`automation.${id}`);
  }
  if (!state) throw notFound(cache, id);
  const domain = state.entity_id.startsWith('automation.') ? 'automation' : 'script';
  const itemId = domain === 'script' ? state.entity_id.slice('script.'.length) : state.attributes.id;
  if (typeof itemId !== 'string' || !itemId) {
    throw new AppError('not_found', `${state.entity_id} has no id, and Home Assistant keeps traces only for automations with one.`, 'Give the automation an id (automations made in the UI have one) to get its traces.');
  }
  return { entity_id: state.entity_id, domain, item_id: itemId, state };
}

async function listRuns(ctx: ToolContext, domain: 'automation' | 'script', itemId?: string): Promise<TraceSummary[]> {
  const raw = await adminCommand<unknown>(ctx, { type: 'trace/list', domain, ...(itemId !== undefined ? { item_id: itemId } : {}) }, 'traces');
  return z.array(TraceSummarySchema).parse(raw);
}

/** The entity_id of a trace's item, from the cache (automations by their id attribute). */
function entityOf(t: { domain: string; item_id: string }, byAutomationId: Map<string, string>): string {
  return t.domain === 'script' ? `script.${t.item_id}` : (byAutomationId.get(t.item_id) ?? `automation.${t.item_id}`);
}

function automationIds(cache: HomeCache): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of cache.states()) if (s.entity_id.startsWith('automation.') && typeof s.attributes.id === 'string') m.set(s.attributes.id, s.entity_id);
  return m;
}

/**
 * Who started a run: a person (the context's user), else the automation or script run that did:
 * one sharing this run's context (a script run by an automation's action), or owning its parent
 * context (an automation triggered by a change another run made).
 */
async function startedBy(ctx: ToolContext, cache: HomeCache, run: { run_id: string }, context: { id: string; user_id?: string | null | undefined; parent_id?: string | null | undefined } | undefined): Promise<string | undefined> {
  if (!context) return undefined;
  if (context.user_id) {
    for (const s of cache.states()) if (s.entity_id.startsWith('person.') && s.attributes.user_id === context.user_id) return String(s.attributes.friendly_name ?? s.entity_id);
    return `user ${context.user_id.slice(0, 8)}`;
  }
  const contexts = z.record(z.string(), z.object({ run_id: z.string(), domain: z.string(), item_id: z.string() })).parse(await adminCommand(ctx, { type: 'trace/contexts' }, 'traces'));
  const same = contexts[context.id];
  const starter = same && same.run_id !== run.run_id ? same : context.parent_id ? contexts[context.parent_id] : undefined;
  return starter ? `${entityOf(starter, automationIds(cache))} (run ${starter.run_id.slice(0, 8)})` : undefined;
}

export const trace = defineTool({
  name: 'ha_trace',
  title: 'Traces',
  description: 'Why an automation or script ran or not: its last runs (time, result, trigger, error); with run_id, the path taken.',
  toolset: 'read',
  input: z.object({
    id: nameArg().optional().describe('Automation/script entity_id or id; default all'),
    run_id: z.string().min(1).max(64).optional().describe('"latest" or a listed run'),
    limit: z.number().int().min(1).max(50).default(10),
    offset: z.number().int().min(0).max(1000).default(0),
  }),
  output: z.object({
    time_zone: z.string(),
    runs: z.array(z.string()).optional(),
    result: z.string().optional(),
    path: z.array(z.string()).optional(),
    total: z.number().optional(),
    has_more: z.boolean(),
    note: z.string().optional(),
  }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache } = liveCache(ctx);
    const tz = homeZone(cache);
    const mask = (s: string): string => maskSecrets(s, [ctx.config.ha.token]);
    if (input.run_id !== undefined && input.id === undefined) {
      throw new AppError('invalid_input', 'run_id needs the id of its automation or script.', 'Give id too, e.g. {"id": "automation.hall_light", "run_id": "latest"}.');
    }
    if (input.id === undefined) {
      // Every automation's and script's runs, newest first.
      const runs = newestFirst([...(await listRuns(ctx, 'automation')), ...(await listRuns(ctx, 'script'))]);
      throwIfCancelled(ctx.signal);
      const ids = automationIds(cache);
      const page = runs.slice(input.offset, input.offset + input.limit).map((t) => mask(runLine(t, tz, entityOf(t, ids))));
      const has_more = input.offset + page.length < runs.length;
      const out: { time_zone: string; runs: string[]; total: number; has_more: boolean; note?: string } = { time_zone: tz, runs: page, total: runs.length, has_more };
      if (!runs.length) out.note = 'No automation or script has run since Home Assistant started (it keeps the last 5 runs of each).';
      else if (has_more) out.note = `${runs.length - input.offset - page.length} older runs: offset ${input.offset + page.length}, or give id for one automation.`;
      return out;
    }

    const item = findItem(cache, input.id);
    const runs = newestFirst(await listRuns(ctx, item.domain, item.item_id));
    throwIfCancelled(ctx.signal);
    if (!runs.length) {
      const last = typeof item.state.attributes.last_triggered === 'string' ? formatTime(Date.parse(item.state.attributes.last_triggered), tz) : 'never';
      const off = item.domain === 'automation' && item.state.state === 'off';
      throw new AppError(
        'not_found',
        `${item.entity_id} has no traces yet: it has not run since Home Assistant started (last triggered: ${last}).${off ? ' It is off, so its triggers do nothing.' : ''}`,
        off ? 'Turn it on (automation.turn_on) for its triggers to work again.' : 'Check its triggers (ha_get_state shows its attributes), or trigger it to test; then ask again.',
        { details: { entity_id: item.entity_id, state: item.state.state } },
      );
    }
    if (input.run_id === undefined) {
      const page = runs.slice(input.offset, input.offset + input.limit).map((t) => mask(runLine(t, tz)));
      const has_more = input.offset + page.length < runs.length;
      return { time_zone: tz, runs: page, total: runs.length, has_more, note: `${item.entity_id}: run_id "latest" (or a run) shows the path taken.${item.state.state === 'off' ? ' The automation is off now.' : ''}` };
    }

    const want = input.run_id.toLowerCase();
    const chosen = want === 'latest' ? runs[0] : runs.filter((t) => t.run_id.startsWith(want)).length === 1 ? runs.find((t) => t.run_id.startsWith(want)) : undefined;
    if (!chosen) {
      throw new AppError('not_found', `${item.entity_id} has no run "${input.run_id.slice(0, 64)}" (of its ${runs.length} kept).`, `Use "latest" or one of: ${runs.map((t) => t.run_id.slice(0, 8)).join(', ')}.`);
    }
    const full = TraceSchema.parse(await adminCommand(ctx, { type: 'trace/get', domain: item.domain, item_id: item.item_id, run_id: chosen.run_id }, 'traces'));
    throwIfCancelled(ctx.signal);
    const { path, not_reached, more } = runPath(full, MAX_PATH_LINES);
    const who = await startedBy(ctx, cache, full, full.context);
    const lines = [...path, ...not_reached.map((l) => `not reached: ${l}`)].map(mask);
    const out: { time_zone: string; result: string; path: string[]; has_more: boolean; note?: string } = {
      time_zone: tz,
      result: mask(`${item.entity_id} ${formatTime(Date.parse(full.timestamp.start), tz, true)} ${outcome(full)}${who ? `, started by ${who}` : ''}, run ${full.run_id}`),
      path: lines,
      has_more: more > 0,
    };
    // Long paths (repeat loops) are cut by lines above; this keeps the rest under the answer bound.
    while (estimateTokens(JSON.stringify(out)) > MAX_ANSWER_TOKENS && out.path.length > 1) {
      out.path.pop();
      out.has_more = true;
    }
    if (out.has_more) out.note = 'The path is cut: its first steps are shown (a loop repeats its steps).';
    return out;
  },
});
