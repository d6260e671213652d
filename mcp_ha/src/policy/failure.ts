// The audit line of a write that did not succeed, the same for service calls and commands: refused
// when the gate stopped it before anything was sent, failed otherwise; the error names the rule.
import type { AuditRecord, AuditUpdate } from '../audit/record.js';
import { AppError, toAppError } from '../errors.js';

export function recordFailure(
  record: (line: AuditRecord | AuditUpdate) => boolean,
  base: AuditRecord,
  err: unknown,
  opts: { sent: boolean; durationMs: number; refusals: ReadonlySet<string> },
): void {
  const e = toAppError(err);
  const details = e.details ?? {};
  const error: NonNullable<AuditRecord['error']> = { code: e.code, message: e.message };
  if (typeof details.rule === 'string') error.rule = details.rule;
  if (typeof details.option === 'string') error.option = details.option;
  const outcome = !opts.sent && opts.refusals.has(e.code) ? 'refused' : 'failed';
  if (opts.sent) record({ id: base.id, outcome, error, duration_ms: opts.durationMs });
  else record({ ...base, outcome, error, duration_ms: opts.durationMs });
  if (err instanceof AppError && err.details) err.details.audit_id = base.id;
}
