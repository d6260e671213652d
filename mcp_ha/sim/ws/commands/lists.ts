// todo/item/list and calendar/event/delete as recorded in ws-system.json: an unknown entity is
// not_found "Entity not found"; a calendar without the DELETE feature (2) is not_supported.
import { calendarOf, listedItem, todoItems } from '../../state/domains/lists.js';
import type { Check } from '../schema.js';
import { str } from '../schema.js';
import type { CommandTable } from './types.js';

const ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;
const entityId: Check = (v) =>
  typeof v !== 'string' ? 'expected str for dictionary value' : ENTITY_ID.test(v) ? null : `Entity ID ${v} is an invalid entity ID for dictionary value`;

const DELETE_EVENT = 2;

export const listCommands: CommandTable = {
  'todo/item/list': {
    schema: { entity_id: { required: true, check: entityId } },
    handler: (conn, id, msg) => {
      const entity = String(msg.entity_id);
      if (!entity.startsWith('todo.') || !conn.home.store.get(entity)) return conn.error(id, 'not_found', 'Entity not found');
      conn.result(id, JSON.stringify({ items: todoItems(conn.home, entity).map(listedItem) }));
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
