// The gate's path for writes that are not service calls (executeCommand), in process: the
// decision order, confirmation by subject hash, and audit records with the object's before/after.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createAuditLog } from '../../src/audit/log.js';
import type { Toolset } from '../../src/config/schema.js';
import { AppError } from '../../src/errors.js';
import { DEFAULT_ALLOWED_SERVICES } from '../../src/policy/defaults.js';
import { createServiceGate, type CommandRequest } from '../../src/policy/gate.js';
import { fakeHa } from '../policy/home.js';

const caller = { kind: 'api_key', name: 'test' } as const;

function setup(policy: Partial<{ readOnly: boolean; allowedServices: string[]; blockedServices: string[]; confirmServices: string[] }> = {}, toolsets: Toolset[] = ['read', 'write', 'config']) {
  const audit = createAuditLog({ dir: mkdtempSync(join(tmpdir(), 'mcp-ha-cmd-')), maxBytes: 1 << 20, fsync: false });
  const gate = createServiceGate({
    config: { policy: { readOnly: false, allowedServices: [...DEFAULT_ALLOWED_SERVICES], blockedServices: [], confirmServices: [], confirmationTimeoutMs: 60_000, ...policy }, toolsets },
    ha: fakeHa(), audit, logger: { error: () => undefined },
  });
  let stored: Record<string, unknown> | null = { alias: 'Old', password: 'hunter2' };
  const writes: unknown[] = [];
  const req = (service: string, extra: Partial<CommandRequest<string>> = {}): CommandRequest<string> => ({
    service, kind: 'automation', id: 'a1', entityId: 'automation.old', caller, sessionId: 's1', tool: 'ha_config',
    data: { action: service.endsWith('delete') ? 'delete' : 'update', id: 'a1' },
    read: async () => stored,
    write: async (before, auditId) => {
      writes.push({ before, auditId });
      stored = service.endsWith('delete') ? null : { alias: 'New' };
      return { after: stored, result: 'done' };
    },
    ...extra,
  });
  return { audit, gate, req, writes };
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected an error');
}

t.test('an allowed update is written and recorded with before and after (secrets redacted)', async (t) => {
  const { audit, gate, req, writes } = setup();
  const out = await gate.executeCommand(req('config.automation_update'));
  t.equal(out.result, 'done');
  t.same(out.before, { alias: 'Old', password: 'hunter2' }, 'the caller gets the real before-state');
  const [r] = await audit.readAll();
  t.equal(out.audit_id, r?.id);
  t.same(writes, [{ before: { alias: 'Old', password: 'hunter2' }, auditId: r?.id }]);
  t.match(r, { outcome: 'success', service: 'config.automation_update', tool: 'ha_config', entities: ['automation.old'], target: null });
  t.same(r?.change, { kind: 'automation', id: 'a1', entity_id: 'automation.old', before: { alias: 'Old', password: '<redacted>' }, after: { alias: 'New' } });
  t.type(r?.duration_ms, 'number');
});

t.test('read_only, then the toolset, then blocked, then not allowed: refused and recorded, nothing written', async (t) => {
  const cases: [ReturnType<typeof setup>, string, string][] = [
    [setup({ readOnly: true }), 'read_only', 'read_only'],
    [setup({}, ['read', 'write']), 'policy_denied', 'toolsets'],
    [setup({ blockedServices: ['config.automation_update'] }), 'policy_denied', 'blocked_services'],
    [setup({ allowedServices: ['light.*'] }), 'policy_denied', 'allowed_services'],
  ];
  for (const [s, code, rule] of cases) {
    const err = await errorOf(s.gate.executeCommand(s.req('config.automation_update')));
    t.equal(err.code, code);
    t.equal(err.details?.rule, rule);
    t.equal(s.writes.length, 0);
    t.match((await s.audit.readAll())[0], { outcome: 'refused', error: { code, rule }, change: { kind: 'automation', id: 'a1', before: null } });
  }
});

t.test('check() refuses before confirmation; its error is recorded', async (t) => {
  const { audit, gate, req, writes } = setup();
  const bad = new AppError('validation_error', 'bad trigger', 'fix it');
  const err = await errorOf(gate.executeCommand(req('config.automation_delete', { confirmReason: 'deleting', check: async () => Promise.reject(bad) })));
  t.equal(err.code, 'validation_error');
  t.equal(writes.length, 0);
  t.match((await audit.readAll())[0], { outcome: 'refused', error: { code: 'validation_error' } });
});

t.test('a delete asks for confirmation; the token confirms only the same command', async (t) => {
  const { audit, gate, req, writes } = setup();
  const del = req('config.automation_delete', { confirmReason: 'deleting an automation' });
  const first = await errorOf(gate.executeCommand(del));
  t.equal(first.code, 'confirmation_required');
  t.match(first.details, { rule: 'confirmation', reason: 'deleting an automation' });
  t.match(String(first.details?.question), /delete a1/);
  const token = String(first.details?.confirm_token);
  const other = await errorOf(gate.executeCommand({ ...del, id: 'a2', confirmToken: token }));
  t.match(other.details, { rule: 'confirmation_mismatch' });
  const again = await errorOf(gate.executeCommand(del));
  const out = await gate.executeCommand({ ...del, confirmToken: String(again.details?.confirm_token) });
  t.equal(out.after, null);
  t.equal(writes.length, 1);
  const done = (await audit.readAll()).find((r) => r.id === out.audit_id);
  t.match(done, { outcome: 'success', confirmed_by: 'token', change: { before: { alias: 'Old' }, after: null } });
});

t.test('confirm_services covers config commands; elicitation confirms', async (t) => {
  const { gate, req } = setup({ confirmServices: ['config.*'] });
  const err = await errorOf(gate.executeCommand(req('config.automation_update')));
  t.match(err.details, { rule: 'confirmation', option: 'confirm_services' });
  const asked: string[] = [];
  const out = await gate.executeCommand(req('config.automation_update', { elicit: async (m) => (asked.push(m), 'accept') }));
  t.equal(out.result, 'done');
  t.equal(asked.length, 1);
});

t.test('a failing write is recorded as failed after its pending line', async (t) => {
  const { audit, gate, req } = setup();
  const err = await errorOf(gate.executeCommand(req('config.automation_update', { write: async () => Promise.reject(new AppError('ha_error', 'boom', 'retry')) })));
  t.equal(err.code, 'ha_error');
  const [r] = await audit.readAll();
  t.match(r, { outcome: 'failed', error: { code: 'ha_error' }, change: { before: { alias: 'Old' } } });
  t.equal(err.details?.audit_id, undefined);
});
