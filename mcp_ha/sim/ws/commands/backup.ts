// The backup integration's commands (all admin-only), as ws-system.json recorded them on a Core
// install: only the local agent, no backups, nothing scheduled. The Supervisor's commands
// (supervisor/*, hassio/*) are not registered there, so they answer unknown_command.
import { str } from '../schema.js';
import type { CommandTable } from './types.js';

const INFO = JSON.stringify({
  agent_errors: {},
  backups: [],
  last_attempted_automatic_backup: null,
  last_completed_automatic_backup: null,
  last_action_event: null,
  next_automatic_backup: null,
  next_automatic_backup_additional: false,
  state: 'idle',
});

const CONFIG = JSON.stringify({
  config: {
    agents: {},
    automatic_backups_configured: false,
    create_backup: { agent_ids: [], include_addons: null, include_all_addons: false, include_database: true, include_folders: null, name: null, password: null },
    last_attempted_automatic_backup: null,
    last_completed_automatic_backup: null,
    retention: { copies: null, days: null },
    schedule: { days: [], recurrence: 'never', time: null },
    next_automatic_backup: null,
    next_automatic_backup_additional: false,
  },
});

export const backupCommands: CommandTable = {
  'backup/info': { adminOnly: true, handler: (conn, id) => conn.result(id, INFO) },
  'backup/config/info': { adminOnly: true, handler: (conn, id) => conn.result(id, CONFIG) },
  'backup/agents/info': { adminOnly: true, handler: (conn, id) => conn.result(id, '{"agents":[{"agent_id":"backup.local","name":"local"}]}') },
  // No backups exist: every id is unknown, which HA answers with success and a null backup.
  'backup/details': {
    adminOnly: true,
    schema: { backup_id: { required: true, check: str } },
    handler: (conn, id) => conn.result(id, '{"agent_errors":{},"backup":null}'),
  },
};
