// Writes a crash left pending (the pending line reached the log, the outcome line did not): on
// the next start they are marked 'unknown' with the states Home Assistant has now, and ha_undo
// without an id skips them and says so, instead of taking one for the last action.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { AUDIT_FILE, createAuditLog } from '../../src/audit/log.js';
import { withPendingRecovery, type RecoveringAuditLog } from '../../src/audit/recover.js';
import type { AuditRecord } from '../../src/audit/record.js';
import { selectActions, skippedNote } from '../../src/audit/undo.js';
import type { HaState } from '../../src/ha/schemas.js';
import type { HomeCache } from '../../src/ha/types.js';
import { startStack } from '../helpers/stack.js';

const quiet = { warn: () => undefined, error: () => undefined };

function rec(id: string, ts: string, entity: string, state: string, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    v: 1, id, ts, caller: 'api_key:test', session: null, tool: 'ha_call_service', service: `${entity.split('.')[0]}.turn_on`,
    target: { entity_id: [entity] }, entities: [entity], data: null, outcome: 'pending',
    before: { [entity]: { state, attributes: {} } }, ...extra,
  };
}

/** The log as kill -9 leaves it: A done, B's pending line only. */
function crashedLog(dir: string, entityB = 'switch.decorative_lights', beforeB = 'off'): { a: AuditRecord; b: AuditRecord } {
  const log = createAuditLog({ dir, maxBytes: 1 << 20, fsync: false });
  const a = rec('a0000000001', '2026-01-01T10:00:00.000Z', 'light.bed_light', 'off');
  log.append(a);
  log.append({ id: a.id, outcome: 'success', duration_ms: 12, after: { 'light.bed_light': { state: 'on', attributes: {} } } });
  const b = rec('b0000000002', '2026-01-01T10:01:00.000Z', entityB, beforeB, { service: `${entityB.split('.')[0]}.turn_on` });
  log.append(b);
  return { a, b };
}

function cacheOf(states: HaState[], ready: boolean): HomeCache & { ready: boolean } {
  const map = new Map(states.map((s) => [s.entity_id, s]));
  return Object.assign(new EventEmitter(), { ready, getState: (id: string) => map.get(id) }) as unknown as HomeCache & { ready: boolean };
}

const state = (entity_id: string, s: string): HaState =>
  ({ entity_id, state: s, attributes: {}, last_changed: '', last_updated: '', context: { id: 'c', parent_id: null, user_id: null } }) as HaState;

t.test('recovery: waits for Home Assistant, appends an unknown outcome with the state now, leaves its own writes alone', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-pending-'));
  const { b } = crashedLog(dir);
  const cache = cacheOf([state('switch.decorative_lights', 'on')], false);
  const log = withPendingRecovery(createAuditLog({ dir, maxBytes: 1 << 20, fsync: false }), { ha: { cache }, logger: quiet, now: () => Date.parse('2026-01-02T08:00:00Z') });
  // A call of this process in flight while the scan runs: its own, not a crash's.
  log.append(rec('c0000000003', '2026-01-02T08:00:00.000Z', 'light.bed_light', 'on'));
  let settled = false;
  void log.recovered.then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 50));
  t.notOk(settled, 'nothing is decided before Home Assistant\'s states are loaded');
  cache.ready = true;
  cache.emit('resync');
  t.same(await log.recovered, [b.id]);
  const byId = new Map((await log.readAll()).map((r) => [r.id, r]));
  t.equal(byId.get('a0000000001')?.outcome, 'success');
  t.match(byId.get(b.id), { outcome: 'unknown', checked_at: '2026-01-02T08:00:00.000Z', error: { code: 'interrupted', message: /stopped .* before Home Assistant answered/ } });
  t.same(byId.get(b.id)?.after, { 'switch.decorative_lights': { state: 'on', attributes: {} } }, 'the state Home Assistant has now');
  t.same(byId.get(b.id)?.before, b.before, 'the before-state is kept');
  t.equal(byId.get('c0000000003')?.outcome, 'pending', 'its own pending write is not touched');
  const lines = readFileSync(join(dir, AUDIT_FILE), 'utf8').trim().split('\n');
  t.equal(lines.length, 5, 'append-only: one line added');
  t.match(JSON.parse(lines.at(-1) as string), { id: b.id, outcome: 'unknown' });

  const again = withPendingRecovery(createAuditLog({ dir, maxBytes: 1 << 20, fsync: false }), { ha: { cache }, logger: quiet });
  t.same(await again.recovered, ['c0000000003'], 'the next start resolves only what is still pending');
});

t.test('undo without an id takes done actions only and names what it skipped', async (t) => {
  const a = { ...rec('a1', '2026-01-01T10:00:00.000Z', 'light.bed_light', 'off'), outcome: 'success' as const };
  const b = { ...rec('b2', '2026-01-01T10:01:00.000Z', 'switch.ac', 'off'), outcome: 'unknown' as const };
  const c = { ...rec('c3', '2026-01-01T10:02:00.000Z', 'switch.ac', 'on'), outcome: 'pending' as const };
  const old = { ...rec('z0', '2026-01-01T09:00:00.000Z', 'switch.ac', 'on'), outcome: 'unknown' as const };
  const { picked, skipped } = selectActions([old, a, b, c], {}, 'api_key:test');
  t.same(picked.map((r) => r.id), ['a1'], 'the last done action, not the newer unknown or pending ones');
  t.same(skipped.map((s) => [s.id, s.outcome]), [['c3', 'pending'], ['b2', 'unknown']], 'newer than what was undone, newest first; older ones are not mentioned');
  const note = skippedNote(skipped) ?? '';
  t.match(note, /^Skipped 1 action whose outcome is unknown \(the add-on stopped before Home Assistant answered\): b2 \(switch\.turn_on on switch\.ac at 2026-01-01T10:01:00\.000Z\)/);
  t.match(note, /skipped 1 action still pending/);
  t.match(note, /ha_undo with its id restores its before-state anyway/);
  t.same(selectActions([b], { id: 'b2' }, 'api_key:test').picked.map((r) => r.id), ['b2'], 'by id it can still be undone');
  t.throws(() => selectActions([old, b], {}, 'api_key:test'), { code: 'not_found', message: /Nothing to undo.*skipped 2 actions whose outcome is unknown/ });
});

t.test('through MCP: after a crash, the next server marks the write unknown and ha_undo skips it', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcp-ha-pending-stack-'));
  // B would have turned the switch off; the simulator's switch is off, as if it had.
  const { a, b } = crashedLog(join(dataDir, 'audit'), 'switch.decorative_lights', 'on');
  const stack = await startStack({ env: { MCP_DATA_DIR: dataDir } });
  t.teardown(() => stack.close());
  t.same(await (stack.deps.audit as RecoveringAuditLog).recovered, [b.id]);
  const now = stack.deps.ha.cache.getState('switch.decorative_lights');
  t.equal(now?.state, 'off', 'the state now differs from the recorded before-state');

  const one = await stack.call('ha_audit_log', { id: b.id });
  const [record] = one.json.records as AuditRecord[];
  t.match(record, { id: b.id, outcome: 'unknown', error: { code: 'interrupted' } });
  t.equal(record?.after?.['switch.decorative_lights']?.state, now?.state, 'with the state Home Assistant reports now');
  const all = await stack.call('ha_audit_log', {});
  t.match(all.json.stats, { by_outcome: { pending: 0, unknown: 1, success: 1 } });
  const filtered = await stack.call('ha_audit_log', { outcome: 'unknown' });
  t.same((filtered.json.records as AuditRecord[]).map((r) => r.id), [b.id], 'filterable by outcome unknown');

  const undone = await stack.call('ha_undo', {});
  t.notOk(undone.result.isError, JSON.stringify(undone.json));
  t.same((undone.json.actions as { id: string }[]).map((x) => x.id), [a.id], 'undoes the last done action');
  t.match(undone.json.note, new RegExp(`Skipped 1 action whose outcome is unknown .*${b.id} \\(switch\\.turn_on on switch\\.decorative_lights`));
  const nothing = await stack.call('ha_undo', {});
  t.equal(nothing.json.error, 'not_found');
  t.match(nothing.json.message, new RegExp(`skipped 1 action whose outcome is unknown.*${b.id}`));
  t.match(nothing.json.suggestion, /ha_undo with its id/);
  const byId = await stack.call('ha_undo', { id: b.id });
  t.notOk(byId.result.isError, JSON.stringify(byId.json));
  t.match(byId.json.actions, [{ id: b.id, entities: [{ entity_id: 'switch.decorative_lights', status: 'restored', services: ['switch.turn_on'] }] }], 'by id it restores what differs from now');
  t.equal(stack.deps.ha.cache.getState('switch.decorative_lights')?.state, 'on', 'back to the recorded before-state');
});
