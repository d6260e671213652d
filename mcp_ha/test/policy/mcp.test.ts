// Safe actions through MCP against the simulator: each policy path, each validation error,
// the audit log and its query tool, undo of a light, a cover and a climate entity, and the log
// surviving a server restart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { DEFAULT_ALLOWED_SERVICES } from '../../src/policy/defaults.js';
import { startSimulator } from '../../sim/server.js';
import { startStack, type Stack } from '../helpers/stack.js';

const ALLOWED = [...DEFAULT_ALLOWED_SERVICES, 'lock.*', 'alarm_control_panel.*'];

/** Waits until the simulator's entity satisfies `ok` (covers travel). */
async function until(stack: Stack, id: string, ok: (s: { state: string; attributes: Record<string, unknown> }) => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const s = stack.sim.home.getState(id);
    if (s && ok(s)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${id} did not reach the expected state`);
}

const call = (stack: Stack, domain: string, service: string, entity_id: string, service_data?: Record<string, unknown>, extra = {}) =>
  stack.call('ha_call_service', { domain, service, entity_id, ...(service_data ? { service_data } : {}), ...extra });

t.test('policy paths', async (t) => {
  const stack = await startStack({ options: { allowed_services: ALLOWED, blocked_services: ['switch.toggle'], confirm_services: ['input_boolean.toggle'], confirmation_timeout_seconds: 10 } });
  t.teardown(() => stack.close());

  t.test('allowed', async (t) => {
    const { json, result } = await call(stack, 'light', 'turn_on', 'light.ceiling_lights', { brightness: 100 });
    t.notOk(result.isError, JSON.stringify(json));
    t.type(json.audit_id, 'string');
    t.equal(stack.sim.home.getState('light.ceiling_lights')?.attributes.brightness, 100);
  });

  t.test('refused: not allowed, blocked; each names its rule and option', async (t) => {
    const restart = await stack.call('ha_call_service', { domain: 'homeassistant', service: 'restart' });
    t.match(restart.json, { error: 'policy_denied', status_code: 403, details: { rule: 'allowed_services', option: 'allowed_services' } });
    t.match(restart.json.suggestion, /Add "homeassistant\.restart" .* to allowed_services in the add-on options/);
    const blocked = await call(stack, 'switch', 'toggle', 'switch.ac');
    t.match(blocked.json, { error: 'policy_denied', details: { rule: 'blocked_services' } });
    t.match(blocked.json.suggestion, /Remove "switch\.toggle" from blocked_services/);
    t.equal(stack.sim.home.getState('switch.ac')?.state, 'off');
  });

  t.test('confirmation by token: required, then accepted', async (t) => {
    const first = await call(stack, 'lock', 'unlock', 'lock.front_door');
    t.match(first.json, { error: 'confirmation_required', status_code: 428, details: { rule: 'confirmation' } });
    const details = first.json.details as { confirm_token: string; expires_at: string };
    t.ok(Date.parse(details.expires_at) > Date.now());
    t.equal(stack.sim.home.getState('lock.front_door')?.state, 'locked', 'nothing sent yet');
    const other = await call(stack, 'lock', 'unlock', 'lock.openable_lock', undefined, { confirm_token: details.confirm_token });
    t.match(other.json, { error: 'confirmation_invalid', details: { rule: 'confirmation_mismatch' } });
    const second = await call(stack, 'lock', 'unlock', 'lock.front_door', undefined, { confirm_token: details.confirm_token });
    t.notOk(second.result.isError, JSON.stringify(second.json));
    t.equal(stack.sim.home.getState('lock.front_door')?.state, 'unlocked');
    const reuse = await call(stack, 'lock', 'unlock', 'lock.front_door', undefined, { confirm_token: details.confirm_token });
    t.match(reuse.json, { error: 'confirmation_invalid', details: { rule: 'confirmation_unknown' } });
  });

  t.test('confirmation by token: expired', async (t) => {
    const first = await call(stack, 'cover', 'open_cover', 'cover.garage_door');
    t.match(first.json, { error: 'confirmation_required' });
    t.match(first.json.message, /garage/);
    const token = (first.json.details as { confirm_token: string }).confirm_token;
    const realNow = Date.now;
    Date.now = () => realNow() + 11_000;
    try {
      const late = await call(stack, 'cover', 'open_cover', 'cover.garage_door', undefined, { confirm_token: token });
      t.match(late.json, { error: 'confirmation_invalid', details: { rule: 'confirmation_expired' } });
    } finally {
      Date.now = realNow;
    }
    t.equal(stack.sim.home.getState('cover.garage_door')?.state, 'closed');
  });

  t.test('confirmation by elicitation: accepted and refused', async (t) => {
    const answers: ('accept' | 'decline')[] = [];
    const client = await stack.client(undefined, { capabilities: { elicitation: {} } });
    const messages: string[] = [];
    stack.onElicit(client, async (message) => {
      messages.push(message);
      const action = answers.shift() ?? 'decline';
      return action === 'accept' ? { action, content: { confirm: true } } : { action };
    });
    answers.push('decline');
    const no = await stack.call('ha_call_service', { domain: 'alarm_control_panel', service: 'alarm_arm_away', entity_id: 'alarm_control_panel.security', service_data: { code: '1234' } }, client);
    t.notOk(no.result.isError, 'arming needs no confirmation');
    const refused = await stack.call('ha_call_service', { domain: 'alarm_control_panel', service: 'alarm_disarm', entity_id: 'alarm_control_panel.security', service_data: { code: '1234' } }, client);
    t.match(refused.json, { error: 'confirmation_invalid', details: { rule: 'confirmation_declined' } });
    t.equal(stack.sim.home.getState('alarm_control_panel.security')?.state, 'armed_away');
    answers.push('accept');
    const toggleBefore = stack.sim.home.getState('input_boolean.mcp_test_toggle')?.state;
    const ok = await stack.call('ha_call_service', { domain: 'input_boolean', service: 'toggle', entity_id: 'input_boolean.mcp_test_toggle' }, client);
    t.notOk(ok.result.isError, JSON.stringify(ok.json));
    t.not(stack.sim.home.getState('input_boolean.mcp_test_toggle')?.state, toggleBefore);
    t.match(messages, [/alarm_control_panel\.alarm_disarm on alarm_control_panel\.security/, /confirm_services/]);
  });

  t.test('every request is in the audit log; codes never are', async (t) => {
    const { json } = await stack.call('ha_audit_log', { limit: 200 });
    const records = json.records as { service: string; outcome: string; error?: { code: string }; data?: unknown; confirmed_by?: string }[];
    t.ok(records.some((r) => r.service === 'homeassistant.restart' && r.outcome === 'refused'));
    t.ok(records.some((r) => r.service === 'lock.unlock' && r.outcome === 'success' && r.confirmed_by === 'token'));
    t.ok(records.some((r) => r.service === 'input_boolean.toggle' && r.confirmed_by === 'elicitation'));
    t.ok(records.some((r) => r.error?.code === 'confirmation_invalid'));
    t.notMatch(JSON.stringify(json), /1234/);
    const stats = json.stats as { count: number; by_outcome: Record<string, number>; success_rate: number; median_duration_ms: number };
    t.equal(stats.count, records.length);
    t.ok(stats.success_rate > 0 && stats.success_rate < 1);
    t.type(stats.median_duration_ms, 'number');
    t.comment(`gate median duration (policy, validation, audit, Home Assistant call): ${stats.median_duration_ms} ms`);
    const lock = await stack.call('ha_audit_log', { entity_id: 'lock.front_door', outcome: 'success', caller: 'me', include_states: true });
    const [rec] = lock.json.records as { before: Record<string, { state: string }>; after: Record<string, { state: string }> }[];
    t.equal(rec?.before['lock.front_door']?.state, 'locked');
    t.equal(rec?.after['lock.front_door']?.state, 'unlocked');
  });
});

t.test('read-only: every write is refused and says so; the tools are still listed', async (t) => {
  const stack = await startStack({ options: { read_only: true } });
  t.teardown(() => stack.close());
  const { json } = await call(stack, 'light', 'turn_off', 'light.bed_light');
  t.match(json, { error: 'read_only', details: { rule: 'read_only', option: 'read_only' } });
  t.match(json.suggestion, /read_only to false in the add-on options/);
  t.equal(stack.sim.home.getState('light.bed_light')?.state, 'on');
  t.match((await stack.call('ha_undo', {})).json, { error: 'read_only' });
  const client = await stack.client();
  const names = (await client.listTools()).tools.map((x) => x.name);
  t.ok(names.includes('ha_call_service') && names.includes('ha_undo'));
});

t.test('validation errors', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const brightness = stack.sim.home.getState('light.bed_light')?.attributes.brightness;
  const cases: [string, string, string, Record<string, unknown> | undefined, RegExp][] = [
    ['light', 'turn_on', 'light.bed_light', { brightness: 300 }, /brightness: 300 is out of range 0 to 255/],
    ['climate', 'set_temperature', 'climate.heatpump', { temperature: 36 }, /36 is out of range 7 to 35 for climate\.heatpump/],
    ['climate', 'set_hvac_mode', 'climate.heatpump', { hvac_mode: 'cool' }, /"cool" is not one of "heat", "off"/],
    ['light', 'turn_on', 'light.bed_light', { brightnes: 3 }, /unknown field \(did you mean brightness\?\)/],
    ['cover', 'set_cover_position', 'cover.hall_window', {}, /position: required field missing/],
    ['light', 'turn_on', 'switch.decorative_lights', undefined, /is a switch entity/],
  ];
  for (const [domain, service, entity, data, message] of cases) {
    const { json } = await call(stack, domain, service, entity, data);
    t.equal(json.error, 'validation_error', `${domain}.${service} ${JSON.stringify(data)}`);
    t.match(json.message, message);
  }
  const wrong = await call(stack, 'light', 'turn_on', 'switch.decorative_lights');
  t.match(wrong.json.suggestion, /Use switch\.turn_on/);
  const missing = await call(stack, 'light', 'turn_on', 'light.bed_lite');
  t.match(missing.json, { error: 'entity_not_found' });
  const svc = await call(stack, 'light', 'explode', 'light.bed_light');
  t.match(svc.json, { error: 'service_not_found' });
  const area = await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', target: { area_id: 'atlantis' } });
  t.match(area.json, { error: 'validation_error', details: { rule: 'target_exists' } });
  t.equal(stack.sim.home.getState('light.bed_light')?.attributes.brightness, brightness, 'nothing was sent');
});

t.test('undo restores a light, a cover and a climate entity exactly; the log survives a restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcp-ha-undo-'));
  const sim = await startSimulator({ port: 0, home: 'demo' });
  let stack = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
  t.teardown(async () => {
    await stack.close();
    await sim.close();
  });
  const pick = (id: string) => {
    const s = sim.home.getState(id)!;
    return { state: s.state, attributes: { ...s.attributes } };
  };
  const keys = (s: { state: string; attributes: Record<string, unknown> }, attrs: string[]) => ({ state: s.state, ...Object.fromEntries(attrs.map((a) => [a, s.attributes[a]])) });
  const LIGHT = ['brightness', 'color_mode', 'hs_color', 'rgb_color', 'xy_color', 'effect'];
  const timings: number[] = [];
  const undo = async (args: Record<string, unknown>) => {
    const t0 = performance.now();
    const res = await stack.call('ha_undo', args);
    timings.push(performance.now() - t0);
    return res;
  };

  t.test('light: brightness and colour', async (t) => {
    const before = keys(pick('light.bed_light'), LIGHT);
    const r = await call(stack, 'light', 'turn_on', 'light.bed_light', { brightness: 40, hs_color: [200, 60] });
    t.notOk(r.result.isError, JSON.stringify(r.json));
    t.not(sim.home.getState('light.bed_light')?.attributes.brightness, 200);
    const { json } = await undo({});
    t.match(json, { restored: 1, not_restored: 0 });
    t.same(keys(pick('light.bed_light'), LIGHT), before);
  });

  t.test('cover: position', async (t) => {
    const before = keys(pick('cover.hall_window'), ['current_position']);
    await call(stack, 'cover', 'set_cover_position', 'cover.hall_window', { position: 60 });
    await until(stack, 'cover.hall_window', (s) => s.attributes.current_position === 60 && s.state === 'open');
    const { json } = await undo({});
    t.match(json, { restored: 1 });
    await until(stack, 'cover.hall_window', (s) => s.state === 'open' && s.attributes.current_position === 10);
    t.same(keys(pick('cover.hall_window'), ['current_position']), before);
  });

  t.test('climate: two actions undone together (temperature and mode)', async (t) => {
    const before = keys(pick('climate.heatpump'), ['temperature']);
    await call(stack, 'climate', 'set_temperature', 'climate.heatpump', { temperature: 25 });
    await call(stack, 'climate', 'set_hvac_mode', 'climate.heatpump', { hvac_mode: 'off' });
    t.same(keys(pick('climate.heatpump'), ['temperature']), { state: 'off', temperature: 25 });
    const { json } = await undo({ last: 2 });
    t.match(json, { restored: 2, not_restored: 0 });
    t.same(keys(pick('climate.heatpump'), ['temperature']), before);
  });

  t.test('a new server over the same data folder reads the log and can undo', async (t) => {
    const r = await call(stack, 'light', 'turn_off', 'light.kitchen_lights');
    const id = r.json.audit_id as string;
    await stack.close();
    stack = await startStack({ sim, env: { MCP_DATA_DIR: dataDir } });
    const { json } = await stack.call('ha_audit_log', { id });
    t.match((json.records as unknown[])[0], { id, outcome: 'success', service: 'light.turn_off' });
    const undone = await undo({ id });
    t.match(undone.json, { restored: 1 });
    t.equal(sim.home.getState('light.kitchen_lights')?.state, 'on');
    const log = await stack.call('ha_audit_log', { tool: 'ha_undo' });
    t.ok((log.json.records as { undo_of?: string[] }[]).some((x) => x.undo_of?.includes(id)), 'the undo is recorded');
  });

  t.teardown(() => {
    const sorted = [...timings].sort((a, b) => a - b);
    t.comment(`ha_undo latency over MCP (ms): median ${sorted[sorted.length >> 1]?.toFixed(1)}, max ${sorted.at(-1)?.toFixed(1)}`);
  });
});
