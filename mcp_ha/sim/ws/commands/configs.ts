// automation/config and script/config: an item's stored config by its entity id (rule 32).
import { configsOf } from '../../state/configs.js';
import { str } from '../schema.js';
import type { CommandTable } from './types.js';

export const configCommands: CommandTable = {
  'automation/config': {
    schema: { entity_id: { required: true, check: str } },
    handler: (conn, id, msg) => {
      const st = conn.home.store.get(msg.entity_id as string);
      const cfg = st && typeof st.attributes.id === 'string' ? configsOf(conn.home, 'automation')[st.attributes.id] : undefined;
      if (!cfg) return conn.error(id, 'not_found', 'Entity not found');
      conn.result(id, JSON.stringify({ config: cfg }));
    },
  },
  'script/config': {
    schema: { entity_id: { required: true, check: str } },
    handler: (conn, id, msg) => {
      const eid = msg.entity_id as string;
      const cfg = eid.startsWith('script.') && conn.home.store.has(eid) ? configsOf(conn.home, 'script')[eid.slice('script.'.length)] : undefined;
      if (!cfg) return conn.error(id, 'not_found', 'Entity not found');
      conn.result(id, JSON.stringify({ config: cfg }));
    },
  },
};
