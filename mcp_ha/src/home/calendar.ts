// Calendar events and to-do items as short lines for a model, in the home's time zone:
//   "2026-12-02 09:00-10:00 calendar.family: Dentist @ Centrum - check-up"
//   "2026-12-25 all day calendar.holidays: Christmas Day"
//   "[ ] Milk (due 2026-12-03) - the dark roast"      "[x] Eggs"
import { z } from 'zod';
import { formatTime } from './time.js';

/** An event as GET /api/calendars/<id> gives it (rest-calendars.json). */
export const CalendarEventSchema = z.looseObject({
  start: z.looseObject({ dateTime: z.string().optional(), date: z.string().optional() }),
  end: z.looseObject({ dateTime: z.string().optional(), date: z.string().optional() }),
  summary: z.string().nullish(),
  description: z.string().nullish(),
  location: z.string().nullish(),
  uid: z.string().nullish(),
  recurrence_id: z.string().nullish(),
  rrule: z.string().nullish(),
});
export type CalendarEvent = z.infer<typeof CalendarEventSchema>;

/** A to-do item as todo/item/list gives it (ws-system.json). */
export const TodoItemSchema = z.looseObject({
  summary: z.string(),
  uid: z.string(),
  status: z.string(),
  due: z.string().nullish(),
  description: z.string().nullish(),
});
export type TodoItem = z.infer<typeof TodoItemSchema>;

/** Longer descriptions are cut: a calendar's notes can be pages long. */
const MAX_NOTE = 120;

const note = (text: string | null | undefined): string => {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!t) return '';
  return ` - ${t.length > MAX_NOTE ? `${t.slice(0, MAX_NOTE - 1)}…` : t}`;
};

/** An all-day date "2026-12-25" is the home's whole day; one past the last day is exclusive. */
function dayBefore(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) - 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Start in epoch ms, for sorting and for the period check: dates are read as UTC midnight, close enough to order by. */
export function eventStart(e: CalendarEvent): number {
  return Date.parse(e.start.dateTime ?? `${e.start.date ?? ''}T00:00:00Z`);
}

export function eventWhen(e: CalendarEvent, tz: string): string {
  if (e.start.date !== undefined && e.start.dateTime === undefined) {
    const last = e.end.date ? dayBefore(e.end.date) : e.start.date;
    return last > e.start.date ? `${e.start.date}..${last} all day` : `${e.start.date} all day`;
  }
  const start = formatTime(Date.parse(e.start.dateTime ?? ''), tz);
  const end = formatTime(Date.parse(e.end.dateTime ?? e.start.dateTime ?? ''), tz);
  return `${start}-${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end}`;
}

export function eventLine(e: CalendarEvent, calendarId: string, tz: string): string {
  const where = e.location ? ` @ ${e.location.replace(/\s+/g, ' ').trim().slice(0, MAX_NOTE)}` : '';
  return `${eventWhen(e, tz)} ${calendarId}: ${(e.summary ?? '(no title)').slice(0, 255)}${where}${note(e.description)}`;
}

export function itemLine(i: TodoItem, tz: string): string {
  let due = '';
  if (i.due) {
    // A date, a time with its offset, or (some integrations) a naive local time.
    const zoned = /([+-]\d\d:?\d\d|Z)$/i.test(i.due) && !Number.isNaN(Date.parse(i.due));
    due = ` (due ${i.due.length <= 10 ? i.due : zoned ? formatTime(Date.parse(i.due), tz) : i.due.replace('T', ' ').slice(0, 16)})`;
  }
  return `${i.status === 'completed' ? '[x]' : '[ ]'} ${i.summary.slice(0, 255)}${due}${note(i.description)}`;
}
