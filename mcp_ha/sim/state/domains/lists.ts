// To-do lists and calendars: items and events kept per home, changed by the todo.* services and
// calendar.create_event (ws-system.json, rest-calendars.json). A to-do entity's state is the
// number of items still to do; a calendar's events are what GET /api/calendars/<id> serves.
import type { SimCalendar, SimTodoItem } from '../../model.js';
import { hexId } from '../../util/ids.js';
import { isoFromMicros, parseIsoMicros } from '../../util/time.js';
import { offsetMs, validZone } from '../../util/zone.js';
import { InvalidData, ServiceValidationError } from '../errors.js';
import type { SimHome } from '../home.js';
import type { DomainBehaviour, EntityCall } from './types.js';

const lists = new WeakMap<SimHome, Map<string, SimTodoItem[]>>();
type ItemsListener = (items: SimTodoItem[]) => void;
const listeners = new WeakMap<SimHome, Map<string, Set<ItemsListener>>>();

/** The to-do list the shopping_list integration keeps; GET /api/shopping_list shows the same items. */
export const SHOPPING_LIST = 'todo.shopping_list';

/** todo/item/subscribe: called with the items after every change; returns the unsubscribe. */
export function onItems(home: SimHome, entityId: string, fn: ItemsListener): () => void {
  let byList = listeners.get(home);
  if (!byList) listeners.set(home, (byList = new Map()));
  let set = byList.get(entityId);
  if (!set) byList.set(entityId, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

function changed(home: SimHome, entityId: string, items: SimTodoItem[]): void {
  for (const fn of listeners.get(home)?.get(entityId) ?? []) fn(items);
}

/** An item as todo/item/subscribe shows it: every TodoItem field, null when unset. */
export function fullItem(i: SimTodoItem): Record<string, unknown> {
  return { summary: i.summary, uid: i.uid, status: i.status, due: i.due ?? null, description: i.description ?? null, completed: null };
}

/**
 * todo/item/move: the item goes after previous_uid, or first without it. Returns the error text
 * for an unknown uid (the shopping list's; other lists are not recorded).
 */
export function moveItem(home: SimHome, entityId: string, uid: string, previousUid?: string): string | null {
  const items = todoItems(home, entityId);
  const from = items.findIndex((i) => i.uid === uid);
  const known = from >= 0 && (previousUid === undefined || items.some((i) => i.uid === previousUid && i.uid !== uid));
  if (!known) return entityId === SHOPPING_LIST ? `Shopping list item '${uid}' could not be re-ordered` : `Item '${uid}' not found in to-do list`;
  const [item] = items.splice(from, 1);
  items.splice(previousUid === undefined ? 0 : items.findIndex((i) => i.uid === previousUid) + 1, 0, item!);
  changed(home, entityId, items);
  return null;
}

/** The items of a to-do list (a list the home's data does not name starts empty). */
export function todoItems(home: SimHome, entityId: string): SimTodoItem[] {
  let byList = lists.get(home);
  if (!byList) lists.set(home, (byList = new Map()));
  let items = byList.get(entityId);
  if (!items) byList.set(entityId, (items = (home.data.extras?.todoItems?.[entityId] ?? []).map((i) => ({ ...i }))));
  return items;
}

/** An item as todo/item/list shows it: summary, uid, status, then due and description when set. */
export function listedItem(i: SimTodoItem): Record<string, unknown> {
  const out: Record<string, unknown> = { summary: i.summary, uid: i.uid, status: i.status };
  if (i.due !== undefined) out.due = i.due;
  if (i.description !== undefined) out.description = i.description;
  return out;
}

function findItem(items: SimTodoItem[], key: string): SimTodoItem {
  const item = items.find((i) => i.uid === key) ?? items.find((i) => i.summary === key);
  if (!item) throw new ServiceValidationError(`Unable to find to-do list item: ${key}`, 'item_not_found', { item: key }, 'todo');
  return item;
}

function setCount(c: EntityCall, items: SimTodoItem[]): void {
  c.update(String(items.filter((i) => i.status === 'needs_action').length));
  changed(c.home, c.entityId, items);
}

/** due_datetime as Home Assistant lists it: local time with its offset, no microseconds. */
function dueOf(c: EntityCall): string | undefined {
  if (c.data.due_datetime !== undefined) {
    const tz = validZone(c.home.data.config.time_zone);
    const us = localMicros(String(c.data.due_datetime), tz);
    return isoFromMicros(Math.floor(us / 1_000_000) * 1_000_000, offsetMs(us / 1000, tz) / 60_000).replace('.000000', '');
  }
  if (c.data.due_date !== undefined) return String(c.data.due_date);
  return undefined;
}

export const todo: DomainBehaviour = {
  entity: {
    add_item: (c) => {
      const items = todoItems(c.home, c.entityId);
      const item: SimTodoItem = { summary: String(c.data.item), uid: hexId(), status: 'needs_action' };
      const due = dueOf(c);
      if (due !== undefined) item.due = due;
      if (c.data.description !== undefined) item.description = String(c.data.description);
      items.push(item);
      setCount(c, items);
    },
    update_item: (c) => {
      const items = todoItems(c.home, c.entityId);
      const item = findItem(items, String(c.data.item));
      if (c.data.rename !== undefined) item.summary = String(c.data.rename);
      if (c.data.status !== undefined) item.status = c.data.status === 'completed' ? 'completed' : 'needs_action';
      const due = dueOf(c);
      if (due !== undefined) item.due = due;
      if (c.data.description !== undefined) item.description = String(c.data.description);
      setCount(c, items);
    },
    remove_item: (c) => {
      const items = todoItems(c.home, c.entityId);
      const keys = Array.isArray(c.data.item) ? c.data.item.map(String) : [String(c.data.item)];
      const doomed = new Set(keys.map((k) => findItem(items, k)));
      items.splice(0, items.length, ...items.filter((i) => !doomed.has(i)));
      setCount(c, items);
    },
    remove_completed_items: (c) => {
      const items = todoItems(c.home, c.entityId);
      items.splice(0, items.length, ...items.filter((i) => i.status !== 'completed'));
      setCount(c, items);
    },
    get_items: (c) => {
      const wanted = c.data.status === undefined ? undefined : (Array.isArray(c.data.status) ? c.data.status : [c.data.status]).map(String);
      return { items: todoItems(c.home, c.entityId).filter((i) => !wanted || wanted.includes(i.status)).map(listedItem) };
    },
  },
};

/** The calendar's stored events, or undefined for a calendar the home has no events for. */
export function calendarOf(home: SimHome, entityId: string): SimCalendar | undefined {
  return home.data.extras?.calendars?.find((c) => c.entity_id === entityId);
}

/** The calendar's event store, made on first use. */
function calendarStore(home: SimHome, entityId: string): SimCalendar {
  let cal = calendarOf(home, entityId);
  if (!cal) {
    home.data.extras ??= {};
    home.data.extras.calendars ??= [];
    cal = { entity_id: entityId, name: String(home.store.get(entityId)?.attributes.friendly_name ?? entityId), events: [] };
    home.data.extras.calendars.push(cal);
  }
  return cal;
}

type NewEvent = Pick<SimCalendar['events'][number], 'start' | 'end' | 'summary' | 'description' | 'location'>;

/** Stores a new event (calendar.create_event, calendar/event/create). */
export function addEvent(home: SimHome, entityId: string, e: NewEvent): void {
  calendarStore(home, entityId).events.push({ ...e, uid: hexId(), recurrence_id: null, rrule: null });
}

/** Replaces an event's fields (calendar/event/update); false for an unknown uid. */
export function updateEvent(home: SimHome, entityId: string, uid: string, e: NewEvent): boolean {
  const event = calendarOf(home, entityId)?.events.find((x) => x.uid === uid);
  if (!event) return false;
  Object.assign(event, e);
  return true;
}

/** An event's start or end as stored: a date, or a datetime in the home's zone. */
export function eventTime(text: string, tz: string): Record<string, string> {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { date: text };
  return { dateTime: localIso(localMicros(text, tz), tz) };
}

/** Python's isoformat() in the home's zone: no fraction when the microseconds are 0. */
function localIso(us: number, tz: string): string {
  return isoFromMicros(us, offsetMs(us / 1000, tz) / 60_000).replace(/\.000000(?=[+-])/, '');
}

/** A service datetime: with an offset as given, naive as the home's wall clock (HA's dt_util.as_local). */
function localMicros(text: string, tz: string): number {
  const us = parseIsoMicros(text);
  if (us === null) throw new InvalidData(`Invalid datetime specified: ${text}`);
  if (/([+-]\d{2}:?\d{2}|Z)$/i.test(text.trim())) return us;
  return us - offsetMs(us / 1000, tz) * 1000;
}

export const calendar: DomainBehaviour = {
  entity: {
    create_event: (c) => {
      const tz = validZone(c.home.data.config.time_zone);
      const d = c.data;
      let start: Record<string, string>;
      let end: Record<string, string>;
      if (d.start_date_time !== undefined && d.end_date_time !== undefined) {
        const s = localMicros(String(d.start_date_time), tz);
        const e = localMicros(String(d.end_date_time), tz);
        if (e <= s) throw new InvalidData('Expected end time to be after start time');
        start = { dateTime: localIso(s, tz) };
        end = { dateTime: localIso(e, tz) };
      } else if (d.start_date !== undefined && d.end_date !== undefined) {
        if (String(d.end_date) <= String(d.start_date)) throw new InvalidData('Expected end time to be after start time');
        start = { date: String(d.start_date) };
        end = { date: String(d.end_date) };
      } else throw new InvalidData('Expected both start and end, as date times or as dates');
      addEvent(c.home, c.entityId, { start, end, summary: String(d.summary), description: d.description ?? null, location: d.location ?? null });
    },
  },
};
