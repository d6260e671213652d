// Helpers through MCP against the simulator: ha_config kind "helper" creates one (its entity
// appears), updates it with a diff, deletes it after confirmation; each write is undone with
// ha_undo (a deleted helper comes back with its id even after a rename); read-only refuses.
import t from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';

const CONFIG_ON = { toolsets: ['read', 'write', 'admin', 'config'] as ('read' | 'write' | 'admin' | 'config')[], confirmation_timeout_seconds: 30 };

const cfg = (stack: Stack, args: Record<string, unknown>) => stack.call('ha_config', args);

t.test('helper: create, update with diff, delete with confirmation; each undone', async (t) => {
  const stack = await startStack({ options: CONFIG_ON });
  t.teardown(() => stack.close());
  const sim = stack.sim;

  const created = await cfg(stack, { kind: 'helper', action: 'create', config: { type: 'input_number', name: 'Target temp', min: 10, max: 30, step: 0.5, unit_of_measurement: '°C' } });
  t.notOk(created.result.isError, JSON.stringify(created.json));
  t.match(created.json, { kind: 'helper', action: 'create', id: 'input_number.target_temp', entity_id: 'input_number.target_temp', state: '10.0' });
  t.type(created.json.audit_id, 'string');
  t.equal(sim.home.getState('input_number.target_temp')?.attributes.max, 30);

  const got = await cfg(stack, { kind: 'helper', action: 'get', id: 'input_number.target_temp' });
  t.same(got.json.config, { type: 'input_number', name: 'Target temp', min: 10, max: 30, step: 0.5, unit_of_measurement: '°C', mode: 'slider' });
  const updated = await cfg(stack, {
    kind: 'helper', action: 'update', id: 'input_number.target_temp', version: got.json.version,
    config: { ...(got.json.config as object), name: 'Target temperature', max: 25 },
  });
  t.notOk(updated.result.isError, JSON.stringify(updated.json));
  t.match((updated.json.diff as string[]).join('\n'), /name.*Target temp.*Target temperature/s);
  t.match((updated.json.diff as string[]).join('\n'), /max/);
  t.equal(sim.home.getState('input_number.target_temp')?.attributes.friendly_name, 'Target temperature');

  const stale = await cfg(stack, { kind: 'helper', action: 'update', id: 'input_number.target_temp', version: got.json.version, config: got.json.config });
  t.match(stale.json, { error: 'conflict' }, 'a write over a newer version is refused');

  const undoUpdate = await stack.call('ha_undo', { id: updated.json.audit_id });
  t.match(undoUpdate.json, { restored: 1, not_restored: 0 });
  t.equal(sim.home.getState('input_number.target_temp')?.attributes.friendly_name, 'Target temp');
  t.equal(sim.home.getState('input_number.target_temp')?.attributes.max, 30);

  // A rename, then a delete: undo must bring it back under its old id, with its new name.
  const v1 = (await cfg(stack, { kind: 'helper', action: 'get', id: 'input_number.target_temp' })).json;
  await cfg(stack, { kind: 'helper', action: 'update', id: 'input_number.target_temp', version: v1.version, config: { ...(v1.config as object), name: 'Heating goal' } });
  const v2 = (await cfg(stack, { kind: 'helper', action: 'get', id: 'input_number.target_temp' })).json;
  const ask = await cfg(stack, { kind: 'helper', action: 'delete', id: 'input_number.target_temp', version: v2.version });
  t.match(ask.json, { error: 'confirmation_required' }, 'a delete asks first');
  t.ok(sim.home.getState('input_number.target_temp'), 'nothing deleted yet');
  const deleted = await cfg(stack, { kind: 'helper', action: 'delete', id: 'input_number.target_temp', version: v2.version, confirm_token: (ask.json.details as { confirm_token: string }).confirm_token });
  t.notOk(deleted.result.isError, JSON.stringify(deleted.json));
  t.notOk(sim.home.getState('input_number.target_temp'), 'entity gone');
  const undoDelete = await stack.call('ha_undo', { id: deleted.json.audit_id });
  t.match(undoDelete.json, { restored: 1 }, JSON.stringify(undoDelete.json));
  t.equal(sim.home.getState('input_number.target_temp')?.attributes.friendly_name, 'Heating goal', 'back with its id and its name');
  const back = await cfg(stack, { kind: 'helper', action: 'get', id: 'input_number.target_temp' });
  t.same(back.json.config, v2.config);

  const changed = await stack.call('ha_undo', { id: created.json.audit_id });
  t.match(changed.json, { not_restored: 1 }, 'the create is not undone over later edits');
  t.ok(sim.home.getState('input_number.target_temp'));
});

t.test('helper: every type can be created; errors a model can fix; list', async (t) => {
  const stack = await startStack({ options: CONFIG_ON });
  t.teardown(() => stack.close());
  const types: Record<string, Record<string, unknown>> = {
    input_boolean: { name: 'Vacation' },
    input_select: { name: 'House mode', options: ['home', 'away'] },
    input_text: { name: 'Message' },
    input_datetime: { name: 'Wake up', has_time: true },
    input_button: { name: 'Doorbell test' },
    counter: { name: 'Door opens' },
    timer: { name: 'Laundry', duration: '0:45:00' },
  };
  const auditIds: Record<string, string> = {};
  for (const [type, fields] of Object.entries(types)) {
    const r = await cfg(stack, { kind: 'helper', action: 'create', config: { type, ...fields } });
    auditIds[type] = String(r.json.audit_id);
    t.notOk(r.result.isError, `${type}: ${JSON.stringify(r.json)}`);
    t.ok(stack.sim.home.getState(String(r.json.id)), `${type}: entity ${String(r.json.id)}`);
  }
  // Undo of a create deletes it, which asks first.
  const createId = auditIds.counter;
  const ask = await stack.call('ha_undo', { id: createId });
  t.match(ask.json, { error: 'confirmation_required' });
  const undone = await stack.call('ha_undo', { id: createId, confirm_token: (ask.json.details as { confirm_token: string }).confirm_token });
  t.match(undone.json, { restored: 1 }, JSON.stringify(undone.json));
  t.notOk(stack.sim.home.getState('counter.door_opens'), 'the created helper is deleted');
  const list = await cfg(stack, { kind: 'helper', action: 'list' });
  t.equal(list.json.total, 6);
  t.ok((list.json.items as { id: string }[]).some((i) => i.id === 'timer.laundry'));

  const noType = await cfg(stack, { kind: 'helper', action: 'create', config: { name: 'x' } });
  t.match(noType.json, { error: 'invalid_input', suggestion: /type/ });
  const bad = await cfg(stack, { kind: 'helper', action: 'create', config: { type: 'input_number', name: 'Bad', min: 5 } });
  t.match(bad.json, { error: 'validation_error', message: /max/ });
  const dupes = await cfg(stack, { kind: 'helper', action: 'create', config: { type: 'input_select', name: 'D', options: ['a', 'a'] } });
  t.match(dupes.json, { error: 'ha_error', message: /Duplicate options/ });
  t.notOk(stack.sim.home.getState('input_select.d'), 'nothing saved');
});

t.test('helper: read-only mode and the config toolset switch refuse writes', async (t) => {
  const ro = await startStack({ options: { ...CONFIG_ON, read_only: true } });
  t.teardown(() => ro.close());
  const r = await cfg(ro, { kind: 'helper', action: 'create', config: { type: 'input_boolean', name: 'Nope' } });
  t.match(r.json, { error: 'read_only' });
  t.notOk(ro.sim.home.getState('input_boolean.nope'));
  const off = await startStack({});
  t.teardown(() => off.close());
  const tools = await (await off.client()).listTools();
  t.notOk(tools.tools.some((x) => x.name === 'ha_config'), 'ha_config is off unless the config toolset is on');
});
