// ha_calendar_edit: create calendar events and add, update, complete or remove to-do items, each
// a Home Assistant service call (calendar.create_event, todo.add_item / update_item /
// remove_item) through the service gate (policy, validation, confirmation, audit).
import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { ServiceCall } from '../ha/types.js';
import { requireOfDomain } from '../home/domainEntity.js';
import { liveCache } from '../home/liveCache.js';
import { MAX_TIME_CHARS, formatDate, formatTime, homeZone, resolvePeriod } from '../home/time.js';
import { quietString, todoItems } from './calendar.js';
import { MAX_ENTITY_ID, MAX_NAME } from './limits.js';
import { defineTool, type ToolContext } from './tool.js';

const ACTIONS = ['create_event', 'add_item', 'update_item', 'complete_item', 'remove_item'] as const;
/** A summary or description: Home Assistant has no limit; a model needs no more. */
const text = (): z.ZodString => quietString(1000);
const time = (): z.ZodString => quietString(MAX_TIME_CHARS);

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

export const calendarEdit = defineTool({
  name: 'ha_calendar_edit',
  title: 'Edit calendars',
  description: 'Add calendar events and to-do items; update, complete or remove items. Subject to the service policy.',
  toolset: 'write',
  input: z.object({
    action: z.enum(ACTIONS),
    entity_id: quietString(MAX_ENTITY_ID),
    summary: text().describe('Event title, or the item'),
    start: time().optional().describe('A date alone: all day'),
    end: time().optional(),
    due: time().optional(),
    description: text().optional(),
    location: text().optional(),
    rename: text().optional(),
    confirm_token: quietString(MAX_NAME).optional(),
  }),
  output: z.object({ done: z.string(), audit_id: z.string().optional() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async run(input, ctx) {
    const { cache } = liveCache(ctx);
    const tz = homeZone(cache);
    const now = Date.now();
    const { action } = input;
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
