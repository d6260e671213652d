// ha_system through MCP against the simulator: the error log tail (levels, integrations,
// paging, the ~8,000-token bound, secrets masked: a test plants a token and a password),
// system_log, repairs, updates, check_config (valid, then invalid), notifications (list,
// create, dismiss), restart and reload through the gate (always confirmed), and each error path
// (bad input, a non-admin user refused by Home Assistant, Home Assistant unreachable,
// cancellation); then the generated 2,000-entity home. Answer sizes in o200k tokens.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t, { type Test } from 'tap';
import { DEFAULT_ALLOWED_SERVICES } from '../../src/policy/defaults.js';
import { system } from '../../src/tools/system.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { eventually } from '../tools-home/helpers.js';

type Obj = Record<string, unknown>;
const NON_ADMIN_TOKEN = 'non-admin-token-0123456789abcdef';
// Made up for the test (issuer "planted", signature "signature-planted"), built here so that no token-shaped literal is in the source.
const b64url = (text: string) => Buffer.from(text).toString('base64url');
const PLANTED_JWT = [b64url('{"alg":"HS256","typ":"JWT"}'), b64url('{"iss":"planted"}'), b64url('signature-planted')].join('.');
const PLANTED_PASSWORD = 'Hunter2-planted!';

async function call(t: Test, stack: Stack, args: Obj, label: string, client?: Awaited<ReturnType<Stack['client']>>): Promise<{ json: Obj; text: string; isError: boolean; tokens: number }> {
  const { result, json } = await stack.call('ha_system', args, client);
  const text = (result.content[0] as { text: string }).text;
  const tokens = encode(text).length;
  t.comment(`${label}: ${tokens} tokens`);
  return { json, text, isError: result.isError === true, tokens };
}

const items = (r: { json: Obj }): string[] => (r.json.items as string[] | undefined) ?? [];

t.test('ha_system on the demo home', async (t) => {
  const stack = await startStack({ options: { allowed_services: [...DEFAULT_ALLOWED_SERVICES, 'homeassistant.restart', 'homeassistant.reload_all', 'automation.reload'] } });
  t.teardown(() => stack.close());
  stack.sim.addToken(NON_ADMIN_TOKEN, { id: 'kid-user', name: 'Kid', is_admin: false });

  t.test('log: the tail, newest first, filtered and paged', async (t) => {
    const tail = await call(t, stack, { action: 'log', limit: 20 }, 'the last 20 records');
    t.notOk(tail.isError, tail.text);
    t.equal(items(tail).length, 20);
    t.equal(tail.json.has_more, true);
    t.match(tail.json.note, /more: offset 20/);
    t.match(items(tail)[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (WARNING|ERROR|CRITICAL|INFO) \S+: /);
    const errors = await call(t, stack, { action: 'log', level: 'error', limit: 500 }, 'errors only');
    t.ok(items(errors).length > 0 && items(errors).every((l) => / (ERROR|CRITICAL) /.test(l)));
    t.ok(items(errors).some((l) => /config_entries: Error setting up entry Living Room TV for webostv \| TimeoutError$/.test(l)), 'a traceback becomes its exception line');
    const rest = await call(t, stack, { action: 'log', integration: 'rest', limit: 500 }, 'one integration');
    t.ok(items(rest).length > 0 && items(rest).every((l) => / rest\.data: /.test(l)));
    const next = await call(t, stack, { action: 'log', limit: 20, offset: 20 }, 'the next page');
    t.notSame(items(next)[0], items(tail)[0]);
    const none = await call(t, stack, { action: 'log', integration: 'no_such_integration' }, 'nothing');
    t.same(items(none), []);
    t.match(none.json.note, /No .*records from no_such_integration/);
    const all = await call(t, stack, { action: 'log', limit: 500 }, 'up to 500 records');
    t.ok(all.tokens <= 8_000, `${all.tokens} tokens`);
  });

  t.test('secrets in the log are masked: a planted token and password', async (t) => {
    stack.sim.system.log({ name: 'homeassistant.components.rest_command', level: 'ERROR', message: `Client error for https://api.example.com: headers {'Authorization': 'Bearer ${PLANTED_JWT}'} body {"username": "anna", "password": "${PLANTED_PASSWORD}"}` });
    stack.sim.system.log({ name: 'homeassistant.components.mqtt.client', level: 'WARNING', message: `Reconnecting to mqtt://anna:${PLANTED_PASSWORD}@broker.local:1883 with token ${stack.sim.token}` });
    const log = await call(t, stack, { action: 'log', limit: 5 }, 'the planted lines');
    const sys = await call(t, stack, { action: 'system_log', limit: 5 }, 'the planted system log entries');
    for (const r of [log, sys]) {
      t.notMatch(r.text, PLANTED_JWT);
      t.notMatch(r.text, PLANTED_PASSWORD);
      t.notMatch(r.text, stack.sim.token);
      t.match(r.text, /rest_command: Client error for https:\/\/api\.example\.com/);
      t.match(r.text, /\*\*\*/);
    }
    t.match(items(log)[0], /mqtt\.client: Reconnecting to mqtt:\/\/anna:\*\*\*@broker\.local:1883 with token \*\*\*/);
    t.notMatch(stack.logs(), PLANTED_PASSWORD, 'nor in the server log');
  });

  t.test('system_log: the recorded entries, grouped with counts', async (t) => {
    const r = await call(t, stack, { action: 'system_log', level: 'error', integration: 'camera' }, 'camera errors');
    t.match(items(r), [/ERROR camera \(8x since .*\): Error requesting stream: Camera not found$/]);
    const warnings = await call(t, stack, { action: 'system_log', limit: 100 }, 'all');
    t.ok(items(warnings).some((l) => /WARNING http\.ban \(78x since/.test(l)));
  });

  t.test('repairs, updates, check_config', async (t) => {
    const repairs = await call(t, stack, { action: 'repairs' }, 'repairs');
    t.same(items(repairs), ['warning http: server_host_deprecated, breaks in 2026.6.0']);
    const updates = await call(t, stack, { action: 'updates' }, 'updates');
    t.ok(items(updates).includes('update.demo_living_room_bulb_update: 1.93.3 → 1.94.2 Philips Lamps Firmware'));
    t.equal(items(updates).length, 5);
    t.match(updates.json.note, /^5 pending, 1 up to date or skipped/);
    const valid = await call(t, stack, { action: 'check_config' }, 'check_config');
    t.match(valid.json, { result: 'valid' });
    stack.sim.system.setCheckConfig({ result: 'invalid', errors: `Integration error: mqtt - password: ${PLANTED_PASSWORD} is not a valid option`, warnings: null });
    const invalid = await call(t, stack, { action: 'check_config' }, 'an invalid config');
    t.match(invalid.json, { result: 'invalid', items: [/^errors: Integration error: mqtt - password: \*\*\*/] });
    t.notMatch(invalid.text, PLANTED_PASSWORD);
    stack.sim.system.setCheckConfig({ result: 'valid', errors: null, warnings: null });
  });

  t.test('notifications: list, create, dismiss', async (t) => {
    const before = await call(t, stack, { action: 'notifications' }, 'notifications');
    t.ok(items(before).some((l) => / http-login: Login attempt failed: /.test(l)));
    const created = await call(t, stack, { action: 'notify', message: 'The washing machine is done', title: 'Laundry', notification_id: 'laundry' }, 'notify');
    t.notOk(created.isError, created.text);
    t.match(created.json.result, /^created \(audit \w+\)$/);
    const after = await call(t, stack, { action: 'notifications' }, 'notifications after');
    t.match(items(after)[0], / laundry: Laundry: The washing machine is done$/);
    const gone = await call(t, stack, { action: 'dismiss', notification_id: 'laundry' }, 'dismiss');
    t.match(gone.json.result, /^dismissed/);
    t.notOk(items(await call(t, stack, { action: 'notifications' }, 'notifications at the end')).some((l) => l.includes('laundry')));
    const unknown = await call(t, stack, { action: 'dismiss', notification_id: 'laundry' }, 'dismiss again');
    t.match(unknown.json, { error: 'not_found' });
    t.match(unknown.json.suggestion, /Open notifications: .*http-login/);
    t.match((await call(t, stack, { action: 'notify' }, 'notify without a message')).json, { error: 'invalid_input' });
    t.match((await call(t, stack, { action: 'dismiss' }, 'dismiss without an id')).json, { error: 'invalid_input' });
  });

  t.test('restart and reload always ask for confirmation', async (t) => {
    const first = await call(t, stack, { action: 'restart' }, 'restart');
    t.match(first.json, { error: 'confirmation_required', details: { rule: 'confirmation' } });
    const token = (first.json.details as { confirm_token: string }).confirm_token;
    const done = await call(t, stack, { action: 'restart', confirm_token: token }, 'restart confirmed');
    t.notOk(done.isError, done.text);
    t.match(done.json, { result: /^restarting \(audit \w+\)$/ });
    const reload = await call(t, stack, { action: 'reload', reload: 'automation' }, 'reload automations');
    t.match(reload.json, { error: 'confirmation_required' });
    const all = await call(t, stack, { action: 'reload' }, 'reload all');
    t.match(all.json, { error: 'confirmation_required' });
    t.match((await call(t, stack, { action: 'reload', reload: 'light' }, 'a domain without reload')).json, { error: 'invalid_input' });
    const notAllowed = await call(t, stack, { action: 'reload', reload: 'script' }, 'not in allowed_services');
    t.match(notAllowed.json, { error: 'policy_denied' });
    t.match(notAllowed.json.suggestion, /It will still ask for confirmation/);
    // By elicitation: the human says no, nothing is called.
    const client = await stack.client(undefined, { capabilities: { elicitation: {} } });
    const asked: string[] = [];
    stack.onElicit(client, async (message) => {
      asked.push(message);
      return { action: 'decline' };
    });
    const declined = await call(t, stack, { action: 'restart' }, 'restart declined', client);
    t.match(declined.json, { error: 'confirmation_invalid' });
    t.match(asked, [/homeassistant\.restart/]);
    const audit = await stack.call('ha_audit_log', { limit: 50 });
    const records = audit.json.records as { service: string; outcome: string; tool: string }[];
    t.ok(records.some((r) => r.service === 'homeassistant.restart' && r.outcome === 'success' && r.tool === 'ha_system'));
  });

  t.test('bad input is a clear error', async (t) => {
    t.match((await call(t, stack, { action: 'nope' }, 'unknown action')).json, { error: 'invalid_input' });
    t.match((await call(t, stack, { action: 'log', level: 'loud' }, 'unknown level')).json, { error: 'invalid_input' });
    t.match((await call(t, stack, { action: 'log', integration: 'x'.repeat(100) }, 'integration too long')).json, { error: 'invalid_input' });
  });

  t.test('a non-admin user: Home Assistant refuses the admin reads', async (t) => {
    const client = await stack.client(NON_ADMIN_TOKEN);
    for (const action of ['log', 'system_log', 'check_config']) {
      const r = await call(t, stack, { action }, `non-admin ${action}`, client);
      t.ok(r.isError, action);
      t.match(r.json, { error: 'forbidden' }, action);
    }
    // Repairs and notifications are open to every user in Home Assistant.
    t.notOk((await call(t, stack, { action: 'repairs' }, 'non-admin repairs', client)).isError);
  });

  t.test('cancellation stops the call', async (t) => {
    const ctx = { ...stack.deps, caller: { kind: 'api_key', name: 'test' } as never, sessionId: undefined, signal: AbortSignal.abort() };
    await t.rejects(system.run({ action: 'log', limit: 50, offset: 0 }, ctx), { message: 'The call was cancelled.' });
  });

  t.test('a log grown big: only its last 4 MB are read, and the answer says so', async (t) => {
    const line = 'Update of sensor.outside_temperature is taking over 10 seconds '.padEnd(120, '.');
    for (let i = 0; i < 40_000; i++) stack.sim.system.log({ name: 'homeassistant.helpers.entity', level: 'WARNING', message: `${line} ${i}` });
    const started = Date.now();
    const r = await call(t, stack, { action: 'log', limit: 10 }, 'an 8 MB log');
    t.comment(`an 8 MB log: ${Date.now() - started} ms`);
    t.match(items(r)[0], / 39999$/);
    t.match(r.json.note, /Only the last 4 MB of the \d+ MB log were read\./);
  });

  t.test('Home Assistant unreachable', async (t) => {
    // The socket is gone and new connections are refused; REST behind the Supervisor proxy answers 502.
    stack.sim.faults.refuseConnections(true);
    stack.sim.faults.dropWebSockets();
    stack.sim.faults.failRest(502);
    await eventually(async () => stack.deps.ha.status !== 'connected');
    for (const action of ['log', 'check_config', 'system_log', 'notifications']) {
      const r = await call(t, stack, { action }, `unreachable ${action}`);
      t.match(r.json, { error: 'ha_unreachable' }, action);
    }
    stack.sim.faults.refuseConnections(false);
    stack.sim.faults.failRest(null);
    await eventually(async () => !(await call(t, stack, { action: 'system_log', limit: 1 }, 'back again')).isError, 10_000);
  });
});

t.test('ha_system on a 2,000-entity home', async (t) => {
  const stack = await startStack({ home: 2000 });
  t.teardown(() => stack.close());
  const log = await call(t, stack, { action: 'log', limit: 500 }, 'the log tail');
  t.ok(items(log).length > 100 && items(log).length < 500, `${items(log).length} records`);
  t.ok(log.tokens <= 8_000, `${log.tokens} tokens`);
  t.match(log.json, { has_more: true, note: /more: offset \d+ \(cut to stay under ~8,000 tokens\)/ });
  t.ok((log.json.total as number) >= 1000, `${String(log.json.total)} records`);
  t.notMatch(log.text, /appid=[0-9a-f]/, 'the API key in a URL is masked');
  const zha = await call(t, stack, { action: 'system_log', integration: 'zha' }, 'zha warnings');
  t.match(items(zha)[0], /WARNING zha\.core\.cluster_handlers \(\d+x since .*\): \[0x/);
  const repairs = await call(t, stack, { action: 'repairs' }, 'repairs');
  t.ok(items(repairs).some((l) => l.startsWith('error homeassistant: integration_not_found.old_weather')));
  const updates = await call(t, stack, { action: 'updates', limit: 500 }, 'updates');
  t.ok(items(updates).length > 0 && items(updates).every((l) => /^update\.\S+: \S+ → \S+/.test(l)));
  t.ok(updates.tokens <= 8_000);
  const notes = await call(t, stack, { action: 'notifications' }, 'notifications');
  t.equal(items(notes).length, 2);
  t.match((await call(t, stack, { action: 'check_config' }, 'check_config')).json, { result: 'valid' });
});
