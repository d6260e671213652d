// Reading the audit log: filters by time, entity, caller, outcome, tool and service, with counts,
// success rate and median duration over everything that matched (not only the page shown).
import type { AuditRecord, Outcome } from './record.js';

export interface AuditFilter {
  since?: number | undefined;
  until?: number | undefined;
  entityId?: string | undefined;
  caller?: string | undefined;
  outcome?: Outcome | undefined;
  tool?: string | undefined;
  service?: string | undefined;
}

export interface AuditStats {
  count: number;
  by_outcome: Record<Outcome, number>;
  /** success / (success + failed + refused); null when nothing finished. 'unknown' (cut off by a
   * crash) and 'pending' are left out: nobody knows how they ended. */
  success_rate: number | null;
  /** Median duration of successful writes, request to Home Assistant's answer. */
  median_duration_ms: number | null;
}

export function matches(r: AuditRecord, f: AuditFilter): boolean {
  const t = Date.parse(r.ts);
  return (
    (f.since === undefined || t >= f.since) &&
    (f.until === undefined || t <= f.until) &&
    (f.entityId === undefined || r.entities.includes(f.entityId)) &&
    (f.caller === undefined || r.caller === f.caller) &&
    (f.outcome === undefined || r.outcome === f.outcome) &&
    (f.tool === undefined || r.tool === f.tool) &&
    (f.service === undefined || r.service === f.service)
  );
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function stats(records: readonly AuditRecord[]): AuditStats {
  const by_outcome: Record<Outcome, number> = { success: 0, refused: 0, failed: 0, pending: 0, unknown: 0 };
  const durations: number[] = [];
  for (const r of records) {
    by_outcome[r.outcome]++;
    if (r.outcome === 'success' && typeof r.duration_ms === 'number') durations.push(r.duration_ms);
  }
  const finished = by_outcome.success + by_outcome.refused + by_outcome.failed;
  return {
    count: records.length,
    by_outcome,
    success_rate: finished ? Math.round((by_outcome.success / finished) * 1000) / 1000 : null,
    median_duration_ms: median(durations),
  };
}
