// Undo over a fake Home Assistant: selection (own actions, last N, by id, not twice) and
// restores that go through the gate and are recorded with undo_of.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createAuditLog } from '../../src/audit/log.js';
import { undoActions } from '../../src/audit/undo.js';
import { AppError } from '../../src/errors.js';
import { DEFAULT_ALLOWED_SERVICES } from '../../src/policy/defaults.js';
import { createServiceGate } from '../../src/policy/gate.js';
import { fakeHa } from '../policy/home.js';

const me = { kind: 'api_key', name: 'me' } as const;
const other = { kind: 'api_key', name: 'other' } as const;

function setup() {
  const ha = fakeHa();
  const audit = createAuditLog({ dir: mkdtempSync(join(tmpdir(), 'mcp-ha-undo-')), maxBytes: 1 << 20, fsync: false });
  const gate = createServiceGate({
    config: { policy: { readOnly: false, allowedServices: [...DEFAULT_ALLOWED_SERVICES], blockedServices: [], confirmServices: [], confirmationTimeoutMs: 60_000 } },
    ha, audit, logger: { error: () => undefined },
  });
  const write = (caller: typeof me | typeof other, entity: string, service: string, data?: Record<string, unknown>) =>
    gate.execute({ call: { domain: entity.split('.')[0]!, service, target: { entity_id: [entity] }, service_data: data }, caller, sessionId: undefined, tool: 'ha_call_service' });
  return { ha, audit, gate, write, deps: { ha, audit, gate } };
}

t.test('undo the last action restores brightness and colour, and is recorded', async (t) => {
  const { ha, audit, write, deps } = setup();
  await write(me, 'light.bed_light', 'turn_on', { brightness: 10, hs_color: [120, 30] });
  const [res] = await undoActions(deps, { caller: me, sessionId: undefined });
  t.match(res?.entities, [{ entity_id: 'light.bed_light', status: 'restored', services: ['light.turn_on'] }]);
  t.same(ha.calls.at(-1)?.service_data, { brightness: 200, hs_color: [0, 100] });
  const recs = await audit.readAll();
  t.same(recs.at(-1)?.undo_of, [recs[0]?.id]);
  t.equal(recs.at(-1)?.tool, 'ha_undo');
  const again = await undoActions(deps, { caller: me, sessionId: undefined }).catch((e: AppError) => e);
  t.match(again, { code: 'not_found' }, 'nothing left to undo');
  const twice = await undoActions(deps, { id: recs[0]!.id, caller: me, sessionId: undefined }).catch((e: AppError) => e);
  t.match(twice, { code: 'invalid_input', message: /already undone/ });
});

t.test('last N takes only the caller\'s own actions, newest first, unless all_callers', async (t) => {
  const { write, deps, audit } = setup();
  await write(me, 'switch.ac', 'turn_on');
  await write(other, 'switch.decorative_lights', 'turn_on');
  await write(me, 'light.ceiling_lights', 'turn_on');
  const mine = await undoActions(deps, { last: 5, caller: me, sessionId: undefined });
  t.same(mine.map((a) => a.entities[0]?.entity_id), ['light.ceiling_lights', 'switch.ac']);
  const all = await undoActions(deps, { last: 5, allCallers: true, caller: me, sessionId: undefined });
  t.same(all.map((a) => a.entities[0]?.entity_id), ['switch.decorative_lights']);
  t.equal((await audit.readAll()).filter((r) => r.tool === 'ha_undo').length, 3);
});

t.test('what the policy refuses is reported, not hidden', async (t) => {
  const { ha, audit, deps } = setup();
  const permissive = createServiceGate({
    config: { policy: { readOnly: false, allowedServices: ['climate.*'], blockedServices: [], confirmServices: [], confirmationTimeoutMs: 60_000 } },
    ha, audit, logger: { error: () => undefined },
  });
  await permissive.execute({
    call: { domain: 'climate', service: 'set_fan_mode', target: { entity_id: ['climate.hvac'] }, service_data: { fan_mode: 'auto_low' } },
    caller: me, sessionId: undefined, tool: 'ha_call_service',
  });
  const [res] = await undoActions(deps, { caller: me, sessionId: undefined });
  t.match(res?.entities[0], { status: 'not_restored', services: ['climate.set_fan_mode'], problems: [/not in allowed_services/] });
});
