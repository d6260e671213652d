// Writes a crash left 'pending': the pending line reached the log but the outcome line did not
// (kill -9, power loss or OOM between the call and Home Assistant's answer), so nobody knows
// whether Home Assistant carried the call out.
//
// Decision: on start, once Home Assistant's states have loaded, each such record gets an outcome
// line 'unknown' (appended, the log stays append-only) with the states its entities have now as
// `after` and the time they were read as `checked_at`. ha_audit_log then tells the truth,
// ha_undo without an id never takes such a write for a done action (it says it skipped it), and
// ha_undo with its id restores only what differs between the before-state and the state now.
//
// Only records pending before this process wrote anything are resolved: the scan starts when the
// log is created, and the ids of pending lines this process appends while it runs are left alone
// (they are its own calls in flight).
import type { HaClient } from '../ha/types.js';
import type { AuditLog } from './log.js';
import { snapshot, type AuditUpdate, type EntitySnapshot } from './record.js';

export interface RecoveryDeps {
  ha: Pick<HaClient, 'cache'>;
  logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => number;
}

export interface RecoveringAuditLog extends AuditLog {
  /** Resolves with the ids marked 'unknown' once that is done (at once when there were none). */
  readonly recovered: Promise<string[]>;
}

export const INTERRUPTED_MESSAGE =
  'The add-on stopped (crash, kill or power loss) before Home Assistant answered this call; whether it took effect is unknown. ' +
  '`after` holds the states read when the add-on started again.';

/** Wraps the log: scans it for records a crash left pending, and marks them unknown once Home Assistant is ready. */
export function withPendingRecovery(log: AuditLog, deps: RecoveryDeps): RecoveringAuditLog {
  const now = deps.now ?? (() => Date.now());
  let own: Set<string> | undefined = new Set();
  const append: AuditLog['append'] = (line) => {
    if (own && line.outcome === 'pending') own.add(line.id);
    log.append(line);
  };

  const recovered = log.readAll().then(
    async (records) => {
      const mine = own ?? new Set<string>();
      own = undefined;
      const stale = records.filter((r) => r.outcome === 'pending' && !mine.has(r.id));
      if (!stale.length) return [];
      const { cache } = deps.ha;
      if (!cache.ready) await new Promise((resolve) => cache.once('resync', resolve));
      const checkedAt = new Date(now()).toISOString();
      const done: string[] = [];
      for (const r of stale) {
        const after: Record<string, EntitySnapshot> = {};
        for (const id of r.entities) {
          const snap = snapshot(cache.getState(id));
          if (snap) after[id] = snap;
        }
        const update: AuditUpdate = { id: r.id, outcome: 'unknown', after, checked_at: checkedAt, error: { code: 'interrupted', message: INTERRUPTED_MESSAGE } };
        try {
          log.append(update);
          done.push(r.id);
        } catch (err) {
          deps.logger.error({ err, audit_id: r.id }, 'audit log write failed');
        }
      }
      deps.logger.warn({ audit_ids: done }, `audit: ${done.length} write(s) cut off by an earlier stop marked outcome unknown`);
      return done;
    },
    (err: unknown) => {
      own = undefined;
      deps.logger.error({ err }, 'audit: could not read the log to resolve writes left pending');
      return [];
    },
  );
  return { dir: log.dir, append, readAll: (opts) => log.readAll(opts), recovered };
}
