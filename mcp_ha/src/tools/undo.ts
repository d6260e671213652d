// ha_undo: undoes the caller's last N actions, or one action by audit id, by restoring the
// recorded before-state through the service gate.
import { z } from 'zod';
import { skippedNote, undo as undoFromLog } from '../audit/undo.js';
import { backupsOf } from '../edit/backups.js';
import { changeRestorer } from '../edit/undo.js';
import { readOnlyDenial } from '../policy/policy.js';
import { nameArg } from './limits.js';
import { defineTool } from './tool.js';

const EntityUndo = z.object({
  entity_id: z.string(),
  status: z.enum(['restored', 'unchanged', 'not_restored']),
  services: z.array(z.string()),
  audit_ids: z.array(z.string()),
  problems: z.array(z.string()).optional(),
  note: z.string().optional(),
});

const ChangeUndo = z.object({
  kind: z.string(),
  id: z.string(),
  status: z.enum(['restored', 'unchanged', 'not_restored']),
  action: z.enum(['create', 'update', 'delete']).optional(),
  audit_ids: z.array(z.string()),
  problems: z.array(z.string()).optional(),
  note: z.string().optional(),
});

export const undo = defineTool({
  name: 'ha_undo',
  title: 'Undo actions',
  description:
    'Undo your last actions (or one by audit id from ha_audit_log): restores each target entity\'s recorded before-state, or a config edit\'s previous version, and reports what it could not restore.',
  toolset: 'write',
  input: z.object({
    id: nameArg().min(1).optional().describe('Audit id of one action to undo'),
    last: z.number().int().min(1).max(20).optional().describe('Undo the last N actions (default 1)'),
    all_callers: z.boolean().optional().describe('With last: include other callers\' actions'),
    confirm_token: nameArg().optional().describe('From a confirmation_required answer'),
  }),
  output: z.object({
    actions: z.array(z.object({ id: z.string(), ts: z.string(), service: z.string(), entities: z.array(EntityUndo), change: ChangeUndo.optional() })),
    restored: z.number().int(),
    not_restored: z.number().int(),
    note: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async run(input, ctx) {
    // Said up front: each restore call would be refused (and recorded) by the gate anyway.
    if (ctx.config.policy.readOnly) throw readOnlyDenial();
    const { actions, skipped } = await undoFromLog({ ...ctx, restoreChange: changeRestorer({ ...ctx, backups: backupsOf(ctx.config) }) }, {
      id: input.id,
      last: input.id === undefined ? input.last : undefined,
      allCallers: input.all_callers,
      caller: ctx.caller,
      sessionId: ctx.sessionId,
      elicit: ctx.elicit,
      confirmToken: input.confirm_token,
      confirmedByUser: ctx.confirmedByUser,
    });
    const all = actions.flatMap((a) => (a.change ? [...a.entities, a.change] : a.entities));
    const note = skippedNote(skipped);
    return {
      actions,
      restored: all.filter((e) => e.status === 'restored').length,
      not_restored: all.filter((e) => e.status === 'not_restored').length,
      ...(note ? { note } : {}),
    };
  },
});
