// ha_calendar: what is on the calendars in a period (one calendar or all, GET /api/calendars and
// /api/calendars/<id>?start=&end=) or what is on a to-do list (todo/item/list), as short lines
// (src/home/calendar.ts); paginated and cut to stay under about 8,000 tokens.
import { z } from 'zod';
import { AppError } from '../errors.js';
import { fromRestStatus } from '../ha/errors.js';
import type { HomeCache } from '../ha/types.js';
import { CalendarEventSchema, TodoItemSchema, eventLine, eventStart, itemLine, type CalendarEvent } from '../home/calendar.js';
import { closestOfDomain, requireOfDomain } from '../home/domainEntity.js';
import { liveCache } from '../home/liveCache.js';
import { MAX_TIME_CHARS, homeZone, resolvePeriod } from '../home/time.js';
import { MAX_ANSWER_TOKENS, estimateTokens } from '../home/tokens.js';
import { commandFor, spanLabels, throwIfCancelled } from './history.js';
import { MAX_ENTITY_ID } from './limits.js';
import { READ_ONLY, defineTool, type ToolContext } from './tool.js';

/** Calendars read in one call when none is named; a home with more is told to name one. */
const MAX_CALENDARS = 30;
/** Calendars fetched at once. */
const PARALLEL = 4;
const MAX_DAYS = 366;
const TIMEOUT_MS = 20_000;
/** Lines per answer. */
const PAGE = 100;

/** A string of 1..max characters (published with its maxLength, as every tool's strings are). */
export const boundedText = (max: number): z.ZodString => z.string().min(1, "must not be empty").max(max, `at most ${max} characters`);

/** An integer min..max. */
export const boundedInt = (max: number, min = 0): z.ZodNumber => z.int().min(min).max(max);

const CalendarListSchema = z.array(z.looseObject({ entity_id: z.string(), name: z.string().nullish() }));
const TodoListSchema = z.looseObject({ items: z.array(TodoItemSchema) });

/** An id that is neither a calendar nor a to-do list: the closest of both. */
function notAList(cache: HomeCache, entityId: string): AppError {
  const closest = [...closestOfDomain(cache, 'calendar', entityId, 3), ...closestOfDomain(cache, 'todo', entityId, 3)];
  const shown = entityId.slice(0, 100);
  return new AppError('entity_not_found', `${shown} is neither a calendar nor a to-do list.`, closest.length ? `Did you mean ${closest.join(', ')}?` : 'This home has no calendars or to-do lists.', {
    details: { entity_id: shown, closest },
  });
}

/** The calendar and to-do entity an id names (unknown ids get the closest of their kind). */
export function requireList(cache: HomeCache, entityId: string): { kind: 'calendar' | 'todo'; entity_id: string } {
  if (entityId.startsWith('todo.')) return { kind: 'todo', entity_id: requireOfDomain(cache, entityId, 'todo', 'to-do list').entity_id };
  if (entityId.startsWith('calendar.')) return { kind: 'calendar', entity_id: requireOfDomain(cache, entityId, 'calendar', 'calendar').entity_id };
  throw notAList(cache, entityId);
}

export async function calendarEvents(ctx: ToolContext, calendarId: string, start: number, end: number): Promise<CalendarEvent[]> {
  const res = await ctx.ha.rest('GET', `/api/calendars/${calendarId}`, {
    query: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    timeoutMs: TIMEOUT_MS,
  });
  if (res.status !== 200) throw fromRestStatus(res.status, res.body, `the events of ${calendarId}`);
  const parsed = z.array(CalendarEventSchema).safeParse(res.body);
  if (!parsed.success) throw new AppError('ha_error', `Home Assistant answered events of ${calendarId} in an unexpected shape.`, 'Check the calendar integration in Home Assistant.');
  return parsed.data;
}

async function allCalendars(ctx: ToolContext): Promise<string[]> {
  const res = await ctx.ha.rest('GET', '/api/calendars', { timeoutMs: TIMEOUT_MS });
  if (res.status !== 200) throw fromRestStatus(res.status, res.body, 'the list of calendars');
  const parsed = CalendarListSchema.safeParse(res.body);
  if (!parsed.success) throw new AppError('ha_error', 'Home Assistant answered the list of calendars in an unexpected shape.', 'Check the calendar integration in Home Assistant.');
  return parsed.data.map((c) => c.entity_id);
}

export async function todoItems(ctx: ToolContext, entityId: string): Promise<z.infer<typeof TodoItemSchema>[]> {
  const raw = await commandFor<unknown>(ctx, { type: 'todo/item/list', entity_id: entityId });
  const parsed = TodoListSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('ha_error', `Home Assistant answered the items of ${entityId} in an unexpected shape.`, 'Check the to-do integration in Home Assistant.');
  return parsed.data.items;
}

/** Lines from `offset` on, at most PAGE and ~8,000 tokens. */
function pageOf(lines: string[], offset: number): { entries: string[]; has_more: boolean; note?: string } {
  const entries: string[] = [];
  let size = 200;
  let i = offset;
  for (; i < lines.length && entries.length < PAGE; i++) {
    size += estimateTokens(lines[i]!) + 2;
    if (size > MAX_ANSWER_TOKENS && entries.length) break;
    entries.push(lines[i]!);
  }
  const out: { entries: string[]; has_more: boolean; note?: string } = { entries, has_more: i < lines.length };
  if (out.has_more) out.note = `${lines.length - i} more of ${lines.length}: offset ${i}${entries.length < PAGE ? ' (cut to stay under ~8,000 tokens)' : ''}, or a shorter period.`;
  return out;
}

export const calendar = defineTool({
  name: 'ha_calendar',
  title: 'Calendars',
  description: "Calendar events in a period, or a to-do list's items.",
  toolset: 'read',
  input: z.object({
    entity_id: boundedText(MAX_ENTITY_ID).optional().describe('calendar.* (default all) or todo.*'),
    start: boundedText(MAX_TIME_CHARS).optional().describe('Default now, for 7d'),
    end: boundedText(MAX_TIME_CHARS).optional(),
    status: z.enum(['needs_action', 'completed']).optional(),
    offset: boundedInt(100_000).default(0),
  }),
  output: z.object({
    period: z.string().optional(),
    entries: z.array(z.string()),
    has_more: z.boolean(),
    note: z.string().optional(),
  }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache } = liveCache(ctx);
    const tz = homeZone(cache);
    const now = Date.now();
    const list = input.entity_id === undefined ? undefined : requireList(cache, input.entity_id);

    if (list?.kind === 'todo') {
      const items = await todoItems(ctx, list.entity_id);
      throwIfCancelled(ctx.signal);
      const wanted = items.filter((i) => !input.status || i.status === input.status);
      // Still to do first, each group in the list's own order.
      const ordered = [...wanted.filter((i) => i.status !== 'completed'), ...wanted.filter((i) => i.status === 'completed')];
      const done = items.filter((i) => i.status === 'completed').length;
      const answer = { ...pageOf(ordered.map((i) => itemLine(i, tz)), input.offset) };
      if (!answer.note) answer.note = `${items.length - done} to do, ${done} completed.`;
      return answer;
    }

    const span = resolvePeriod(input, tz, now, { defaultStart: 'now', defaultDays: 7, maxDays: MAX_DAYS });
    let ids = list ? [list.entity_id] : await allCalendars(ctx);
    let skipped = 0;
    if (ids.length > MAX_CALENDARS) {
      skipped = ids.length - MAX_CALENDARS;
      ids = ids.slice(0, MAX_CALENDARS);
    }
    const events: { e: CalendarEvent; id: string }[] = [];
    for (let i = 0; i < ids.length; i += PARALLEL) {
      const batch = ids.slice(i, i + PARALLEL);
      const results = await Promise.all(batch.map((id) => calendarEvents(ctx, id, span.start, span.end)));
      throwIfCancelled(ctx.signal);
      batch.forEach((id, j) => {
        for (const e of results[j]!) events.push({ e, id });
      });
    }
    events.sort((a, b) => eventStart(a.e) - eventStart(b.e) || a.id.localeCompare(b.id));
    const labels = spanLabels(span, tz, now);
    const answer = { period: `${labels.start}..${labels.end.replace(' (now)', '')} ${tz}`, ...pageOf(events.map(({ e, id }) => eventLine(e, id, tz)), input.offset) };
    if (skipped) answer.note = `${answer.note ? `${answer.note} ` : ''}Only the first ${MAX_CALENDARS} calendars were read (${skipped} more): name one with entity_id.`;
    else if (!events.length) answer.note = `No events in ${ids.length} calendar${ids.length === 1 ? '' : 's'} in this period.`;
    return answer;
  },
});
