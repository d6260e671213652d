// Automation and script traces (trace/list, trace/get) as short lines for a model: a run is
// "time result, trigger", and one run's path is a line per step with what its config says
// ("action/1 notify.phone: error Action notify.phone not found"), then the steps not reached.
import { z } from 'zod';
import { formatDuration, formatTime } from './time.js';

const Context = z.object({ id: z.string(), parent_id: z.string().nullable().optional(), user_id: z.string().nullable().optional() }).loose();

/** A trace/list item (and the head of a trace/get answer). */
export const TraceSummarySchema = z
  .object({
    run_id: z.string(),
    domain: z.string(),
    item_id: z.string(),
    state: z.string().optional(),
    script_execution: z.string().nullable().optional(),
    last_step: z.string().nullable().optional(),
    timestamp: z.object({ start: z.string(), finish: z.string().nullable().optional() }).loose(),
    trigger: z.string().nullable().optional(),
    error: z.string().optional(),
  })
  .loose();
export type TraceSummary = z.infer<typeof TraceSummarySchema>;

const Step = z.object({ path: z.string(), timestamp: z.string().optional(), error: z.string().optional(), result: z.unknown().optional(), changed_variables: z.record(z.string(), z.unknown()).optional() }).loose();

export const TraceSchema = TraceSummarySchema.extend({
  trace: z.record(z.string(), z.array(Step)).default({}),
  config: z.record(z.string(), z.unknown()).nullable().optional(),
  context: Context.optional(),
});
export type Trace = z.infer<typeof TraceSchema>;

const MAX_TEXT = 300;
const cut = (s: string, n = MAX_TEXT): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const startMs = (t: TraceSummary): number => Date.parse(t.timestamp.start);

/** Newest first. */
export function newestFirst<T extends TraceSummary>(runs: T[]): T[] {
  return [...runs].sort((a, b) => startMs(b) - startMs(a));
}

/** What happened in a run, in a few words. */
export function outcome(t: TraceSummary): string {
  const at = t.last_step ? ` at ${t.last_step}` : '';
  if (t.state === 'running') return `running${at}`;
  switch (t.script_execution) {
    case 'finished':
      return t.error ? `error${at}: ${cut(t.error)}` : 'finished';
    case 'failed_conditions':
      return `stopped by a condition${at}`;
    case 'failed_single':
      return 'not started: already running (mode single)';
    case 'failed_max_runs':
      return 'not started: too many runs at once (max)';
    case 'cancelled':
      return `cancelled${at}`;
    case 'aborted':
      return `aborted${at}${t.error ? `: ${cut(t.error)}` : ''}`;
    default:
      return `${t.script_execution ?? 'error'}${at}${t.error ? `: ${cut(t.error)}` : ''}`;
  }
}

/** "2026-12-01 19:00:12 error at action/1: ..., trigger state of binary_sensor.door, run 1c27252a" */
export function runLine(t: TraceSummary, tz: string, who?: string): string {
  const start = startMs(t);
  const finish = t.timestamp.finish ? Date.parse(t.timestamp.finish) : NaN;
  const took = Number.isFinite(finish) && finish - start >= 1000 ? ` in ${formatDuration(finish - start)}` : '';
  const trigger = t.domain === 'automation' ? `, trigger ${t.trigger ?? 'manual'}` : '';
  return `${formatTime(start, tz, true)}${who ? ` ${who}` : ''} ${outcome(t)}${took}${trigger}, run ${t.run_id.slice(0, 8)}`;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The config node a path points at ("action/1/then/0" -> config.actions[1].then[0]). */
function nodeAt(config: Dict | null | undefined, path: string): unknown {
  if (!config) return undefined;
  const parts = path.split('/');
  const alias: Record<string, string[]> = { action: ['actions', 'action'], condition: ['conditions', 'condition'], trigger: ['triggers', 'trigger'], sequence: ['sequence'] };
  let node: unknown = undefined;
  const head = parts.shift()!;
  for (const k of alias[head] ?? [head]) if (config[k] !== undefined) node = config[k];
  for (const p of parts) {
    if (Array.isArray(node)) node = node[Number(p)];
    else if (isDict(node)) node = node[p];
    else return undefined;
  }
  return Array.isArray(node) && parts.length === 0 ? undefined : node;
}

const ids = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : v === undefined || v === null ? '' : String(v));

/** One config step in a few words: "light.turn_on light.kitchen", "condition state light.x = on". */
export function describeNode(node: unknown): string {
  if (!isDict(node)) return '';
  if (typeof node.alias === 'string') return node.alias;
  const action = node.action ?? node.service;
  if (typeof action === 'string') {
    const target = isDict(node.target) ? Object.values(node.target).map(ids).filter(Boolean).join(', ') : ids(node.entity_id);
    return `${action}${target ? ` ${target}` : ''}`;
  }
  if (typeof node.condition === 'string') {
    const c = node.condition;
    if (c === 'state') return `state ${ids(node.entity_id)} = ${ids(node.state)}`;
    if (c === 'numeric_state') return `numeric_state ${ids(node.entity_id)}${node.above !== undefined ? ` > ${String(node.above)}` : ''}${node.below !== undefined ? ` < ${String(node.below)}` : ''}`;
    if (c === 'template') return `template ${cut(String(node.value_template ?? ''), 80)}`;
    return c;
  }
  for (const k of ['delay', 'wait_template', 'wait_for_trigger', 'event', 'stop', 'choose', 'if', 'repeat', 'parallel', 'sequence', 'variables', 'scene']) {
    if (k in node) return k === 'event' || k === 'stop' || k === 'scene' ? `${k} ${cut(ids(node[k]), 80)}` : k;
  }
  return '';
}

/** A step's result in a few words. */
function resultText(step: z.infer<typeof Step>, subs: z.infer<typeof Step>[]): string {
  if (step.error !== undefined) return `error: ${cut(step.error)}`;
  const r = step.result;
  if (isDict(r) && typeof r.result === 'boolean') {
    const why = subs
      .map((s) => s.result)
      .filter(isDict)
      .filter((x) => 'state' in x)
      .map((x) => `is ${ids(x.state)}${x.wanted_state !== undefined ? `, wanted ${ids(x.wanted_state)}` : ''}${x.wanted_state_above !== undefined ? `, wanted > ${String(x.wanted_state_above)}` : ''}${x.wanted_state_below !== undefined ? `, wanted < ${String(x.wanted_state_below)}` : ''}`);
    return `${r.result ? 'true' : 'false'}${why.length ? ` (${why.join('; ')})` : ''}`;
  }
  if (isDict(r) && isDict(r.stop)) return 'stopped';
  if (isDict(r) && 'stop' in r) return `stop: ${cut(String(r.stop), 120)}`;
  if (isDict(r) && typeof r.delay === 'number') return `waited ${formatDuration(r.delay * 1000)}`;
  return 'ok';
}

/** What started the run, from the trigger step's variables. */
function triggerText(t: Trace): string {
  const step = t.trace.trigger?.[0];
  const trig = step?.changed_variables?.trigger;
  if (!isDict(trig) || trig.platform === null || trig.platform === undefined) return t.domain === 'automation' ? 'trigger: manual (automation.trigger)' : '';
  const from = isDict(trig.from_state) ? String(trig.from_state.state) : undefined;
  const to = isDict(trig.to_state) ? String(trig.to_state.state) : undefined;
  const change = from !== undefined || to !== undefined ? ` (${from ?? 'none'} → ${to ?? 'none'})` : '';
  return `trigger: ${cut(String(trig.description ?? t.trigger ?? trig.platform))}${change}`;
}

export interface RunPath {
  path: string[];
  not_reached: string[];
}

/** One run's path through its config, a line per step, then the top-level steps it never reached. */
export function runPath(t: Trace, maxLines: number): RunPath & { more: number } {
  const lines: string[] = [];
  const trig = triggerText(t);
  if (trig) lines.push(trig);
  const paths = Object.keys(t.trace).filter((p) => p !== 'trigger');
  // Sub-steps of a condition ("condition/0/entity_id/0") explain their parent, not lines of their own.
  const isSub = (p: string): boolean => /\/entity_id\/\d+$/.test(p);
  let more = 0;
  for (const p of paths) {
    if (isSub(p)) continue;
    const steps = t.trace[p] ?? [];
    const subs = paths.filter((q) => q.startsWith(`${p}/entity_id/`)).flatMap((q) => t.trace[q] ?? []);
    const what = describeNode(nodeAt(t.config, p));
    for (const step of steps) {
      if (lines.length >= maxLines) {
        more++;
        continue;
      }
      lines.push(`${p}${what ? ` ${cut(what, 160)}` : ''}: ${resultText(step, subs)}`);
    }
  }
  // Top-level steps after the last one reached, when the run stopped early.
  const notReached: string[] = [];
  const stoppedEarly = t.script_execution !== 'finished' || t.error !== undefined;
  if (stoppedEarly && t.config) {
    for (const kind of ['condition', 'action', 'sequence'] as const) {
      // Conditions skipped (automation.trigger) were not "not reached"; only a failed one stops them.
      if (kind === 'condition' && t.script_execution !== 'failed_conditions') continue;
      const all = kind === 'condition' ? (t.config.conditions ?? t.config.condition) : kind === 'action' ? (t.config.actions ?? t.config.action) : t.config.sequence;
      if (!Array.isArray(all)) continue;
      const reached = paths.filter((p) => p.startsWith(`${kind}/`)).map((p) => Number(p.split('/')[1]));
      const last = reached.length ? Math.max(...reached) : -1;
      // Conditions after a failed one, and every action once a condition failed.
      const from = kind !== 'condition' && t.script_execution === 'failed_conditions' ? 0 : last + 1;
      for (let i = from; i < all.length && notReached.length < maxLines; i++) notReached.push(`${kind}/${i} ${cut(describeNode(all[i]), 160)}`.trimEnd());
    }
  }
  return { path: lines, not_reached: notReached, more };
}
