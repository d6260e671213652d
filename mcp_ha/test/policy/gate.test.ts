// The gate in process, over a fake Home Assistant: decision order, and an audit record for
// every outcome (allowed, refused, failed) with before- and after-states, side effects included.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createAuditLog } from '../../src/audit/log.js';
import { AppError } from '../../src/errors.js';
import { DEFAULT_ALLOWED_SERVICES } from '../../src/policy/defaults.js';
import { createServiceGate } from '../../src/policy/gate.js';
import { undoActions } from '../../src/audit/undo.js';
import { fakeHa, type fakeCache } from './home.js';

const caller = { kind: 'api_key', name: 'test' } as const;

function setup(policy: Partial<{ readOnly: boolean; allowedServices: string[]; blockedServices: string[]; confirmServices: string[] }> = {}, fail?: Parameters<typeof fakeHa>[1]) {
  const ha = fakeHa(undefined, fail);
  const audit = createAuditLog({ dir: mkdtempSync(join(tmpdir(), 'mcp-ha-gate-')), maxBytes: 1 << 20, fsync: false });
  const gate = createServiceGate({
    config: { policy: { readOnly: false, allowedServices: [...DEFAULT_ALLOWED_SERVICES], blockedServices: [], confirmServices: [], confirmationTimeoutMs: 60_000, ...policy } },
    ha, audit, logger: { error: () => undefined },
  });
  const run = (domain: string, service: string, entity?: string, data?: Record<string, unknown>, extra = {}) =>
    gate.execute({ call: { domain, service, target: entity ? { entity_id: [entity] } : undefined, service_data: data }, caller, sessionId: 's1', tool: 'ha_call_service', ...extra });
  return { ha, audit, run };
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected an error');
}

t.test('allowed: sent, recorded with before and after', async (t) => {
  const { ha, audit, run } = setup();
  const out = await run('light', 'turn_on', 'light.bed_light', { brightness: 10 });
  t.equal(ha.calls.length, 1);
  const [r] = await audit.readAll();
  t.equal(out.audit_id, r?.id);
  t.match(r, { outcome: 'success', caller: 'api_key:test', session: 's1', service: 'light.turn_on', entities: ['light.bed_light'], data: { brightness: 10 } });
  t.equal(r?.before?.['light.bed_light']?.attributes.brightness, 200);
  t.equal(r?.after?.['light.bed_light']?.attributes.brightness, 10);
  t.type(r?.duration_ms, 'number');
});

t.test('read_only comes first, even for unknown services', async (t) => {
  const { ha, audit, run } = setup({ readOnly: true });
  t.equal((await errorOf(run('light', 'explode', 'light.bed_light'))).code, 'read_only');
  t.equal(ha.calls.length, 0);
  t.match((await audit.readAll())[0], { outcome: 'refused', error: { code: 'read_only', rule: 'read_only', option: 'read_only' } });
});

t.test('unknown service, then blocked, then not allowed, then validation', async (t) => {
  const { ha, audit, run } = setup({ blockedServices: ['switch.*'] });
  t.equal((await errorOf(run('light', 'explode', 'light.bed_light'))).code, 'service_not_found');
  t.match((await errorOf(run('switch', 'turn_on', 'switch.ac'))).details, { rule: 'blocked_services' });
  t.match((await errorOf(run('lock', 'unlock', 'lock.front_door'))).details, { rule: 'allowed_services' });
  t.match((await errorOf(run('light', 'turn_on', 'light.bed_light', { brightness: 999 }))).details, { rule: 'service_data' });
  t.equal(ha.calls.length, 0);
  t.same((await audit.readAll()).map((r) => r.outcome), ['refused', 'refused', 'refused', 'refused']);
});

t.test('secrets in service data never reach the log', async (t) => {
  const { audit, run } = setup({ allowedServices: ['lock.*'] });
  const err = await errorOf(run('lock', 'unlock', 'lock.front_door', { code: '1234' }));
  t.equal(err.code, 'confirmation_required');
  await run('lock', 'unlock', 'lock.front_door', { code: '1234' }, { confirmToken: err.details?.confirm_token });
  const recs = await audit.readAll();
  t.same(recs.map((r) => r.outcome), ['refused', 'success']);
  t.equal(recs[1]?.confirmed_by, 'token');
  t.notMatch(JSON.stringify(recs), /1234/);
});

t.test('a failure in Home Assistant is recorded as failed', async (t) => {
  const { audit, run } = setup({}, () => new AppError('ha_error', 'boom', 'retry'));
  t.equal((await errorOf(run('light', 'turn_off', 'light.bed_light'))).code, 'ha_error');
  t.match((await audit.readAll())[0], { outcome: 'failed', error: { code: 'ha_error' }, before: { 'light.bed_light': { state: 'on' } } });
});

t.test('entities a call changes besides its targets (a scene\'s lights) are recorded and undoable', async (t) => {
  const { ha, audit, run } = setup();
  const cache = ha.cache as ReturnType<typeof fakeCache>;
  cache.set({ entity_id: 'scene.movie', state: 'unknown', attributes: {}, last_changed: '', last_updated: '', context: { id: 'c0', parent_id: null, user_id: null } });
  const callService = ha.callService.bind(ha);
  ha.callService = async (call) => {
    if (call.domain !== 'scene') return callService(call);
    const prev = cache.getState('switch.ac')!;
    const next = { ...prev, state: 'on', context: { id: 'scene-ctx', parent_id: null, user_id: null } };
    cache.set(next);
    cache.emit('state', 'switch.ac', next, prev);
    return { changed_states: [next] };
  };
  await run('scene', 'turn_on', 'scene.movie');
  const [r] = await audit.readAll();
  t.same(r?.entities, ['scene.movie', 'switch.ac']);
  t.equal(r?.before?.['switch.ac']?.state, 'off');
  t.equal(r?.after?.['switch.ac']?.state, 'on');
  const [res] = await undoActions({ ha, audit, gate: createServiceGate({ config: { policy: { readOnly: false, allowedServices: ['switch.*'], blockedServices: [], confirmServices: [], confirmationTimeoutMs: 1000 } }, ha, audit, logger: { error: () => undefined } }) }, { caller, sessionId: undefined });
  t.match(res?.entities, [
    { entity_id: 'scene.movie', status: 'unchanged', note: /no state of its own/ },
    { entity_id: 'switch.ac', status: 'restored', services: ['switch.turn_off'] },
  ]);
});
