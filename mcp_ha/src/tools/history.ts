// ha_history: the past of entities in few tokens. States as runs with the time in each state,
// numeric sensors as at most N points (changes, or buckets with min/max/mean), both from
// history/history_during_period; with `statistics` the long-term statistics per period from
// recorder/statistics_during_period (meters with their total for the period, from
// recorder/statistic_during_period), or which statistics exist. Every answer stays under about
// 8,000 tokens: points shrink first, then entities are left out, and the answer says so.
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { HomeCache } from '../ha/types.js';
import { chartSvg, checkChartable } from '../home/chart.js';
import { hasData, numericLine, stateRuns, statisticsData, type ChartSeries } from '../home/chartData.js';
import { svgToPng } from '../home/chartPng.js';
import { requireState } from '../home/entityLookup.js';
import { isNumeric, numericSeries, stateSeries, statisticsSeries, type HaHistoryRow, type HaStatisticsRow } from '../home/history.js';
import { liveCache } from '../home/liveCache.js';
import { MAX_ANSWER_TOKENS, estimateTokens } from '../home/tokens.js';
import { MAX_TIME_CHARS, formatTime, homeZone, resolveSpan, type Span } from '../home/time.js';
import { entityIdArg } from './limits.js';
import { READ_ONLY, defineTool, type ToolContext, type WithImages } from './tool.js';

/** Tokens for the entities of an answer: the rest (times, note, legend) stays under 300. */
const ENTITY_TOKENS = MAX_ANSWER_TOKENS - 300;
const MIN_POINTS = 6;
const MAX_DAYS = 31;
const COMMAND_TIMEOUT_MS = 30_000;
const PERIODS = ['5minute', 'hour', 'day', 'week', 'month'] as const;

export const timeArg = (): z.ZodString => z.string().min(1).max(MAX_TIME_CHARS);

const aborts = new WeakMap<AbortSignal, Promise<never>>();

/** One promise per signal that rejects when the caller cancels (one listener however many commands wait). */
function aborted(signal: AbortSignal): Promise<never> {
  let p = aborts.get(signal);
  if (!p) {
    p = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(cancelled()), { once: true }));
    p.catch(() => undefined);
    aborts.set(signal, p);
  }
  return p;
}

/** An HA command that gives up when the caller cancels (the answer would go nowhere). */
export async function commandFor<T>(ctx: Pick<ToolContext, 'ha' | 'signal'>, msg: Record<string, unknown>): Promise<T> {
  throwIfCancelled(ctx.signal);
  return Promise.race([ctx.ha.command<T>(msg, { timeoutMs: COMMAND_TIMEOUT_MS }), aborted(ctx.signal)]);
}

const cancelled = (): AppError => new AppError('internal_error', 'The call was cancelled.', 'Nothing to do; call again if the answer is still needed.');

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelled();
}

const iso = (t: number): string => new Date(t).toISOString();

/** The period as the answer shows it: local times, the end marked when it is now. */
export function spanLabels(span: Span, tz: string, now: number): { time_zone: string; start: string; end: string } {
  const end = formatTime(span.end, tz);
  return { time_zone: tz, start: formatTime(span.start, tz), end: now - span.end < 60_000 ? `${end} (now)` : end };
}

const values = (answer: Answer): unknown[] => Object.values(answer.entities);

type Entities = Record<string, unknown>;

interface Answer extends Record<string, unknown> {
  time_zone: string;
  start?: string;
  end?: string;
  entities: Entities;
  has_more: boolean;
}

/**
 * Builds the answer with `points` per entity, then fewer, then without the last entities, until
 * it fits ENTITY_TOKENS. `build` makes one entity's value for a number of points.
 */
function fit(ids: string[], points: number, base: { time_zone: string; start: string; end: string }, build: (id: string, points: number) => unknown, signal: AbortSignal, what: string): Answer {
  // The most points (up to the asked number) that fit: a binary search over whole answers.
  const tried = new Map<number, { entities: Entities; sizes: number[]; size: number }>();
  const at = (n: number) => {
    let t = tried.get(n);
    if (!t) {
      throwIfCancelled(signal);
      const entities: Entities = Object.fromEntries(ids.map((id) => [id, build(id, n)]));
      const sizes = ids.map((id) => estimateTokens(JSON.stringify(entities[id])) + estimateTokens(id) + 2);
      t = { entities, sizes, size: sizes.reduce((a, b) => a + b, 0) };
      tried.set(n, t);
    }
    return t;
  };
  let p = points;
  if (at(points).size > ENTITY_TOKENS) {
    let lo = Math.min(MIN_POINTS, points);
    let hi = points - 1;
    if (at(lo).size <= ENTITY_TOKENS) {
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (at(mid).size <= ENTITY_TOKENS) lo = mid;
        else hi = mid - 1;
      }
    }
    p = lo;
  }
  const { entities, sizes } = at(p);
  const notes: string[] = [];
  if (p < points) notes.push(`At most ${p} ${what} per entity (not ${points}) to stay under ~8,000 tokens: ask for fewer entities or a shorter period for more.`);
  const leftOut: string[] = [];
  let size = sizes.reduce((a, b) => a + b, 0);
  for (let i = ids.length - 1; size > ENTITY_TOKENS && i > 0; i--) {
    size -= sizes[i]!;
    delete entities[ids[i]!];
    leftOut.unshift(ids[i]!);
  }
  const answer: Answer = { ...base, entities, has_more: leftOut.length > 0 };
  if (leftOut.length) {
    answer.left_out = leftOut;
    notes.push(`${leftOut.length} entities left out to stay under ~8,000 tokens: ask for them in another call.`);
  }
  if (notes.length) answer.note = notes.join(' ');
  return answer;
}

function checkIds(cache: HomeCache, ids: string[]): void {
  for (const id of ids) requireState(cache, id);
}

/** Entities per history/history_during_period command when a call names many. */
const HISTORY_GROUP = 10;

/** history/history_during_period for the ids over the span, bounded to MAX_DAYS. */
async function fetchHistory(input: HistoryInput, ctx: ToolContext, span: Span, ids: string[]): Promise<Record<string, HaHistoryRow[]>> {
  const days = (span.end - span.start) / 86_400_000;
  if (days > MAX_DAYS + 0.05) {
    throw new AppError('invalid_input', `The period is ${Math.round(days)} days; state history covers at most ${MAX_DAYS} days per call.`, 'Use statistics: "day" (or "week", "month") for longer periods, or a shorter period.');
  }
  const significant = input.significant_changes_only;
  const ask = (group: string[]) =>
    commandFor<Record<string, HaHistoryRow[]>>(ctx, {
      type: 'history/history_during_period',
      start_time: iso(span.start),
      end_time: iso(span.end),
      entity_ids: group,
      significant_changes_only: significant,
      no_attributes: true,
      // minimal_response leaves out attribute-only rows, which significant_changes_only false asks for.
      ...(significant ? { minimal_response: true } : {}),
    });
  if (ids.length <= HISTORY_GROUP) return ask(ids);
  // Many entities: one command per group, so that the client hears how far it is (when it asked)
  // and a cancellation stops the work between groups.
  const result: Record<string, HaHistoryRow[]> = {};
  for (let i = 0; i < ids.length; i += HISTORY_GROUP) {
    Object.assign(result, await ask(ids.slice(i, i + HISTORY_GROUP)));
    const done = Math.min(ids.length, i + HISTORY_GROUP);
    ctx.progress?.(done, ids.length, `history of ${done} of ${ids.length} entities read`);
  }
  return result;
}

/** One entity's rows, oldest first, without malformed ones. */
const rowsOf = (result: Record<string, HaHistoryRow[]>, id: string): HaHistoryRow[] => (result[id] ?? []).filter((r) => typeof r.lu === 'number' && typeof r.s === 'string').sort((a, b) => a.lu - b.lu);

async function stateHistory(input: HistoryInput, ctx: ToolContext, cache: HomeCache, tz: string, span: Span, now: number): Promise<Answer> {
  const ids = [...new Set(input.entity_ids!)];
  checkIds(cache, ids);
  const significant = input.significant_changes_only;
  const result = await fetchHistory(input, ctx, span, ids);
  const endIsNow = now - span.end < 60_000;
  const seconds = span.end - span.start <= 6 * 3_600_000;
  const answer = fit(
    ids,
    input.points,
    spanLabels(span, tz, now),
    (id, p) => {
      const rows = rowsOf(result, id);
      if (!rows.length) return 'no history in this period';
      const attributes = cache.getState(id)?.attributes;
      if (isNumeric(rows, attributes)) {
        const unit = typeof attributes?.unit_of_measurement === 'string' ? attributes.unit_of_measurement : undefined;
        return numericSeries(rows, span, tz, { maxPoints: p, unit });
      }
      return stateSeries(rows, span, tz, { maxRuns: p, seconds, updates: !significant, endIsNow });
    },
    ctx.signal,
    'points',
  );
  if (values(answer).some((v) => typeof v === 'object' && v !== null && 'buckets' in v)) answer.legend = 'buckets: [start, min, max, mean] per step (mean time-weighted)';
  return answer;
}

interface StatisticMeta {
  statistic_id: string;
  has_sum?: boolean;
  has_mean?: boolean;
  name?: string | null;
  display_unit_of_measurement?: string | null;
  statistics_unit_of_measurement?: string | null;
}

const unitOf = (m: StatisticMeta): string | undefined => m.display_unit_of_measurement ?? m.statistics_unit_of_measurement ?? undefined;

/** Statistic ids that are not entities (external statistics, "domain:name") need not be in the home. */
function checkStatisticIds(cache: HomeCache, ids: string[], known: Set<string>): void {
  for (const id of ids) if (!known.has(id) && !id.includes(':')) requireState(cache, id);
}

async function listStatistics(input: HistoryInput, ctx: ToolContext, cache: HomeCache, tz: string): Promise<Answer> {
  const all = await commandFor<StatisticMeta[]>(ctx, { type: 'recorder/list_statistic_ids' });
  const byId = new Map(all.map((m) => [m.statistic_id, m]));
  const ids = input.entity_ids ? [...new Set(input.entity_ids)] : [...byId.keys()].sort();
  if (input.entity_ids) checkStatisticIds(cache, ids, new Set(byId.keys()));
  const entities: Entities = {};
  const missing: string[] = [];
  let size = 150;
  let shown = 0;
  for (const id of ids) {
    const m = byId.get(id);
    if (!m) {
      missing.push(id);
      continue;
    }
    const kind = [m.has_sum ? 'sum' : '', m.has_mean ? 'mean' : ''].filter(Boolean).join('+') || 'none';
    const text = `${unitOf(m) ?? 'no unit'}, ${kind}${m.name ? `, ${m.name}` : ''}`;
    size += estimateTokens(`"${id}":"${text}",`);
    if (size > MAX_ANSWER_TOKENS) break;
    entities[id] = text;
    shown++;
  }
  const rest = ids.length - missing.length - shown;
  const answer: Answer = { time_zone: tz, entities, has_more: rest > 0 };
  const notes = ['Values: unit, and "mean" (min/max/mean per period) or "sum" (a meter: change per period, total).'];
  if (missing.length) {
    answer.no_statistics = missing;
    notes.push('Only sensors with a state_class have long-term statistics; use ha_history without statistics for the others.');
  }
  if (rest > 0) notes.push(`${rest} more statistics left out: pass entity_ids to ask about particular ones.`);
  answer.note = notes.join(' ');
  return answer;
}

/** Longest period per call for fine statistics (Home Assistant keeps 5-minute rows 10 days). */
const MAX_STATISTICS_DAYS: Partial<Record<(typeof PERIODS)[number], number>> = { '5minute': 31, hour: 366 };

interface FetchedStatistics {
  meta: Map<string, StatisticMeta>;
  withStats: string[];
  missing: string[];
  rows: Record<string, HaStatisticsRow[]>;
  totals: Map<string, number>;
}

/** The statistics of the ids for the period, with each meter's total for exactly that period. */
async function fetchStatistics(input: HistoryInput, ctx: ToolContext, cache: HomeCache, span: Span): Promise<FetchedStatistics> {
  const period = input.statistics as (typeof PERIODS)[number];
  const maxDays = MAX_STATISTICS_DAYS[period];
  const days = (span.end - span.start) / 86_400_000;
  if (maxDays && days > maxDays + 0.05) {
    throw new AppError('invalid_input', `The period is ${Math.round(days)} days; ${period} statistics cover at most ${maxDays} days per call.`, `Use a coarser statistics period ("${period === '5minute' ? 'hour' : 'day'}", "week", "month") or a shorter period.`);
  }
  const ids = [...new Set(input.entity_ids!)];
  const metas = await commandFor<StatisticMeta[]>(ctx, { type: 'recorder/get_statistics_metadata', statistic_ids: ids });
  const meta = new Map(metas.map((m) => [m.statistic_id, m]));
  checkStatisticIds(cache, ids, new Set(meta.keys()));
  const withStats = ids.filter((id) => meta.has(id));
  const missing = ids.filter((id) => !meta.has(id));
  let rows: Record<string, HaStatisticsRow[]> = {};
  const totals = new Map<string, number>();
  if (withStats.length) {
    const fixed = { start_time: iso(span.start), end_time: iso(span.end) };
    const sums = withStats.filter((id) => meta.get(id)!.has_sum);
    const [r, ...changes] = await Promise.all([
      commandFor<Record<string, HaStatisticsRow[]>>(ctx, {
        type: 'recorder/statistics_during_period',
        ...fixed,
        statistic_ids: withStats,
        period,
        types: ['change', 'max', 'mean', 'min'],
      }),
      // A meter's total for exactly this period (the rows are whole periods; this is not).
      ...sums.map((id) =>
        commandFor<{ change?: number | null }>(ctx, { type: 'recorder/statistic_during_period', statistic_id: id, fixed_period: fixed, types: ['change'] }).catch((err: unknown) => {
          if (ctx.signal.aborted) throw err;
          return {} as { change?: number | null };
        }),
      ),
    ]);
    rows = r;
    sums.forEach((id, i) => {
      const change = changes[i]?.change;
      if (typeof change === 'number') totals.set(id, change);
    });
  }
  return { meta, withStats, missing, rows, totals };
}

/** One statistic's rows, oldest first. */
const statRowsOf = (rows: Record<string, HaStatisticsRow[]>, id: string): HaStatisticsRow[] => (rows[id] ?? []).filter((x) => typeof x.start === 'number').sort((a, b) => a.start - b.start);

async function statistics(input: HistoryInput, ctx: ToolContext, cache: HomeCache, tz: string, span: Span, now: number): Promise<Answer> {
  const period = input.statistics as (typeof PERIODS)[number];
  const { meta, withStats, missing, rows, totals } = await fetchStatistics(input, ctx, cache, span);
  const answer = fit(
    withStats,
    input.points,
    spanLabels(span, tz, now),
    (id, p) => {
      const m = meta.get(id)!;
      const list = statRowsOf(rows, id);
      if (!list.length && !totals.has(id)) return 'no statistics in this period';
      return statisticsSeries(list, { unit: unitOf(m), hasSum: !!m.has_sum }, period, tz, p, totals.get(id));
    },
    ctx.signal,
    'rows',
  );
  const shown = withStats.filter((id) => typeof answer.entities[id] === 'object');
  const legend: string[] = [];
  if (shown.some((id) => meta.get(id)!.has_sum)) legend.push('meters: rows [start, change], total over the period');
  if (shown.some((id) => !meta.get(id)!.has_sum)) legend.push('others: rows [start, min, max, mean]');
  if (legend.length) answer.legend = `${period} statistics; ${legend.join('; ')}`;
  if (missing.length) {
    answer.no_statistics = missing;
    const note = 'No long-term statistics for no_statistics (only sensors with a state_class have them): ask ha_history without statistics.';
    answer.note = answer.note ? `${answer.note} ${note}` : note;
  }
  return answer;
}

// As a chart: the same data drawn as a PNG (src/home/chart.ts), with the period's figures as text.

const nameOf = (cache: HomeCache, id: string, fallback?: string | null): string => {
  const name = cache.getState(id)?.attributes.friendly_name;
  return typeof name === 'string' && name ? name : fallback || id;
};

async function chart(input: HistoryInput, ctx: ToolContext, cache: HomeCache, tz: string, span: Span, now: number): Promise<WithImages<Answer>> {
  const ids = [...new Set(input.entity_ids!)];
  checkChartable(ids.map(() => ({ kind: 'states' })));
  const series: ChartSeries[] = [];
  const entities: Entities = {};
  const missing: string[] = [];
  if (input.statistics) {
    const { meta, withStats, missing: none, rows, totals } = await fetchStatistics(input, ctx, cache, span);
    missing.push(...none);
    for (const id of withStats) {
      const m = meta.get(id)!;
      const list = statRowsOf(rows, id);
      const unit = unitOf(m);
      const data = statisticsData(list, !!m.has_sum, input.points, totals.get(id));
      const named = { id, name: nameOf(cache, id, m.name), unit };
      series.push(data.bars ? { ...named, kind: 'bars', bars: data.bars } : { ...named, kind: 'line', points: data.line!, stepped: false, band: true });
      entities[id] = list.length ? { ...(unit ? { unit } : {}), ...data.summary } : 'no statistics in this period';
    }
  } else {
    checkIds(cache, ids);
    const result = await fetchHistory(input, ctx, span, ids);
    for (const id of ids) {
      const rows = rowsOf(result, id);
      const attributes = cache.getState(id)?.attributes;
      const named = { id, name: nameOf(cache, id) };
      if (rows.length && isNumeric(rows, attributes)) {
        const unit = typeof attributes?.unit_of_measurement === 'string' ? attributes.unit_of_measurement : undefined;
        const line = numericLine(rows, span, input.points);
        series.push({ ...named, unit, kind: 'line', points: line.points, stepped: line.stepped, band: !line.stepped });
        entities[id] = { ...(unit ? { unit } : {}), ...line.summary };
      } else {
        const { runs, summary } = stateRuns(rows, span);
        series.push({ ...named, kind: 'states', runs });
        entities[id] = rows.length ? summary : 'no history in this period';
      }
    }
  }
  const drawn = series.filter(hasData);
  const labels = spanLabels(span, tz, now);
  if (!drawn.length) {
    const what = input.statistics ? `${input.statistics} statistics` : 'history';
    throw new AppError('not_found', `No ${what} of ${ids.join(', ').slice(0, 300)} from ${labels.start} to ${labels.end} (${tz}).`, `Ask an earlier or longer period (e.g. start "-7d")${input.statistics ? ', a finer statistics period, or no statistics for the recorded states' : ''}; without "as" the answer says what there is.`);
  }
  checkChartable(drawn);
  throwIfCancelled(ctx.signal);
  const title = drawn.length === 1 ? drawn[0]!.name : drawn.map((s) => s.name).join(', ');
  const png = await svgToPng(chartSvg({ title, span, tz, series: drawn, ...(input.statistics ? { caption: `${input.statistics} statistics` } : {}) }));
  const answer: WithImages<Answer> = { ...labels, entities, has_more: false, note: 'The chart is the image; entities: the period\'s figures.', images: [{ data: png, mimeType: 'image/png' }] };
  if (missing.length) answer.no_statistics = missing;
  return answer;
}

const input = z.object({
  entity_ids: z.array(entityIdArg()).min(1).max(50).optional().describe('Required except for statistics "list"'),
  start: timeArg().optional().describe('ISO 8601 or relative: "-24h", "yesterday", "this week"... (home time zone). Default -24h'),
  end: timeArg().optional().describe('Default now'),
  points: z.number().int().min(2).max(500).default(48).describe('Max points per entity'),
  statistics: z.enum([...PERIODS, 'list']).optional().describe('Long-term statistics per period instead of states; "list": which exist'),
  significant_changes_only: z.boolean().default(true),
  as: z.enum(['chart']).optional().describe('A PNG chart instead'),
});
type HistoryInput = z.infer<typeof input>;

export const history = defineTool({
  name: 'ha_history',
  title: 'History and statistics',
  description: 'Past of entities: state runs, numeric sensors as min/max/mean points. statistics: long-term statistics per period (meters with their total), or "list".',
  toolset: 'read',
  input,
  output: z.object({
    time_zone: z.string(),
    start: z.string().optional(),
    end: z.string().optional(),
    entities: z.record(z.string(), z.unknown()),
    has_more: z.boolean(),
    note: z.string().optional(),
  }),
  annotations: READ_ONLY,
  async run(args, ctx) {
    const { cache } = liveCache(ctx);
    const tz = homeZone(cache);
    if (args.statistics === 'list') {
      if (args.as) throw new AppError('invalid_input', 'statistics "list" has no chart.', 'Leave out "as" to list the statistics, or pass a period ("hour", "day"...) for a chart.');
      return listStatistics(args, ctx, cache, tz);
    }
    if (!args.entity_ids) {
      throw new AppError('invalid_input', 'entity_ids is required.', 'Pass entity_ids, e.g. ["sensor.power"]; ha_search_entities finds them. Only statistics "list" works without.');
    }
    const now = Date.now();
    const span = resolveSpan(args, tz, now, '-24h');
    if (args.as === 'chart') return chart(args, ctx, cache, tz, span, now);
    return args.statistics ? statistics(args, ctx, cache, tz, span, now) : stateHistory(args, ctx, cache, tz, span, now);
  },
});
