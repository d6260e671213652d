// Config edits obey the add-on's switches: read_only refuses them (reads still work), the config
// toolset off hides ha_config and makes the gate refuse an undo of a config edit, and the service
// policy applies by the pseudo-service names (config.<kind>_<action>).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import type { Options } from '../../src/config/schema.js';
import { startStack } from '../helpers/stack.js';
import type { Obj } from '../tools-home/helpers.js';

const CONFIG = { alias: 'Hall light', triggers: [{ trigger: 'state', entity_id: 'binary_sensor.movement_backyard', to: 'on' }], actions: [{ action: 'light.turn_on', target: { entity_id: 'light.bed_light' } }] };

t.test('read_only refuses every config write; reads still work', async (t) => {
  const stack = await startStack({ options: { read_only: true, toolsets: ['read', 'write', 'config'] } });
  t.teardown(() => stack.close());
  const created = await stack.call('ha_config', { kind: 'automation', action: 'create', id: 'hall', config: CONFIG });
  t.match(created.json, { error: 'read_only', details: { rule: 'read_only', option: 'read_only' } });
  const res = await fetch(`${stack.sim.url}/api/config/automation/config/hall`, { headers: { Authorization: `Bearer ${stack.sim.token}` } });
  t.equal(res.status, 404, 'nothing saved');
  const got = await stack.call('ha_config', { kind: 'automation', action: 'get', id: 'mcp_test' });
  t.notOk(got.result.isError, 'get works');
  const del = await stack.call('ha_config', { kind: 'automation', action: 'delete', id: 'mcp_test', version: got.json.version });
  t.equal(del.json.error, 'read_only');
  t.match((await stack.call('ha_audit_log', { limit: 5 })).json, { stats: { by_outcome: { refused: 2 } } });
});

t.test('the config toolset switch: off hides ha_config and refuses undoing a config edit', async (t) => {
  const sim = await startSimulator({ port: 0, home: 'demo' });
  t.teardown(() => sim.close());
  const dataDir = join(mkdtempSync(join(tmpdir(), 'mcp-ha-edit-policy-')), 'data');
  const on = await startStack({ sim, env: { MCP_DATA_DIR: dataDir }, options: { toolsets: ['read', 'write', 'config'] } });
  const created = await on.call('ha_config', { kind: 'automation', action: 'create', id: 'hall', config: CONFIG });
  t.notOk(created.result.isError, JSON.stringify(created.json));
  await on.close();

  // The same data folder, the toolset now off (the default).
  const off = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
  t.teardown(() => off.close());
  const client = await off.client();
  t.notOk((await client.listTools()).tools.some((tool) => tool.name === 'ha_config'), 'ha_config is not offered');
  await t.rejects(client.callTool({ name: 'ha_config', arguments: { kind: 'automation', action: 'list' } }), /Unknown tool/);
  const undone = await off.call('ha_undo', { id: created.json.audit_id as string });
  t.match(undone.json, { not_restored: 1, actions: [{ change: { status: 'not_restored', problems: [/config toolset is off/] } }] });
  const res = await fetch(`${sim.url}/api/config/automation/config/hall`, { headers: { Authorization: `Bearer ${sim.token}` } });
  t.equal(res.status, 200, 'the automation stays');
});

t.test('blocked_services and confirm_services by pseudo-service name', async (t) => {
  const options: Options = { toolsets: ['read', 'write', 'config'], blocked_services: ['config.automation_delete'], confirm_services: ['config.script_update'] };
  const stack = await startStack({ options });
  t.teardown(() => stack.close());
  const got = (await stack.call('ha_config', { kind: 'automation', action: 'get', id: 'mcp_test' })).json;
  const del = await stack.call('ha_config', { kind: 'automation', action: 'delete', id: 'mcp_test', version: got.version });
  t.match(del.json, { error: 'policy_denied', details: { rule: 'blocked_services' } });
  const script = (await stack.call('ha_config', { kind: 'script', action: 'get', id: 'mcp_test_script' })).json;
  const upd = await stack.call('ha_config', { kind: 'script', action: 'update', id: 'mcp_test_script', version: script.version, config: { ...(script.config as Obj), alias: 'Renamed' } });
  t.match(upd.json, { error: 'confirmation_required', details: { option: 'confirm_services' } });
  const custom = await startStack({ sim: stack.sim, options: { toolsets: ['read', 'write', 'config'], allowed_services: ['light.*'] } });
  t.teardown(() => custom.close());
  const denied = await custom.call('ha_config', { kind: 'automation', action: 'create', config: CONFIG });
  t.match(denied.json, { error: 'policy_denied', details: { rule: 'allowed_services' }, suggestion: /config\.\*/ });
});
