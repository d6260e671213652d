// The audit log: append and read back, outcome lines merged, torn lines skipped, rotation by
// size, and no torn or lost record when the writer is killed with SIGKILL mid-write.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { AUDIT_FILE, createAuditLog } from '../../src/audit/log.js';
import type { AuditRecord } from '../../src/audit/record.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'mcp-ha-audit-'));
const rec = (id: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  v: 1, id, ts: new Date().toISOString(), caller: 'api_key:test', session: null, tool: 'ha_call_service',
  service: 'light.turn_on', target: null, entities: [], data: null, outcome: 'pending', ...extra,
});

t.test('append, merge the outcome line, read back in order', async (t) => {
  const dir = tmp();
  const log = createAuditLog({ dir, maxBytes: 1 << 20 });
  log.append(rec('a', { before: { 'light.x': { state: 'on', attributes: {} } } }));
  log.append(rec('b', { outcome: 'refused' }));
  log.append({ id: 'a', outcome: 'success', duration_ms: 7 });
  const all = await createAuditLog({ dir, maxBytes: 1 << 20 }).readAll();
  t.same(all.map((r) => [r.id, r.outcome]), [['a', 'success'], ['b', 'refused']]);
  t.equal(all[0]?.duration_ms, 7);
  t.ok(all[0]?.before);
});

t.test('a torn last line is skipped and the next record starts on a fresh line', async (t) => {
  const dir = tmp();
  createAuditLog({ dir, maxBytes: 1 << 20 }).append(rec('a'));
  appendFileSync(join(dir, AUDIT_FILE), '{"v":1,"id":"torn","outc');
  const log = createAuditLog({ dir, maxBytes: 1 << 20 });
  log.append(rec('b'));
  t.same((await log.readAll()).map((r) => r.id), ['a', 'b']);
});

t.test('rotation by size keeps N files and drops the oldest', async (t) => {
  const dir = tmp();
  const log = createAuditLog({ dir, maxBytes: 3 * 4096, maxFiles: 3, fsync: false });
  for (let i = 0; i < 200; i++) log.append(rec(`r${i}`, { data: { pad: 'x'.repeat(200) } }));
  const files = readdirSync(dir).sort();
  t.same(files, ['audit.1.jsonl', 'audit.2.jsonl', 'audit.jsonl']);
  for (const f of files) t.ok(readFileSync(join(dir, f)).length <= 4096, `${f} within its share`);
  const ids = (await log.readAll()).map((r) => Number(r.id.slice(1)));
  t.equal(ids.at(-1), 199, 'newest kept');
  t.ok(ids[0]! > 0, 'oldest dropped');
  t.same(ids, [...ids].sort((a, b) => a - b), 'in order');
});

t.test('kill -9 in the middle of writing leaves whole records only', async (t) => {
  const dir = tmp();
  const script = fileURLToPath(new URL('./appender.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir, String(1 << 20)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const raw = readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => ({ f, l })));
  let bad = 0;
  for (const { l } of raw) {
    try {
      JSON.parse(l);
    } catch {
      bad++;
    }
  }
  t.equal(bad, 0, 'every line parses');
  const ids = (await createAuditLog({ dir, maxBytes: 1 << 20 }).readAll()).map((r) => Number(r.id.slice(4))).sort((a, b) => a - b);
  t.ok(ids.length > 50, `${ids.length} records written before the kill`);
  t.same(ids, ids.map((_, i) => ids[0]! + i), 'no gap and no duplicate');
  t.comment(`${ids.length} records, rotated files: ${readdirSync(dir).length}`);
});

t.test('throughput', async (t) => {
  const dir = tmp();
  const n = 500;
  const sample = rec('x', { data: { brightness: 128 }, before: { 'light.x': { state: 'on', attributes: { brightness: 10, hs_color: [1, 2] } } } });
  for (const fsync of [true, false]) {
    const log = createAuditLog({ dir: join(dir, String(fsync)), maxBytes: 10 << 20, fsync });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) log.append({ ...sample, id: `x${i}` });
    const rate = Math.round(n / ((performance.now() - t0) / 1000));
    t.comment(`append ${fsync ? 'with' : 'without'} fdatasync: ${rate} records/s`);
    t.ok(rate > 50);
  }
});
