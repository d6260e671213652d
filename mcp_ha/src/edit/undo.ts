// ha_undo for object changes: the previous version back through the gate (a created object
// deleted, a deleted one recreated with its old id, an edit reverted). The full previous version
// comes from the backup written before the change (the audit log keeps it with secrets redacted);
// nothing is overwritten that someone changed after the action being undone.
import { isDeepStrictEqual } from 'node:util';
import { redactDeep } from '../audit/record.js';
import type { ChangeUndo, RestoreChange } from '../audit/undo.js';
import { AppError } from '../errors.js';
import type { StoredObject } from '../policy/gate.js';
import { credentialsOf } from '../auth/caller.js';
import type { EditDeps } from './engine.js';
import { writeObject } from './engine.js';
import { editKind } from './kinds/index.js';
import { versionOf } from './version.js';

const hasRedacted = (v: unknown): boolean => JSON.stringify(v ?? null).includes('"<redacted>"');

export function changeRestorer(deps: Omit<EditDeps, 'caller' | 'sessionId' | 'elicit' | 'confirmedByUser'>): RestoreChange {
  return async (rec, req) => {
    const { change } = rec;
    const out: ChangeUndo = { kind: change.kind, id: change.id, status: 'not_restored', audit_ids: [] };
    const kind = editKind(change.kind);
    if (!kind) return { ...out, problems: [`unknown kind ${change.kind}`] };
    const edit: EditDeps = { ...deps, caller: req.caller, sessionId: req.sessionId, elicit: req.elicit, confirmedByUser: req.confirmedByUser };
    const ctx = { ha: deps.ha, creds: credentialsOf(req.caller) };
    const before: StoredObject = deps.backups.byAuditId(rec.id)?.config ?? change.before;
    if (before !== null && hasRedacted(before)) return { ...out, problems: ['its previous version is no longer in the backups, and the audit log keeps it with secrets redacted'] };
    const current = await kind.read(ctx, change.id);
    // A crash may have cut the action off: its after-state is unknown, so only "now" counts.
    if (change.after !== undefined && current !== null && change.after !== null && !isDeepStrictEqual(redactDeep(current), change.after)) {
      return { ...out, problems: [`${change.kind} ${change.id} was changed after this action (version ${versionOf(current)}); undoing would overwrite that. ha_config get shows it.`] };
    }
    let action: 'create' | 'update' | 'delete';
    if (before === null) {
      if (current === null) return { ...out, status: 'unchanged', note: `${change.kind} ${change.id} no longer exists` };
      action = 'delete';
    } else if (current === null) action = 'create';
    else if (isDeepStrictEqual(current, before)) return { ...out, status: 'unchanged', note: 'it is already as before' };
    else action = 'update';
    if (change.after === null && current !== null && before !== null && action !== 'create') {
      return { ...out, problems: [`${change.kind} ${change.id} exists again (created after this delete); ha_config get shows it.`] };
    }
    const data = { kind: change.kind, action, id: change.id, undo_of: rec.id };
    try {
      const res = await writeObject(edit, {
        kind, action, id: change.id, config: before ?? undefined, version: current === null ? undefined : versionOf(current),
        data, tool: 'ha_undo', undoOf: [rec.id], trusted: true, confirmToken: req.confirmToken,
      });
      return { ...out, status: 'restored', action, audit_ids: res.audit_id ? [res.audit_id] : [], ...(res.applied.note ? { note: res.applied.note } : {}) };
    } catch (err) {
      if (err instanceof AppError && (err.code === 'read_only' || err.code === 'confirmation_required')) throw err;
      const audit = err instanceof AppError && typeof err.details?.audit_id === 'string' ? [err.details.audit_id] : [];
      return { ...out, action, audit_ids: audit, problems: [err instanceof AppError ? `${err.message} ${err.suggestion}` : 'failed'] };
    }
  };
}
