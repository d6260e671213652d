// Audit queries: filters and statistics.
import t from 'tap';
import { matches, median, stats } from '../../src/audit/query.js';
import type { AuditRecord } from '../../src/audit/record.js';

const rec = (id: string, o: Partial<AuditRecord>): AuditRecord => ({
  v: 1, id, ts: '2026-01-01T10:00:00.000Z', caller: 'api_key:a', session: null, tool: 'ha_call_service',
  service: 'light.turn_on', target: null, entities: ['light.x'], data: null, outcome: 'success', ...o,
});

t.test('filters', async (t) => {
  const r = rec('a', { ts: '2026-01-01T10:00:00.000Z' });
  t.ok(matches(r, {}));
  t.ok(matches(r, { since: Date.parse('2026-01-01T09:00:00Z'), until: Date.parse('2026-01-01T11:00:00Z') }));
  t.notOk(matches(r, { since: Date.parse('2026-01-01T10:00:01Z') }));
  t.ok(matches(r, { entityId: 'light.x', caller: 'api_key:a', outcome: 'success', service: 'light.turn_on', tool: 'ha_call_service' }));
  t.notOk(matches(r, { entityId: 'light.y' }));
  t.notOk(matches(r, { caller: 'api_key:b' }));
});

t.test('stats: counts, success rate over finished writes, median duration of successes', async (t) => {
  const s = stats([
    rec('a', { duration_ms: 10 }), rec('b', { duration_ms: 30 }), rec('c', { duration_ms: 20 }),
    rec('d', { outcome: 'refused', duration_ms: 1 }), rec('e', { outcome: 'pending' }), rec('f', { outcome: 'unknown' }),
  ]);
  t.same(s, { count: 6, by_outcome: { success: 3, refused: 1, failed: 0, pending: 1, unknown: 1 }, success_rate: 0.75, median_duration_ms: 20 });
  t.equal(median([1, 2, 3, 4]), 2.5);
  t.same(stats([]), { count: 0, by_outcome: { success: 0, refused: 0, failed: 0, pending: 0, unknown: 0 }, success_rate: null, median_duration_ms: null });
});
