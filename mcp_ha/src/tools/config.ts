// ha_config: reads and edits the home's configuration (automations, scripts, scenes, and the
// kinds added in src/edit/kinds) with one shape: kind + action. Everything else (validation,
// the gate, backups, version check, diff, undo) is the edit engine's (src/edit/engine.ts).
import { z } from 'zod';
import { backupsOf } from '../edit/backups.js';
import { runEdit } from '../edit/engine.js';
import { EDIT_ACTIONS } from '../edit/kind.js';
import { KIND_NAMES } from '../edit/kinds/index.js';
import { jsonObjectArg, nameArg } from './limits.js';
import { defineTool } from './tool.js';

export const config = defineTool({
  name: 'ha_config',
  title: 'Edit configuration',
  description:
    'List, get, create, update or delete automations, scripts and scenes as Home Assistant stores them. ' +
    'Writes are validated (nothing saved on errors), backed up, answered with a diff and undoable with ha_undo. ' +
    'update/delete need the version from get; delete asks the user.',
  toolset: 'config',
  input: z.object({
    kind: z.enum(KIND_NAMES),
    action: z.enum(EDIT_ACTIONS),
    id: nameArg().min(1).optional().describe('Object id (create: optional)'),
    config: jsonObjectArg('config').optional().describe('create/update: the whole object'),
    version: z.string().max(64).optional().describe('From get'),
    offset: z.number().int().min(0).max(100_000).optional().describe('list: skip this many'),
    confirm_token: nameArg().optional().describe('From a confirmation_required answer'),
  }),
  output: z.object({
    kind: z.string(),
    action: z.string(),
    id: z.string().optional(),
    entity_id: z.string().optional(),
    state: z.string().optional(),
    version: z.string().optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    items: z.array(z.object({ id: z.string(), entity_id: z.string().optional(), name: z.string().optional(), state: z.string().optional() })).optional(),
    total: z.number().int().optional(),
    has_more: z.boolean().optional(),
    diff: z.array(z.string()).optional(),
    audit_id: z.string().optional(),
    backup: z.string().optional(),
    note: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async run(input, ctx) {
    return runEdit(
      { ha: ctx.ha, gate: ctx.gate, backups: backupsOf(ctx.config), caller: ctx.caller, sessionId: ctx.sessionId, elicit: ctx.elicit, confirmedByUser: ctx.confirmedByUser },
      { kind: input.kind, action: input.action, id: input.id, config: input.config, version: input.version, offset: input.offset, confirmToken: input.confirm_token },
    );
  },
});
