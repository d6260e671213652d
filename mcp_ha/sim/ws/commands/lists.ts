// todo/item/list and calendar/event/create|update|delete as recorded in ws-system.json: an unknown
// entity is not_found "Entity not found"; a calendar without the feature is not_supported.
import type { SimTodoItem } from '../../model.js';
import { addEvent, calendarOf, eventTime, fullItem, updateEvent, listedItem, moveItem, onItems, todoItems } from '../../state/domains/lists.js';
import { isoFromMicros, parseIsoMicros } from '../../util/time.js';
import { offsetMs, validZone } from '../../util/zone.js';
import type { WsConnection } from '../connection.js';
import type { Check, Schema } from '../schema.js';
import { cvString, entityId, str, validate } from '../schema.js';
import type { CommandTable } from './types.js';


const MOVE_ITEM = 8;
const CREATE_EVENT = 1;
const DELETE_EVENT = 2;
const UPDATE_EVENT = 4;

const EVENT_KEYS = new Set(['dtstart', 'dtend', 'summary', 'description', 'location', 'rrule']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AWARE = /([+-]\d{2}:?\d{2}|Z)$/i;

/** Python's str() of a start/end after _as_local_timezone: "2026-12-02 20:56:03+01:00". */
function pyLocal(text: string, tz: string): string {
  if (DATE.test(text)) return text;
  const us = parseIsoMicros(text) ?? 0;
  const local = AWARE.test(text.trim()) ? isoFromMicros(us, offsetMs(us / 1000, tz) / 60_000) : isoFromMicros(us).replace(/\+00:00$/, '');
  return local.replace('T', ' ').replace('.000000', '');
}

/** calendar's WEBSOCKET_EVENT_SCHEMA: the fields, then same type, then the minimum duration (1 s). */
const eventCheck = (tz: string): Check => (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a dictionary for dictionary value';
  const e = v as Record<string, unknown>;
  // Not recorded: voluptuous names the nested key ("@ data['event']['x']"), this the event.
  if (Object.keys(e).some((k) => !EVENT_KEYS.has(k))) return 'extra keys not allowed for dictionary value';
  for (const k of ['dtstart', 'dtend', 'summary']) if (!(k in e)) return `required key not provided for dictionary value`;
  const kind = (x: unknown): 'date' | 'datetime' | null =>
    typeof x !== 'string' ? null : DATE.test(x) ? 'date' : parseIsoMicros(x) !== null ? 'datetime' : null;
  const ks = kind(e.dtstart);
  const ke = kind(e.dtend);
  if (!ks || !ke) return 'Invalid datetime specified for dictionary value';
  if (cvString(e.summary)) return 'expected str for dictionary value';
  if (ks !== ke) return "Expected all values to be the same type: ('dtstart', 'dtend') for dictionary value";
  const s = String(e.dtstart);
  const en = String(e.dtend);
  const short = ks === 'date' ? en <= s : (parseIsoMicros(en) ?? 0) - (parseIsoMicros(s) ?? 0) < 1_000_000;
  if (short) return `Expected minimum event duration of ${ks === 'date' ? '1 day, 0:00:00' : '0:00:01'} (${pyLocal(s, tz)}, ${pyLocal(en, tz)}) for dictionary value`;
  return null;
};

/** The calendar entity, or an error sent: not_found, then not_supported without the feature. */
function writableCalendar(conn: WsConnection, id: number, msg: Record<string, unknown>, feature: number, what: string) {
  const entity = String(msg.entity_id);
  const state = entity.startsWith('calendar.') ? conn.home.store.get(entity) : undefined;
  if (!state) return void conn.error(id, 'not_found', 'Entity not found');
  if ((Number(state.attributes.supported_features ?? 0) & feature) === 0) return void conn.error(id, 'not_supported', `Calendar does not support event ${what}`);
  return state;
}

/** A validated WS event as the store keeps it. */
function newEvent(conn: WsConnection, e: Record<string, unknown>) {
  const tz = validZone(conn.home.data.config.time_zone);
  const opt = (v: unknown) => (v === undefined || v === null ? null : String(v));
  return { start: eventTime(String(e.dtstart), tz), end: eventTime(String(e.dtend), tz), summary: String(e.summary), description: opt(e.description), location: opt(e.location) };
}

/** The event's texts need the home's time zone, so these commands validate themselves. */
function validEvent(conn: WsConnection, id: number, msg: Record<string, unknown>, schema: Schema): boolean {
  const problem = validate(msg, { ...schema, event: { required: true, check: eventCheck(validZone(conn.home.data.config.time_zone)) } });
  if (problem) conn.error(id, 'invalid_format', problem);
  return !problem;
}

export const listCommands: CommandTable = {
  'todo/item/list': {
    schema: { entity_id: { required: true, check: entityId } },
    handler: (conn, id, msg) => {
      const entity = String(msg.entity_id);
      if (!entity.startsWith('todo.') || !conn.home.store.get(entity)) return conn.error(id, 'not_found', 'Entity not found');
      conn.result(id, JSON.stringify({ items: todoItems(conn.home, entity).map(listedItem) }));
    },
  },

  'todo/item/subscribe': {
    schema: { entity_id: { required: true, check: entityId } },
    handler: (conn, id, msg) => {
      const entity = String(msg.entity_id);
      if (!entity.startsWith('todo.') || !conn.home.store.get(entity)) return conn.error(id, 'not_found', 'Entity not found');
      const send = (items: SimTodoItem[]) =>
        conn.eventIdFirst(id, JSON.stringify({ items: items.map(fullItem) }));
      conn.subscriptions.set(id, onItems(conn.home, entity, send));
      conn.result(id);
      send(todoItems(conn.home, entity));
    },
  },

  'todo/item/move': {
    schema: { entity_id: { required: true, check: entityId }, uid: { required: true, check: str }, previous_uid: { check: str } },
    handler: (conn, id, msg) => {
      const entity = String(msg.entity_id);
      const state = entity.startsWith('todo.') ? conn.home.store.get(entity) : undefined;
      if (!state) return conn.error(id, 'not_found', 'Entity not found');
      if ((Number(state.attributes.supported_features ?? 0) & MOVE_ITEM) === 0) return conn.error(id, 'not_supported', 'To-do list does not support item reordering');
      const problem = moveItem(conn.home, entity, String(msg.uid), msg.previous_uid === undefined ? undefined : String(msg.previous_uid));
      if (problem) return conn.error(id, 'failed', problem);
      conn.result(id);
    },
  },

  'calendar/event/create': {
    ownValidation: true,
    handler: (conn, id, msg) => {
      if (!validEvent(conn, id, msg, { entity_id: { required: true, check: entityId } })) return;
      if (!writableCalendar(conn, id, msg, CREATE_EVENT, 'creation')) return;
      // Not recorded (the demo calendars cannot create): the event goes to calendar.create_event's store.
      addEvent(conn.home, String(msg.entity_id), newEvent(conn, msg.event as Record<string, unknown>));
      conn.result(id);
    },
  },

  'calendar/event/update': {
    ownValidation: true,
    handler: (conn, id, msg) => {
      const schema = { entity_id: { required: true, check: entityId }, uid: { required: true, check: str }, recurrence_id: { check: str }, recurrence_range: { check: str } };
      if (!validEvent(conn, id, msg, schema)) return;
      if (!writableCalendar(conn, id, msg, UPDATE_EVENT, 'update')) return;
      // Not recorded: an unknown uid in the words of calendar/event/delete's local_calendar text.
      if (!updateEvent(conn.home, String(msg.entity_id), String(msg.uid), newEvent(conn, msg.event as Record<string, unknown>))) {
        return conn.error(id, 'failed', `Error while updating event: No existing event with uid ${String(msg.uid)}`);
      }
      conn.result(id);
    },
  },

  'calendar/event/delete': {
    schema: { entity_id: { required: true, check: entityId }, uid: { required: true, check: str }, recurrence_id: { check: str }, recurrence_range: { check: str } },
    handler: (conn, id, msg) => {
      const entity = String(msg.entity_id);
      const state = entity.startsWith('calendar.') ? conn.home.store.get(entity) : undefined;
      if (!state) return conn.error(id, 'not_found', 'Entity not found');
      if ((Number(state.attributes.supported_features ?? 0) & DELETE_EVENT) === 0) return conn.error(id, 'not_supported', 'Calendar does not support event deletion');
      const cal = calendarOf(conn.home, entity);
      const i = cal?.events.findIndex((e) => e.uid === msg.uid) ?? -1;
      // Not recorded (the demo calendars cannot delete): local_calendar's EventStoreError text.
      if (!cal || i < 0) return conn.error(id, 'failed', `Error while deleting event: No existing event with uid ${String(msg.uid)}`);
      cal.events.splice(i, 1);
      conn.result(id);
    },
  },
};
