// Undo: picks the actions to undo from the audit log, restores each target entity's
// before-state through the service gate (so policy, confirmation and audit apply to the restore
// calls too, each recorded with undo_of), then checks the result and says what it could not restore.
// An object change (a config edit, AuditRecord.change) is restored by `restoreChange`, which the
// edit framework supplies (src/edit/undo.ts), through the gate's executeCommand.
// Without an id only done (successful) actions are taken: one whose outcome is unknown (cut off
// by a crash, see recover.ts) or still pending is skipped, and the answer says so.
import { AppError } from '../errors.js';
import type { HaState } from '../ha/schemas.js';
import type { HaClient } from '../ha/types.js';
import { callerLabel, type Caller } from '../auth/caller.js';
import type { Elicit } from '../policy/confirm.js';
import type { ServiceGate } from '../policy/gate.js';
import type { AuditLog } from './log.js';
import type { AuditRecord } from './record.js';
import { restorePlan } from './restore.js';

export interface UndoRequest {
  /** One action by audit id. */
  id?: string | undefined;
  /** Otherwise the last N undoable actions (newest first). */
  last?: number | undefined;
  /** With `last`: also other callers' actions (default: only the caller's own). */
  allCallers?: boolean | undefined;
  caller: Caller;
  sessionId: string | undefined;
  elicit?: Elicit | undefined;
  /** Confirms the one object change being undone (a delete of what the action created). */
  confirmToken?: string | undefined;
  confirmedByUser?: boolean | undefined;
}

export interface EntityUndo {
  entity_id: string;
  status: 'restored' | 'unchanged' | 'not_restored';
  services: string[];
  audit_ids: string[];
  /** What could not be restored, and why. */
  problems?: string[];
  note?: string;
}

/** The undo of an object change: the created object deleted, a deleted one recreated, an edit reverted. */
export interface ChangeUndo {
  kind: string;
  id: string;
  status: 'restored' | 'unchanged' | 'not_restored';
  /** What the restore did: create (recreated), update (previous version written) or delete (created one removed). */
  action?: 'create' | 'update' | 'delete' | undefined;
  audit_ids: string[];
  problems?: string[];
  note?: string;
}

/** Restores one record's object change; supplied by the edit framework. */
export type RestoreChange = (rec: AuditRecord & { change: NonNullable<AuditRecord['change']> }, req: UndoRequest) => Promise<ChangeUndo>;

export interface ActionUndo {
  id: string;
  ts: string;
  service: string;
  entities: EntityUndo[];
  change?: ChangeUndo;
}

/** An action ha_undo without an id passed over because it is not done. */
export interface SkippedAction {
  id: string;
  ts: string;
  service: string;
  entities: string[];
  outcome: 'pending' | 'unknown';
}

export interface UndoResult {
  actions: ActionUndo[];
  /** Newer than the oldest action undone (or any, when none was): not done, so not taken. */
  skipped: SkippedAction[];
}

export interface UndoDeps {
  audit: AuditLog;
  gate: ServiceGate;
  ha: Pick<HaClient, 'cache'>;
  /** Restores object changes (config edits); without it they are reported not restored. */
  restoreChange?: RestoreChange | undefined;
}

const hasBefore = (r: AuditRecord): boolean => Object.keys(r.before ?? {}).length > 0 || r.change !== undefined;
/** By id: done, or of unknown outcome (its before-state is known; what differs from now is restored). */
const undoable = (r: AuditRecord): boolean => (r.outcome === 'success' || r.outcome === 'pending' || r.outcome === 'unknown') && hasBefore(r);
const notDone = (r: AuditRecord): r is AuditRecord & { outcome: 'pending' | 'unknown' } => r.outcome === 'pending' || r.outcome === 'unknown';

const SKIPPED_ADVICE = 'ha_audit_log with its id shows the states now; ha_undo with its id restores its before-state anyway.';

/** The actions passed over in words, e.g. "skipped 1 action whose outcome is unknown (...): id (service on entity at time)". */
function skippedText(skipped: readonly SkippedAction[]): string | undefined {
  if (!skipped.length) return undefined;
  const list = (outcome: SkippedAction['outcome']) => skipped.filter((s) => s.outcome === outcome);
  const describe = (s: SkippedAction) => `${s.id} (${s.service}${s.entities.length ? ` on ${s.entities.slice(0, 3).join(', ')}${s.entities.length > 3 ? ', ...' : ''}` : ''} at ${s.ts})`;
  const parts: string[] = [];
  const plural = (n: number) => `${n} action${n === 1 ? '' : 's'}`;
  const unknown = list('unknown');
  const pending = list('pending');
  if (unknown.length) parts.push(`skipped ${plural(unknown.length)} whose outcome is unknown (the add-on stopped before Home Assistant answered): ${unknown.slice(0, 5).map(describe).join('; ')}`);
  if (pending.length) parts.push(`skipped ${plural(pending.length)} still pending (in progress, or not yet checked after a restart): ${pending.slice(0, 5).map(describe).join('; ')}`);
  return parts.join('; ');
}

/** Words for the model about the actions passed over, with what to do about them. */
export function skippedNote(skipped: readonly SkippedAction[]): string | undefined {
  const text = skippedText(skipped);
  return text && `${text[0]?.toUpperCase()}${text.slice(1)}. ${SKIPPED_ADVICE}`;
}

/** The records to undo, newest first, and (without an id) the newer ones passed over as not done. */
export function selectActions(records: readonly AuditRecord[], req: Pick<UndoRequest, 'id' | 'last' | 'allCallers'>, caller: string): { picked: AuditRecord[]; skipped: SkippedAction[] } {
  const undoneBy = new Map<string, string>();
  for (const r of records) if (r.outcome === 'success') for (const id of r.undo_of ?? []) undoneBy.set(id, r.id);
  if (req.id !== undefined) {
    const rec = records.find((r) => r.id === req.id);
    if (!rec) throw new AppError('not_found', `No audit record ${req.id}.`, 'ha_audit_log lists recent actions and their ids.');
    if (!undoable(rec)) {
      throw new AppError('invalid_input', `Action ${rec.id} (${rec.service}) cannot be undone: it was ${rec.outcome} and changed nothing that was recorded.`, 'Pick a successful action from ha_audit_log.');
    }
    const by = undoneBy.get(rec.id);
    if (by) throw new AppError('invalid_input', `Action ${rec.id} was already undone (by ${by}).`, `Undo ${by} to redo it.`, { details: { undone_by: by } });
    return { picked: [rec], skipped: [] };
  }
  const candidates = records.filter((r) => hasBefore(r) && !r.undo_of && !undoneBy.has(r.id) && (req.allCallers === true || r.caller === caller));
  const done = candidates.filter((r) => r.outcome === 'success');
  const picked = done.slice(-(req.last ?? 1)).reverse();
  const oldest = picked.at(-1);
  const from = oldest ? candidates.indexOf(oldest) : 0;
  const skipped: SkippedAction[] = candidates
    .slice(from)
    .filter(notDone)
    .reverse()
    .map((r) => ({ id: r.id, ts: r.ts, service: r.service, entities: r.entities, outcome: r.outcome }));
  if (!picked.length) {
    const text = skippedText(skipped);
    throw new AppError(
      'not_found',
      `Nothing to undo: no earlier successful write${req.allCallers ? '' : ` by ${caller}`} that is not undone yet${text ? `; ${text}` : ''}.`,
      text ? SKIPPED_ADVICE : 'ha_audit_log shows past actions; all_callers: true includes other callers.',
      skipped.length ? { details: { skipped } } : {},
    );
  }
  return { picked, skipped };
}

function close(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') return Math.abs(actual - expected) <= 0.01 + 0.001 * Math.abs(expected);
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.length === expected.length && expected.every((e, i) => close(actual[i], e));
  return actual === expected;
}

async function undoEntity(deps: UndoDeps, req: UndoRequest, rec: AuditRecord, entityId: string): Promise<EntityUndo> {
  const before = rec.before?.[entityId];
  const out: EntityUndo = { entity_id: entityId, status: 'not_restored', services: [], audit_ids: [] };
  if (!before) return { ...out, problems: ['no before-state was recorded'] };
  const plan = restorePlan(entityId, before, rec.after?.[entityId]);
  if (plan.impossible) return { ...out, problems: [plan.impossible] };
  if (!plan.calls.length) return { ...out, status: 'unchanged', ...(plan.note ? { note: plan.note } : {}) };
  const problems: string[] = [];
  let latest: HaState | undefined;
  for (const c of plan.calls) {
    const service = `${c.domain}.${c.service}`;
    out.services.push(service);
    try {
      const res = await deps.gate.execute({
        call: { domain: c.domain, service: c.service, target: { entity_id: [entityId] }, service_data: c.data },
        caller: req.caller,
        sessionId: req.sessionId,
        tool: 'ha_undo',
        undoOf: [rec.id],
        elicit: req.elicit,
      });
      if (res.audit_id) out.audit_ids.push(res.audit_id);
      latest = res.changed_states.find((s) => s.entity_id === entityId) ?? latest;
    } catch (err) {
      // Read-only refuses the whole undo; the gate has recorded the refused call.
      if (err instanceof AppError && err.code === 'read_only') throw err;
      if (err instanceof AppError && err.code === 'confirmation_required') {
        problems.push(`${service} needs the user's confirmation; ask the user, then call ha_call_service ${service} on ${entityId}${c.data ? ` with ${JSON.stringify(c.data)}` : ''}.`);
      } else problems.push(`${service}: ${err instanceof AppError ? `${err.message} ${err.suggestion}` : 'failed'}`);
    }
  }
  const now = latest ?? deps.ha.cache.getState(entityId);
  // Covers and valves travel: their position can only be checked once they stop.
  const moving = now?.state === 'opening' || now?.state === 'closing';
  if (moving && !problems.length) return { ...out, status: 'restored', note: `${now.state}; it reaches the recorded position after its travel time` };
  for (const [key, expected] of Object.entries(plan.expect)) {
    const actual = key === 'state' ? now?.state : now?.attributes[key];
    if (!close(actual, expected)) problems.push(`${key} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
  return problems.length ? { ...out, problems } : { ...out, status: 'restored' };
}

export async function undo(deps: UndoDeps, req: UndoRequest): Promise<UndoResult> {
  const records = await deps.audit.readAll();
  const { picked, skipped } = selectActions(records, req, callerLabel(req.caller));
  const actions: ActionUndo[] = [];
  for (const rec of picked) {
    const { change } = rec;
    if (change) {
      let restored: ChangeUndo;
      try {
        restored = deps.restoreChange
          ? await deps.restoreChange({ ...rec, change }, req)
          : { kind: change.kind, id: change.id, status: 'not_restored', audit_ids: [], problems: ['object changes cannot be undone here'] };
      } catch (err) {
        // One action: its confirmation is the answer (a token, or the client's input round); among several, a problem.
        if (!(err instanceof AppError && err.code === 'confirmation_required') || picked.length === 1) throw err;
        restored = { kind: change.kind, id: change.id, status: 'not_restored', audit_ids: [], problems: [`${err.message} Undo it alone (ha_undo with id ${rec.id}) to confirm it.`] };
      }
      actions.push({ id: rec.id, ts: rec.ts, service: rec.service, entities: [], change: restored });
      continue;
    }
    const entities: EntityUndo[] = [];
    for (const entityId of Object.keys(rec.before ?? {})) entities.push(await undoEntity(deps, req, rec, entityId));
    actions.push({ id: rec.id, ts: rec.ts, service: rec.service, entities });
  }
  return { actions, skipped };
}

export async function undoActions(deps: UndoDeps, req: UndoRequest): Promise<ActionUndo[]> {
  return (await undo(deps, req)).actions;
}
