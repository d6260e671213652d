// An automation's whole life through MCP against the simulator: a model-written config created,
// its entity appearing, triggered through ha_call_service with its effect seen, updated with a
// diff, deleted with confirmation, the delete undone (same id back); an invalid one refused
// with usable errors and nothing saved; a concurrent edit in the UI detected.
import t from 'tap';
import { startStack } from '../helpers/stack.js';
import { eventually, type Obj } from '../tools-home/helpers.js';

const PORCH = {
  alias: 'Porch light at dusk',
  description: 'Written by a model',
  triggers: [{ trigger: 'state', entity_id: 'input_boolean.mcp_test_toggle', to: 'off' }],
  actions: [{ action: 'light.turn_on', target: { entity_id: 'light.bed_light' }, data: { brightness: 120 } }],
  mode: 'single',
};

t.test('automation lifecycle through ha_config', async (t) => {
  const stack = await startStack({ options: { toolsets: ['read', 'write', 'config'] } });
  t.teardown(() => stack.close());
  const call = async (name: string, args: Obj) => {
    const { result, json } = await stack.call(name, args);
    return { isError: result.isError === true, json };
  };
  const ok = async (name: string, args: Obj) => {
    const r = await call(name, args);
    if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.json)}`);
    return r.json;
  };
  const state = async (id: string) => ((await call('ha_get_state', { entity_id: id })).json.state ?? {}) as Obj;

  // Created from a model-written config; the entity shows in the answer.
  const created = await ok('ha_config', { kind: 'automation', action: 'create', id: 'porch_dusk', config: PORCH });
  t.match(created, { kind: 'automation', action: 'create', id: 'porch_dusk', entity_id: 'automation.porch_light_at_dusk', state: 'on' });
  t.equal(created.diff && (created.diff as string[])[0], '+ (created)');
  t.match(created.audit_id, /^[a-z0-9]+$/);
  t.equal(created.backup, undefined, 'nothing to back up for a new object');
  t.match(await state('automation.porch_light_at_dusk'), { state: 'on' }, 'the entity is in the cache');

  // The stored form: id first, then alias, description, triggers, conditions, actions, the rest.
  const got = await ok('ha_config', { kind: 'automation', action: 'get', id: 'porch_dusk' });
  t.same(Object.keys(got.config as Obj), ['id', 'alias', 'description', 'triggers', 'actions', 'mode']);
  t.equal(got.version, created.version);
  t.equal(got.entity_id, 'automation.porch_light_at_dusk');
  const listed = await ok('ha_config', { kind: 'automation', action: 'list' });
  t.ok((listed.items as Obj[]).some((i) => i.id === 'porch_dusk' && i.entity_id === 'automation.porch_light_at_dusk'));

  // Triggered through ha_call_service, with its effect.
  await ok('ha_call_service', { domain: 'light', service: 'turn_off', entity_id: 'light.bed_light' });
  await ok('ha_call_service', { domain: 'automation', service: 'trigger', entity_id: 'automation.porch_light_at_dusk' });
  await eventually(async () => (await state('light.bed_light')).state === 'on');
  t.match(await state('light.bed_light'), { state: 'on' }, "the automation's action ran");

  // Updated: the answer has the diff; the entity follows.
  const edited = { ...(got.config as Obj), alias: 'Porch light at sunset', actions: [{ action: 'light.turn_on', target: { entity_id: 'light.bed_light' }, data: { brightness: 200 } }] };
  const updated = await ok('ha_config', { kind: 'automation', action: 'update', id: 'porch_dusk', version: got.version, config: edited });
  t.same(updated.diff, ['~ alias: "Porch light at dusk" -> "Porch light at sunset"', '~ actions[0].data.brightness: 120 -> 200']);
  t.match(updated.backup, /porch_dusk/);
  t.not(updated.version, got.version);
  t.match(updated, { entity_id: 'automation.porch_light_at_dusk', state: 'on' });
  await eventually(async () => (await state('automation.porch_light_at_dusk')).attributes && ((await state('automation.porch_light_at_dusk')).attributes as Obj).friendly_name === 'Porch light at sunset');

  // Deleted only with confirmation (a client without elicitation gets a token).
  const asked = await call('ha_config', { kind: 'automation', action: 'delete', id: 'porch_dusk', version: updated.version });
  t.ok(asked.isError);
  t.match(asked.json, { error: 'confirmation_required', details: { rule: 'confirmation', question: /delete automation porch_dusk/ } });
  t.match(await state('automation.porch_light_at_dusk'), { state: 'on' }, 'not deleted before the yes');
  const token = (asked.json.details as Obj).confirm_token as string;
  const deleted = await ok('ha_config', { kind: 'automation', action: 'delete', id: 'porch_dusk', version: updated.version, confirm_token: token });
  t.same(deleted.diff, ['- (deleted)']);
  t.match(deleted.backup, /porch_dusk/);
  t.match((await call('ha_get_state', { entity_id: 'automation.porch_light_at_dusk' })).json, { error: 'entity_not_found' });
  t.match((await call('ha_config', { kind: 'automation', action: 'get', id: 'porch_dusk' })).json, { error: 'not_found' });

  // Undo the delete: back with the same id and config.
  const undone = await ok('ha_undo', {});
  t.match(undone, { restored: 1, not_restored: 0 });
  t.match((undone.actions as Obj[])[0], { id: deleted.audit_id, service: 'config.automation_delete', change: { kind: 'automation', id: 'porch_dusk', status: 'restored', action: 'create' } });
  const back = await ok('ha_config', { kind: 'automation', action: 'get', id: 'porch_dusk' });
  t.same(back.config, { ...edited, id: 'porch_dusk' });
  t.equal(back.version, updated.version, 'the same version as before the delete');
  await eventually(async () => (await state('automation.porch_light_at_sunset')).state === 'on');

  // The audit log shows each step with the object's before and after.
  const log = await ok('ha_audit_log', { limit: 10 });
  t.ok(JSON.stringify(log).includes('config.automation_update'));
});

t.test('an invalid automation is refused with fixable errors, and nothing is saved', async (t) => {
  const stack = await startStack({ options: { toolsets: ['read', 'write', 'config'] } });
  t.teardown(() => stack.close());
  const bad = {
    alias: 'Broken',
    triggers: [{ trigger: 'no_such_trigger', entity_id: 'binary_sensor.movement_backyard' }],
    actions: [{ action: 'light.turn_onn', target: { entity_id: 'light.bed_lite' } }],
  };
  const { result, json } = await stack.call('ha_config', { kind: 'automation', action: 'create', id: 'broken', config: bad });
  t.ok(result.isError);
  t.equal(json.error, 'validation_error');
  t.match(json.message, /nothing was saved/);
  const problems = (json.details as { problems: Obj[] }).problems;
  t.ok(problems.some((p) => p.path === 'triggers' && /Invalid trigger 'no_such_trigger'/.test(String(p.message))), "Home Assistant's validate_config");
  t.ok(problems.some((p) => p.path === 'actions[0].action' && (p.closest as string[]).includes('light.turn_on')), 'the closest service');
  t.ok(problems.some((p) => p.path === 'actions[0].target.entity_id' && (p.closest as string[]).includes('light.bed_light')), 'the closest entity');
  const missing = await stack.call('ha_config', { kind: 'automation', action: 'create', config: { alias: 'No trigger' } });
  t.match((missing.json.details as { problems: Obj[] }).problems, [{ path: 'triggers', message: /required/ }, { path: 'actions', message: /required/ }]);
  const res = await fetch(`${stack.sim.url}/api/config/automation/config/broken`, { headers: { Authorization: `Bearer ${stack.sim.token}` } });
  t.equal(res.status, 404, 'nothing saved');
  const log = await stack.call('ha_audit_log', { limit: 5 });
  t.match(JSON.stringify(log.json), /refused/);
});

t.test('a concurrent edit in the UI is detected, not overwritten', async (t) => {
  const stack = await startStack({ options: { toolsets: ['read', 'write', 'config'] } });
  t.teardown(() => stack.close());
  const got = (await stack.call('ha_config', { kind: 'automation', action: 'get', id: 'mcp_test' })).json;
  // Someone edits it in Home Assistant's UI (straight over its REST API).
  const ui = { ...(got.config as Obj), alias: 'Edited in the UI' };
  const res = await fetch(`${stack.sim.url}/api/config/automation/config/mcp_test`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.sim.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(ui),
  });
  t.equal(res.status, 200);
  const mine = { ...(got.config as Obj), alias: 'Edited by the model' };
  const { result, json } = await stack.call('ha_config', { kind: 'automation', action: 'update', id: 'mcp_test', version: got.version, config: mine });
  t.ok(result.isError);
  t.match(json, { error: 'conflict', message: /changed in Home Assistant since you read it/ });
  const details = json.details as Obj;
  t.match(details.config, { alias: 'Edited in the UI' }, 'the current version comes back');
  t.not(details.version, got.version);
  t.same(details.your_changes, ['~ alias: "Edited in the UI" -> "Edited by the model"']);
  const now = await fetch(`${stack.sim.url}/api/config/automation/config/mcp_test`, { headers: { Authorization: `Bearer ${stack.sim.token}` } });
  t.match(await now.json(), { alias: 'Edited in the UI' }, "the person's edit stays");
  // With the current version the edit goes through.
  const retry = await stack.call('ha_config', { kind: 'automation', action: 'update', id: 'mcp_test', version: details.version, config: mine });
  t.notOk(retry.result.isError, JSON.stringify(retry.json));
  // Without a version: refused, with what to pass.
  const nov = await stack.call('ha_config', { kind: 'automation', action: 'update', id: 'mcp_test', config: mine });
  t.match(nov.json, { error: 'invalid_input', details: { version: /^[0-9a-f]{12}$/ } });
});
