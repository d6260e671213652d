// ha_calendar_edit: create and delete calendar events and add, update, complete or remove to-do
// items. All but deleting are Home Assistant service calls (calendar.create_event, todo.add_item /
// update_item / remove_item) through the service gate; deleting has no service (WS
// calendar/event/delete) and goes through the gate's command path as "calendar.delete_event",
// always confirmed. Either way: policy, confirmation, audit.
import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { ServiceCall } from '../ha/types.js';
import { requireOfDomain } from '../home/domainEntity.js';
import { liveCache } from '../home/liveCache.js';
import { MAX_TIME_CHARS, formatDate, formatTime, homeZone, resolvePeriod } from '../home/time.js';
import type { CalendarEvent } from '../home/calendar.js';
import { eventLine } from '../home/calendar.js';
import { calendarEvents, boundedText, todoItems } from './calendar.js';
import { commandFor } from './history.js';
import { MAX_ENTITY_ID, MAX_NAME } from './limits.js';
import { defineTool, type ToolContext } from './tool.js';

const ACTIONS = ['create_event', 'delete_event', 'add_item', 'update_item', 'complete_item', 'remove_item'] as const;
/** CalendarEntityFeature.DELETE_EVENT. */
const DELETE_EVENT = 2;
/** A summary or description: Home Assistant has no limit; a model needs no more. */
const text = (): z.ZodString => boundedText(1000);
const time = (): z.ZodString => boundedText(MAX_TIME_CHARS);

/** A time without a time of day ("2026-12-24", "tomorrow", "next week") means whole days. */
const isDay = (t: string): boolean => !/\d:\d|^\s*[+-]|^\s*now\s*$/i.test(t);

/** The item an update or removal names (uid or summary), else not_found with the closest summaries. */
async function requireItem(ctx: ToolContext, listId: string, item: string): Promise<string> {
  const items = await todoItems(ctx, listId);
  const found = items.find((i) => i.uid === item) ?? items.find((i) => i.summary === item) ?? items.find((i) => i.summary.toLowerCase() === item.toLowerCase());
  if (found) return found.summary === item || found.uid === item ? item : found.uid;
  const q = item.toLowerCase();
  const closest = items
    .map((i) => ({ s: i.summary, d: distance(q, i.summary.toLowerCase()) - (i.summary.toLowerCase().includes(q) ? 100 : 0) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, 5)
    .map((i) => i.s);
  throw new AppError('not_found', `${listId} has no item "${item.slice(0, 100)}".`, closest.length ? `Its closest items: ${closest.map((s) => `"${s}"`).join(', ')}.` : 'The list is empty; ha_calendar lists its items.', {
    details: { entity_id: listId, closest },
  });
}

/** The one event a delete names: by uid, or by title within the period `start` gives (default: the next year). */
async function requireEvent(ctx: ToolContext, calendarId: string, summary: string, start: string | undefined, end: string | undefined, tz: string, now: number): Promise<CalendarEvent & { uid: string }> {
  const span = resolvePeriod({ start, end }, tz, now, { defaultStart: '-1d', defaultDays: 366, maxDays: 367 });
  const events = await calendarEvents(ctx, calendarId, span.start, span.end);
  const q = summary.toLowerCase();
  const matches = events.filter((e) => e.uid === summary || (e.summary ?? '').toLowerCase() === q);
  if (!matches.length) {
    const near = events.filter((e) => (e.summary ?? '').toLowerCase().includes(q) || q.includes((e.summary ?? '\u0000').toLowerCase())).slice(0, 5);
    throw new AppError('not_found', `${calendarId} has no event "${summary.slice(0, 100)}" in this period.`, near.length ? `Close: ${near.map((e) => eventLine(e, calendarId, tz)).join('; ')}.` : 'ha_calendar lists its events; give start to search another period.', {
      details: { entity_id: calendarId },
    });
  }
  if (matches.length > 1) {
    throw new AppError('invalid_input', `${matches.length} events "${summary.slice(0, 100)}" in ${calendarId}: ${matches.slice(0, 5).map((e) => eventLine(e, calendarId, tz)).join('; ')}.`, 'Give start (and end) around the one to delete.');
  }
  const event = matches[0]!;
  if (!event.uid) throw new AppError('validation_error', `The event "${summary.slice(0, 100)}" has no uid, so ${calendarId} cannot delete it.`, 'Delete it in the calendar itself.');
  return event as CalendarEvent & { uid: string };
}

async function deleteEvent(ctx: ToolContext, input: { entity_id: string; summary: string; start?: string | undefined; end?: string | undefined; confirm_token?: string | undefined }, tz: string, now: number) {
  const { cache } = liveCache(ctx);
  const state = requireOfDomain(cache, input.entity_id, 'calendar', 'calendar');
  const calendarId = state.entity_id;
  const features = typeof state.attributes.supported_features === 'number' ? state.attributes.supported_features : 0;
  if ((features & DELETE_EVENT) === 0) {
    throw new AppError('validation_error', `${calendarId} does not support deleting events.`, 'Delete it in the calendar itself (this calendar integration is read-only here).', { details: { entity_id: calendarId } });
  }
  const event = await requireEvent(ctx, calendarId, input.summary, input.start, input.end, tz, now);
  const seen = eventLine(event, calendarId, tz);
  return ctx.gate.executeCommand({
    service: 'calendar.delete_event',
    toolset: 'write',
    kind: 'calendar_event',
    id: event.uid,
    entityId: calendarId,
    data: { uid: event.uid, event: seen },
    confirmReason: 'deleting a calendar event',
    question: `Allow the AI to delete ${seen}?`,
    caller: ctx.caller,
    sessionId: ctx.sessionId,
    tool: 'ha_calendar_edit',
    confirmToken: input.confirm_token,
    elicit: ctx.elicit,
    confirmedByUser: ctx.confirmedByUser,
    // Still there after the human's yes? (someone may have deleted it meanwhile)
    read: async () => ({ ...(await requireEvent(ctx, calendarId, event.uid, input.start, input.end, tz, now)) }),
    write: async () => {
      await commandFor(ctx, { type: 'calendar/event/delete', entity_id: calendarId, uid: event.uid, ...(event.recurrence_id ? { recurrence_id: event.recurrence_id } : {}) });
      return { after: null, result: seen };
    },
  });
}

export const calendarEdit = defineTool({
  name: 'ha_calendar_edit',
  title: 'Edit calendars',
  description: 'Create or delete calendar events; add, update, complete or remove to-do items. Subject to the policy.',
  toolset: 'write',
  input: z.object({
    action: z.enum(ACTIONS),
    entity_id: boundedText(MAX_ENTITY_ID),
    summary: text().describe('Event title, or the item'),
    start: time().optional().describe('A date alone: all day'),
    end: time().optional(),
    due: time().optional(),
    description: text().optional(),
    location: text().optional(),
    rename: text().optional(),
    confirm_token: boundedText(MAX_NAME).optional(),
  }),
  output: z.object({ done: z.string(), audit_id: z.string().optional() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async run(input, ctx) {
    const { cache } = liveCache(ctx);
    const tz = homeZone(cache);
    const now = Date.now();
    const { action } = input;
    if (action === 'delete_event') {
      const outcome = await deleteEvent(ctx, input, tz, now);
      const out: { done: string; audit_id?: string } = { done: `deleted ${outcome.result}` };
      if (outcome.audit_id !== undefined) out.audit_id = outcome.audit_id;
      return out;
    }
    const forEvents = action === 'create_event';
    const entity = requireOfDomain(cache, input.entity_id, forEvents ? 'calendar' : 'todo', forEvents ? 'calendar' : 'to-do list').entity_id;
    const data: Record<string, unknown> = {};
    let service: string;

    if (forEvents) {
      if (input.start === undefined) throw new AppError('invalid_input', 'create_event needs a start.', 'Give start as ISO 8601 ("2026-12-24T18:00") or a day ("2026-12-24", "tomorrow") for an all-day event.');
      const allDay = isDay(input.start) && (input.end === undefined || isDay(input.end));
      const span = resolvePeriod({ start: input.start, end: input.end }, tz, now, { defaultStart: 'now', defaultDays: 1 / 24, maxDays: 366 });
      service = 'create_event';
      data.summary = input.summary;
      if (allDay) {
        data.start_date = formatDate(span.start, tz);
        data.end_date = formatDate(span.end, tz);
      } else {
        data.start_date_time = formatTime(span.start, tz, true);
        data.end_date_time = formatTime(span.end, tz, true);
      }
      if (input.description !== undefined) data.description = input.description;
      if (input.location !== undefined) data.location = input.location;
    } else {
      if (input.start !== undefined || input.end !== undefined || input.location !== undefined) {
        throw new AppError('invalid_input', 'start, end and location are for calendar events.', 'For a to-do item give due (a date or a time) and description.');
      }
      if (action === 'add_item') {
        service = 'add_item';
        data.item = input.summary;
      } else {
        data.item = await requireItem(ctx, entity, input.summary);
        service = action === 'remove_item' ? 'remove_item' : 'update_item';
        if (action === 'complete_item') data.status = 'completed';
        if (input.rename !== undefined) data.rename = input.rename;
      }
      if (action === 'remove_item' && (input.due !== undefined || input.description !== undefined || input.rename !== undefined)) {
        throw new AppError('invalid_input', 'remove_item takes only the item.', 'Leave due, description and rename out.');
      }
      if (input.due !== undefined) {
        const due = resolvePeriod({ start: input.due }, tz, now, { defaultStart: 'now', defaultDays: 1, maxDays: 366 });
        if (isDay(input.due)) data.due_date = formatDate(due.start, tz);
        else data.due_datetime = formatTime(due.start, tz, true);
      }
      if (input.description !== undefined) data.description = input.description;
      if (action === 'update_item' && Object.keys(data).length === 1) {
        throw new AppError('invalid_input', 'update_item changes nothing here.', 'Give rename, due or description (complete_item marks it done).');
      }
    }

    const domain = forEvents ? 'calendar' : 'todo';
    const call: ServiceCall = { domain, service, target: { entity_id: [entity] }, service_data: data };
    const outcome = await ctx.gate.execute({
      call,
      caller: ctx.caller,
      sessionId: ctx.sessionId,
      tool: 'ha_calendar_edit',
      confirmToken: input.confirm_token,
      elicit: ctx.elicit,
      confirmedByUser: ctx.confirmedByUser,
    });
    const what = action === 'create_event' ? 'created event' : action === 'add_item' ? 'added' : action === 'complete_item' ? 'completed' : action === 'remove_item' ? 'removed' : 'updated';
    const out: { done: string; audit_id?: string } = { done: `${entity}: ${what} "${input.summary.slice(0, 100)}"` };
    if (outcome.audit_id !== undefined) out.audit_id = outcome.audit_id;
    return out;
  },
});
