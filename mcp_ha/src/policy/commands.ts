// Writes that are not service calls (config edits over REST or WebSocket commands) take the same
// path as service calls, in this order: read_only, the toolset, policy by a pseudo-service name
// ("config.automation_delete": blocked, allowed, needs confirmation), the caller's own checks
// (validation), confirmation, the object's before-state, audit (pending), the write, audit
// (outcome, with the object's before and after).
import { newAuditId, redactDeep, redactData, type AuditRecord, type AuditUpdate, type ObjectChange } from '../audit/record.js';
import { callerLabel, type Caller } from '../auth/caller.js';
import { DEFAULT_TOOLSETS, type Config, type Toolset } from '../config/schema.js';
import { AppError } from '../errors.js';
import { subjectHash, type Confirmations, type Elicit } from './confirm.js';
import { recordFailure } from './failure.js';
import { decideCommand, readOnlyDenial } from './policy.js';

/** A stored form of an object; null when it does not exist. */
export type StoredObject = Record<string, unknown> | null;

export interface CommandRequest<T = unknown> {
  /** Pseudo-service naming the write for policy, confirmation and audit, e.g. "config.automation_delete". */
  service: string;
  /** The toolset the write belongs to: refused unless enabled in the options (default "config"). */
  toolset?: Toolset | undefined;
  /** The object written: its kind ("automation") and id, and its entity when known. */
  kind: string;
  id: string;
  entityId?: string | undefined;
  /** The request as the audit log shows it (secret-looking keys redacted); also bound into the confirmation hash. */
  data?: Record<string, unknown> | undefined;
  /** Set when this write always needs a human's yes (deletes): why, e.g. "deleting an automation". */
  confirmReason?: string | undefined;
  /** What the human is asked; default "Allow the AI to <service> <kind> <id>? (<reason>)". */
  question?: string | undefined;
  caller: Caller;
  sessionId: string | undefined;
  tool: string;
  confirmToken?: string | undefined;
  elicit?: Elicit | undefined;
  confirmedByUser?: boolean | undefined;
  /** Ids of the audit records this write undoes (ha_undo). */
  undoOf?: string[] | undefined;
  /** Checks before confirmation (validation); throws an AppError to refuse. */
  check?: (() => Promise<void>) | undefined;
  /** Reads the object's stored form now (after confirmation, just before the write); throws to refuse (version conflict). */
  read(): Promise<StoredObject>;
  /** Makes the write; gets read()'s answer and this write's audit id (for backups). */
  write(before: StoredObject, auditId: string): Promise<{ after: StoredObject; result: T }>;
}

export interface CommandOutcome<T = unknown> {
  result: T;
  before: StoredObject;
  after: StoredObject;
  audit_id?: string | undefined;
}

/** What the service gate shares with its command path. */
export interface CommandGateDeps {
  config: Pick<Config, 'policy'> & Partial<Pick<Config, 'toolsets'>>;
  confirmations: Confirmations;
  record(line: AuditRecord | AuditUpdate): boolean;
  now: () => number;
}

/** Errors raised before the write was made: refused, not failed. */
const REFUSALS = new Set([
  'read_only', 'policy_denied', 'confirmation_required', 'confirmation_invalid', 'validation_error', 'invalid_input',
  'not_found', 'conflict', 'entity_not_found', 'service_not_found',
]);

function toolsetOff(toolset: Toolset): AppError {
  return new AppError(
    'policy_denied',
    `The ${toolset} toolset is off in the add-on options, so its writes are refused.`,
    `Add "${toolset}" to toolsets in the add-on options to allow it.`,
    { details: { rule: 'toolsets', option: 'toolsets' } },
  );
}

export function createCommandPath(deps: CommandGateDeps): <T>(req: CommandRequest<T>) => Promise<CommandOutcome<T>> {
  const { confirmations, record, now } = deps;
  const policy = deps.config.policy;
  const toolsets = deps.config.toolsets ?? DEFAULT_TOOLSETS;

  return async function executeCommand<T>(req: CommandRequest<T>): Promise<CommandOutcome<T>> {
    const started = now();
    const change: ObjectChange = { kind: req.kind, id: req.id, before: null };
    if (req.entityId) change.entity_id = req.entityId;
    const base: AuditRecord = {
      v: 1,
      id: newAuditId(started),
      ts: new Date(started).toISOString(),
      caller: callerLabel(req.caller),
      session: req.sessionId ?? null,
      tool: req.tool,
      service: req.service,
      target: null,
      entities: req.entityId ? [req.entityId] : [],
      data: req.data ? (redactDeep(req.data) as Record<string, unknown>) : redactData(undefined),
      outcome: 'pending',
      change,
    };
    if (req.undoOf?.length) base.undo_of = req.undoOf;
    let sent = false;
    let waited = 0;
    const took = () => now() - started - waited;
    try {
      if (policy.readOnly) throw readOnlyDenial();
      const toolset = req.toolset ?? 'config';
      if (!toolsets.includes(toolset)) throw toolsetOff(toolset);
      const decision = decideCommand(req.service, policy, req.confirmReason);
      if (decision.kind === 'deny') throw decision.error;
      await req.check?.();
      if (decision.kind === 'confirm') {
        const { reason, option } = decision;
        const question = req.question ?? `Allow the AI to ${req.service.slice(req.service.indexOf('.') + 1).replace(/_/g, ' ')} ${req.id}? (${reason})`;
        const subject = { name: req.service, hash: subjectHash({ service: req.service, kind: req.kind, id: req.id, data: req.data ?? null }), question };
        const asked = now();
        try {
          const how = await confirmations.confirm({ subject, caller: base.caller, reason, option, token: req.confirmToken, elicit: req.elicit });
          base.confirmed_by = how === 'token' && req.confirmedByUser ? 'elicitation' : how;
        } finally {
          waited = now() - asked;
        }
      }
      const before = await req.read();
      change.before = before === null ? null : (redactDeep(before) as Record<string, unknown>);
      record(base);
      sent = true;
      const { after, result } = await req.write(before, base.id);
      const ok = record({ id: base.id, outcome: 'success', duration_ms: took(), change: { ...change, after: after === null ? null : (redactDeep(after) as Record<string, unknown>) } });
      return { result, before, after, ...(ok ? { audit_id: base.id } : {}) };
    } catch (err) {
      recordFailure(record, base, err, { sent, durationMs: took(), refusals: REFUSALS });
      throw err;
    }
  };
}
