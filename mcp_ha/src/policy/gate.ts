// The one path every write takes to Home Assistant, in this order: read_only, the service
// exists, its targets resolve, policy (blocked, allowed, needs confirmation), validation,
// confirmation, audit (intent + before-state), the call, audit (outcome + after-state).
// Writes that are not service calls (config edits) take executeCommand (commands.ts).
import type { AuditLog } from '../audit/log.js';
import { capture, watchChanges } from '../audit/capture.js';
import { newAuditId, redactData, snapshot, type AuditRecord, type AuditUpdate, type EntitySnapshot } from '../audit/record.js';
import type { Config } from '../config/schema.js';
import type { HaClient, ServiceCall, ServiceCallResult } from '../ha/types.js';
import { callerLabel, credentialsOf, type Caller } from '../auth/caller.js';
import { liveCache } from '../home/liveCache.js';
import { serviceNotFound } from '../home/serviceNotFound.js';
import { createCommandPath, type CommandOutcome, type CommandRequest } from './commands.js';
import { createConfirmations, type Elicit } from './confirm.js';
import { recordFailure } from './failure.js';
import { decide, readOnlyDenial } from './policy.js';
import { resolveTargets } from './targets.js';
import { validateCall } from './validate.js';

export interface WriteRequest {
  call: ServiceCall;
  caller: Caller;
  sessionId: string | undefined;
  tool: string;
  /** Token from an earlier answer that asked for confirmation. */
  confirmToken?: string | undefined;
  /** MCP elicitation, when the client supports it: confirmation asks the human directly. */
  elicit?: Elicit | undefined;
  /** The human confirmed confirmToken in the client (an input_required round), not the model. */
  confirmedByUser?: boolean | undefined;
  /** Ids of the audit records this call undoes (ha_undo). */
  undoOf?: string[] | undefined;
}

export interface WriteOutcome extends ServiceCallResult {
  audit_id?: string | undefined;
}

export interface ServiceGate {
  execute(req: WriteRequest): Promise<WriteOutcome>;
  /** A write that is not a service call (a config edit), by its pseudo-service name. */
  executeCommand<T>(req: CommandRequest<T>): Promise<CommandOutcome<T>>;
}

export type { CommandOutcome, CommandRequest, StoredObject } from './commands.js';

/** Errors raised before Home Assistant was asked: the call was refused, not failed. */
const REFUSALS = new Set(['read_only', 'policy_denied', 'confirmation_required', 'confirmation_invalid', 'validation_error', 'service_not_found', 'entity_not_found', 'invalid_input']);

export interface GateDeps {
  /** toolsets: which toolsets' commands may write (default DEFAULT_TOOLSETS). */
  config: Pick<Config, 'policy'> & Partial<Pick<Config, 'toolsets'>>;
  ha: HaClient;
  audit: AuditLog;
  logger: { error(obj: object, msg: string): void };
  now?: () => number;
}

export function createServiceGate(deps: GateDeps): ServiceGate {
  const { ha, audit, logger } = deps;
  const policy = deps.config.policy;
  const now = deps.now ?? (() => Date.now());
  const confirmations = createConfirmations(policy.confirmationTimeoutMs, now);

  /** The audit log must never turn a done write into an error; a failing disk is logged loudly. */
  function record(line: Parameters<AuditLog['append']>[0]): boolean {
    try {
      audit.append(line);
      return true;
    } catch (err) {
      logger.error({ err, audit_id: line.id }, 'audit log write failed');
      return false;
    }
  }

  const executeCommand = createCommandPath({ config: deps.config, confirmations, record, now });

  return {
    executeCommand,
    async execute(req) {
      const started = now();
      const { call } = req;
      const base: AuditRecord = {
        v: 1,
        id: newAuditId(started),
        ts: new Date(started).toISOString(),
        caller: callerLabel(req.caller),
        session: req.sessionId ?? null,
        tool: req.tool,
        service: `${call.domain}.${call.service}`,
        target: call.target ? ({ ...call.target } as Record<string, string[]>) : null,
        entities: call.target?.entity_id ?? [],
        data: redactData(call.service_data),
        outcome: 'pending',
      };
      if (req.undoOf?.length) base.undo_of = req.undoOf;
      let sent = false;
      // Durations leave out the time a human took to confirm: they measure the service, not people.
      let waited = 0;
      const took = () => now() - started - waited;
      try {
        if (policy.readOnly) throw readOnlyDenial();
        const { cache } = liveCache({ ha });
        const desc = cache.services[call.domain]?.[call.service];
        if (!desc) throw serviceNotFound(cache.services, call.domain, call.service);
        const entities = resolveTargets(call, desc, cache);
        base.entities = entities.map((e) => e.entity_id);
        const decision = decide(call, entities, policy);
        if (decision.kind === 'deny') throw decision.error;
        validateCall(call, desc, entities, cache.services);
        if (decision.kind === 'confirm') {
          const { reason, option } = decision;
          const asked = now();
          try {
            const how = await confirmations.confirm({ call, caller: base.caller, reason, option, token: req.confirmToken, elicit: req.elicit });
            base.confirmed_by = how === 'token' && req.confirmedByUser ? 'elicitation' : how;
          } finally {
            waited = now() - asked;
          }
        }
        // Read again: a human may have taken a while to confirm.
        base.before = Object.fromEntries(entities.map((e) => [e.entity_id, snapshot(cache.getState(e.entity_id) ?? e) as EntitySnapshot]));
        record(base);
        sent = true;
        const watch = watchChanges(ha.cache);
        let result: ServiceCallResult;
        try {
          result = await ha.callService(call, credentialsOf(req.caller));
        } finally {
          watch.stop();
        }
        const { after, others } = capture(base.entities, result, watch, ha.cache);
        const update: AuditUpdate = { id: base.id, outcome: 'success', duration_ms: took(), after };
        if (Object.keys(others).length) {
          update.entities = [...base.entities, ...Object.keys(others)];
          update.before = { ...base.before, ...others };
        }
        const ok = record(update);
        return ok ? { ...result, audit_id: base.id } : result;
      } catch (err) {
        recordFailure(record, base, err, { sent, durationMs: took(), refusals: REFUSALS });
        throw err;
      }
    },
  };
}
