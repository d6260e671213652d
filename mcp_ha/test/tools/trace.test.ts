// ha_trace through MCP against the simulator: the recorded runs of the demo home, runs the
// simulator records as its automations and scripts run (a failed action, a condition that stops
// a run, a run started by another automation), one run's path, and each error path (unknown id,
// no traces yet, unknown run, a non-admin user, Home Assistant unreachable, cancellation); then
// a door automation that fails on the generated 2,000-entity home. Answer sizes in o200k tokens.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t, { type Test } from 'tap';
import { trace } from '../../src/tools/trace.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { eventually } from '../tools-home/helpers.js';

type Obj = Record<string, unknown>;
const NON_ADMIN_TOKEN = 'non-admin-token-0123456789abcdef';

async function call(t: Test, stack: Stack, args: Obj, label: string, client?: Awaited<ReturnType<Stack['client']>>): Promise<{ json: Obj; isError: boolean }> {
  const { result, json } = await stack.call('ha_trace', args, client);
  const text = (result.content[0] as { text: string }).text;
  t.comment(`${label}: ${encode(text).length} tokens`);
  return { json, isError: result.isError === true };
}

/** Saves an automation or script config through the simulator's REST API (as the UI editor would). */
async function saveConfig(stack: Stack, kind: 'automation' | 'script', id: string, config: Obj): Promise<void> {
  const res = await fetch(`${stack.sim.url}/api/config/${kind}/config/${id}`, { method: 'POST', headers: { Authorization: `Bearer ${stack.sim.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(config) });
  if (res.status !== 200) throw new Error(`config save: ${res.status}`);
}

t.test('ha_trace on the demo home', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  stack.sim.addToken(NON_ADMIN_TOKEN, { id: 'kid-user', name: 'Kid', is_admin: false });

  t.test('the recorded runs: all, and one automation newest first', async (t) => {
    const all = await call(t, stack, {}, 'all runs');
    t.notOk(all.isError);
    const runs = all.json.runs as string[];
    t.ok(runs.some((l) => /automation\.mcp_test_automation finished, trigger state of input_boolean\.mcp_test_toggle, run fe6418a4$/.test(l)), runs.join('\n'));
    t.ok(runs.some((l) => /script\.mcp_test_script finished, run b36fc8f8$/.test(l)));
    const one = await call(t, stack, { id: 'mcp_test' }, 'one automation by its id');
    t.equal(one.json.total, 5);
    t.match((one.json.runs as string[])[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d finished, trigger manual, run 1c27252a$/);
    t.match(one.json.note, /automation\.mcp_test_automation/);
    const path = await call(t, stack, { id: 'automation.mcp_test_automation', run_id: '1c27' }, 'a recorded run by prefix');
    t.match(path.json.result, /^automation\.mcp_test_automation .* finished, run 1c27252af3aff5f7b20cd0e1d618f0c7$/);
    t.same(path.json.path, ['trigger: manual (automation.trigger)', 'action/0 light.toggle light.bed_light: ok']);
  });

  t.test('a trace of a failed run: the step that failed, and what was not reached', async (t) => {
    await saveConfig(stack, 'automation', 'mcp_leak', {
      alias: 'Leak alert',
      triggers: [{ trigger: 'state', entity_id: 'input_boolean.mcp_test_toggle', to: 'on' }],
      conditions: [{ condition: 'state', entity_id: 'light.bed_light', state: 'on' }],
      actions: [
        { action: 'light.turn_on', target: { entity_id: 'light.ceiling_lights' } },
        { action: 'notify.mobile_app_old_phone', data: { message: 'Water!' } },
        { action: 'light.turn_off', target: { entity_id: 'light.kitchen_lights' } },
      ],
    });
    await eventually(async () => stack.deps.ha.cache.getState('automation.leak_alert'));
    // automation.trigger skips the conditions, as Home Assistant's does by default.
    const fired = await stack.call('ha_call_service', { domain: 'automation', service: 'trigger', entity_id: 'automation.leak_alert' });
    t.notOk(fired.result.isError, 'a failing action does not fail automation.trigger');
    const list = await call(t, stack, { id: 'automation.leak_alert' }, 'runs of the failed automation');
    t.match((list.json.runs as string[])[0], /error at action\/1: Action notify\.mobile_app_old_phone not found, trigger manual, run [0-9a-f]{8}$/);
    const run = await call(t, stack, { id: 'automation.leak_alert', run_id: 'latest' }, 'the failed run');
    t.notOk(run.isError);
    t.match(run.json.result, /^automation\.leak_alert .* error at action\/1: Action notify\.mobile_app_old_phone not found, run [0-9a-f]{32}$/);
    t.same(run.json.path, [
      'trigger: manual (automation.trigger)',
      'action/0 light.turn_on light.ceiling_lights: ok',
      'action/1 notify.mobile_app_old_phone: error: Action notify.mobile_app_old_phone not found',
      'not reached: action/2 light.turn_off light.kitchen_lights',
    ]);
    t.equal(stack.sim.home.getState('light.ceiling_lights')?.state, 'on', 'the first action ran');
    // Home Assistant logs the failure too.
    const log = await stack.call('ha_system', { action: 'system_log', integration: 'automation' });
    t.match((log.json.items as string[])[0], /ERROR automation\.leak_alert.*Error while executing automation automation\.leak_alert: Action notify\.mobile_app_old_phone not found/);
  });

  t.test('a condition that stops a run, and who started it', async (t) => {
    stack.sim.home.setState('light.bed_light', 'off');
    stack.sim.home.setState('input_boolean.mcp_test_toggle', 'off');
    await stack.call('ha_call_service', { domain: 'input_boolean', service: 'turn_on', entity_id: 'input_boolean.mcp_test_toggle' });
    const run = await eventually(async () => {
      const r = await call(t, stack, { id: 'automation.leak_alert', run_id: 'latest' }, 'the stopped run');
      return /stopped by a condition/.test(String(r.json.result)) && r;
    });
    t.match(run.json.result, /stopped by a condition at condition\/0/);
    t.same(run.json.path, [
      'trigger: state of input_boolean.mcp_test_toggle (off → on)',
      'condition/0 state light.bed_light = on: false (is off, wanted on)',
      'not reached: action/0 light.turn_on light.ceiling_lights',
      'not reached: action/1 notify.mobile_app_old_phone',
      'not reached: action/2 light.turn_off light.kitchen_lights',
    ]);
    // mcp_test (toggled by the same change) turned the bed light on; an automation on that light names it.
    await saveConfig(stack, 'automation', 'mcp_follow', { alias: 'Follow bed light', triggers: [{ trigger: 'state', entity_id: 'light.bed_light' }], actions: [{ action: 'light.toggle', target: { entity_id: 'light.living_room_rgbww_lights' } }] });
    await eventually(async () => stack.deps.ha.cache.getState('automation.follow_bed_light'));
    await stack.call('ha_call_service', { domain: 'input_boolean', service: 'toggle', entity_id: 'input_boolean.mcp_test_toggle' });
    const follow = await eventually(async () => {
      const r = await call(t, stack, { id: 'automation.follow_bed_light', run_id: 'latest' }, 'a run started by another automation');
      return !r.isError && r;
    });
    t.match(follow.json.result, /finished, started by automation\.mcp_test_automation \(run [0-9a-f]{8}\), run /);
    // A script run by an automation's action shares its context: the automation started it.
    await saveConfig(stack, 'automation', 'mcp_calls_script', { alias: 'Calls the script', triggers: [{ trigger: 'state', entity_id: 'input_boolean.mcp_test_toggle' }], actions: [{ action: 'script.turn_on', target: { entity_id: 'script.mcp_test_script' } }] });
    await eventually(async () => stack.deps.ha.cache.getState('automation.calls_the_script'));
    await stack.call('ha_call_service', { domain: 'automation', service: 'trigger', entity_id: 'automation.calls_the_script' });
    const script = await call(t, stack, { id: 'script.mcp_test_script', run_id: 'latest' }, 'a script run by an automation');
    t.match(script.json.result, /finished, started by automation\.calls_the_script \(run [0-9a-f]{8}\), run /);
    t.same(script.json.path, ['sequence/0 light.turn_off light.ceiling_lights: ok']);
  });

  t.test('a script whose action fails: the error is in its trace', async (t) => {
    await saveConfig(stack, 'script', 'mcp_broken', { alias: 'Broken', sequence: [{ action: 'light.turn_on', target: { entity_id: 'light.bed_light' } }, { action: 'notify.nope', data: { message: 'x' } }] });
    await eventually(async () => stack.deps.ha.cache.getState('script.mcp_broken'));
    const ran = await stack.call('ha_call_service', { domain: 'script', service: 'turn_on', entity_id: 'script.mcp_broken' });
    t.notOk(ran.result.isError, 'script.turn_on does not wait for the script');
    const r = await call(t, stack, { id: 'mcp_broken', run_id: 'latest' }, 'the broken script');
    t.match(r.json.result, /error at sequence\/1: Action notify\.nope not found/);
    t.same(r.json.path, ['sequence/0 light.turn_on light.bed_light: ok', 'sequence/1 notify.nope: error: Action notify.nope not found']);
  });

  t.test('unknown ids get the closest matches', async (t) => {
    const typo = await call(t, stack, { id: 'automation.mcp_tst_automaton' }, 'a typo');
    t.ok(typo.isError);
    t.match(typo.json, { error: 'not_found', details: { closest: ['automation.mcp_test_automation'] } });
    t.match(typo.json.suggestion, /Did you mean automation\.mcp_test_automation/);
    const light = await call(t, stack, { id: 'light.bed_light' }, 'not an automation');
    t.match(light.json, { error: 'invalid_input' });
    const bare = await call(t, stack, { id: 'no_such_thing_at_all' }, 'an unknown id');
    t.match(bare.json, { error: 'not_found' });
    const run = await call(t, stack, { id: 'mcp_test', run_id: 'ffffffff' }, 'an unknown run');
    t.match(run.json, { error: 'not_found' });
    t.match(run.json.suggestion, /"latest" or one of: 1c27252a/);
    const noId = await call(t, stack, { run_id: 'latest' }, 'a run without its automation');
    t.match(noId.json, { error: 'invalid_input' });
    const long = await call(t, stack, { id: 'x'.repeat(300) }, 'an id too long');
    t.match(long.json, { error: 'invalid_input' });
  });

  t.test('no traces yet: says why', async (t) => {
    await saveConfig(stack, 'script', 'mcp_never', { alias: 'Never run', sequence: [{ action: 'light.turn_on', target: { entity_id: 'light.bed_light' } }] });
    await eventually(async () => stack.deps.ha.cache.getState('script.mcp_never'));
    const never = await call(t, stack, { id: 'script.mcp_never' }, 'a script that never ran');
    t.match(never.json, { error: 'not_found', details: { entity_id: 'script.mcp_never' } });
    t.match(never.json.message, /has no traces yet: it has not run since Home Assistant started \(last triggered: never\)/);
    // A script run through its service is recorded as "sequence/0".
    await stack.call('ha_call_service', { domain: 'script', service: 'turn_on', entity_id: 'script.mcp_never' });
    const ran = await call(t, stack, { id: 'mcp_never', run_id: 'latest' }, 'the script after a run');
    t.same(ran.json.path, ['sequence/0 light.turn_on light.bed_light: ok']);
  });

  t.test('a non-admin user is refused, as Home Assistant refuses traces to them', async (t) => {
    const client = await stack.client(NON_ADMIN_TOKEN);
    const r = await call(t, stack, { id: 'mcp_test' }, 'non-admin', client);
    t.ok(r.isError);
    t.match(r.json, { error: 'forbidden' });
    t.match(r.json.message, /needs an administrator account/);
  });

  t.test('cancellation stops the call', async (t) => {
    const ctx = { ...stack.deps, caller: { kind: 'api_key', name: 'test' } as never, sessionId: undefined, signal: AbortSignal.abort() };
    await t.rejects(trace.run({ limit: 10, offset: 0 }, ctx), { message: 'The call was cancelled.' });
  });

  t.test('Home Assistant unreachable', async (t) => {
    stack.sim.faults.refuseConnections(true);
    stack.sim.faults.dropWebSockets();
    await eventually(async () => stack.deps.ha.status !== 'connected');
    const r = await call(t, stack, { id: 'mcp_test' }, 'unreachable');
    t.ok(r.isError);
    t.match(r.json, { error: 'ha_unreachable' });
    stack.sim.faults.refuseConnections(false);
    await eventually(async () => !(await call(t, stack, { id: 'mcp_test' }, 'back again')).isError, 10_000);
  });
});

t.test('ha_trace on a 2,000-entity home: a door automation whose notify action fails', async (t) => {
  const stack = await startStack({ home: 2000 });
  t.teardown(() => stack.close());
  const none = await call(t, stack, {}, 'a fresh big home');
  t.same(none.json.runs, []);
  t.match(none.json.note, /No automation or script has run/);

  // The generated door automations call notify.notify, which this home does not have.
  const { json } = await stack.call('ha_list_automations', { domain: 'automation', state: 'on', limit: 1000 });
  const door = (json.items as { entity_id: string; id: string; name: string }[]).find((a) => a.name.startsWith('Notify When'))!;
  t.ok(door, 'a door automation');
  const config = (await (await fetch(`${stack.sim.url}/api/config/automation/config/${door.id}`, { headers: { Authorization: `Bearer ${stack.sim.token}` } })).json()) as { triggers: { entity_id: string }[] };
  const sensor = config.triggers[0]!.entity_id;
  stack.sim.home.setState(sensor, 'off');
  stack.sim.home.setState(sensor, 'on');
  const run = await eventually(async () => {
    const r = await call(t, stack, { id: door.entity_id, run_id: 'latest' }, 'the failed door run');
    return !r.isError && r;
  });
  t.match(run.json.result, /error at action\/0: Action notify\.notify not found/);
  t.match((run.json.path as string[])[0], new RegExp(`^trigger: state of ${sensor.replace('.', '\\.')} \\(off → on\\)$`));
  t.match((run.json.path as string[])[1], /^action\/0 notify\.notify: error: Action notify\.notify not found$/);
  const all = await call(t, stack, { limit: 5 }, 'recent runs of the big home');
  t.match((all.json.runs as string[])[0], new RegExp(`${door.entity_id.replace('.', '\\.')} error at action/0`));

  // A sun-triggered automation never runs in the simulator: no traces, and it says so.
  const sunset = (json.items as { entity_id: string; name: string }[]).find((a) => a.name.includes('Lights at Sunset'))!;
  const never = await call(t, stack, { id: sunset.entity_id }, 'never ran');
  t.match(never.json, { error: 'not_found' });
  t.match(never.json.message, /no traces yet/);
  const typo = await call(t, stack, { id: door.entity_id.slice(0, -3) }, 'a typo on the big home');
  t.match(typo.json, { error: 'not_found' });
  t.ok((typo.json.details as { closest: string[] }).closest.length > 0);
});
