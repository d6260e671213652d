// The policy's decision order: blocked wins over allowed; sensitive services, entry covers
// opening and confirm_services ask for confirmation; every refusal names its rule and option.
import t from 'tap';
import { DEFAULT_ALLOWED_SERVICES } from '../../src/policy/defaults.js';
import { decide, matchService, readOnlyDenial, type PolicyOptions } from '../../src/policy/policy.js';
import { demoStates } from './home.js';

const states = new Map(demoStates().map((s) => [s.entity_id, s]));
const st = (id: string) => states.get(id)!;
const opts = (o: Partial<PolicyOptions> = {}): PolicyOptions => ({
  readOnly: false, allowedServices: [...DEFAULT_ALLOWED_SERVICES], blockedServices: [], confirmServices: [], ...o,
});
const call = (service: string, data?: Record<string, unknown>) => {
  const [domain, svc] = service.split('.') as [string, string];
  return { domain, service: svc, service_data: data };
};

t.test('patterns: exact and domain.*', async (t) => {
  t.equal(matchService(['light.*'], 'light.turn_on'), 'light.*');
  t.equal(matchService(['light.turn_off'], 'light.turn_on'), undefined);
  t.equal(matchService(['lights.*'], 'light.turn_on'), undefined);
});

t.test('allowed by the default list', async (t) => {
  t.same(decide(call('light.turn_on'), [st('light.bed_light')], opts()), { kind: 'allow' });
});

t.test('not in allowed_services: names the option', async (t) => {
  const d = decide(call('lock.unlock'), [st('lock.front_door')], opts());
  t.equal(d.kind, 'deny');
  if (d.kind !== 'deny') return;
  t.equal(d.error.code, 'policy_denied');
  t.same(d.error.details, { rule: 'allowed_services', option: 'allowed_services' });
  t.match(d.error.suggestion, /Add "lock\.unlock" \(or "lock\.\*"\) to allowed_services.*still ask for confirmation/);
});

t.test('blocked_services wins over allowed_services', async (t) => {
  const d = decide(call('light.turn_on'), [], opts({ allowedServices: ['light.*'], blockedServices: ['light.*'] }));
  t.equal(d.kind, 'deny');
  if (d.kind === 'deny') {
    t.equal((d.error.details as { rule: string }).rule, 'blocked_services');
    t.match(d.error.suggestion, /Remove "light\.\*" from blocked_services/);
  }
});

t.test('sensitive services need confirmation even when allowed', async (t) => {
  const o = opts({ allowedServices: ['lock.*', 'alarm_control_panel.*', 'homeassistant.*'] });
  t.equal(decide(call('lock.unlock'), [st('lock.front_door')], o).kind, 'confirm');
  t.equal(decide(call('lock.open'), [st('lock.openable_lock')], o).kind, 'confirm');
  t.equal(decide(call('alarm_control_panel.alarm_disarm'), [st('alarm_control_panel.security')], o).kind, 'confirm');
  t.equal(decide(call('homeassistant.restart'), [], o).kind, 'confirm');
  t.equal(decide(call('lock.lock'), [st('lock.front_door')], o).kind, 'allow');
});

t.test('opening a garage, gate or door cover needs confirmation; closing does not', async (t) => {
  const garage = st('cover.garage_door');
  t.match(decide(call('cover.open_cover'), [garage], opts()), { kind: 'confirm', reason: /garage/ });
  t.equal(decide(call('cover.close_cover'), [garage], opts()).kind, 'allow');
  t.equal(decide(call('cover.set_cover_position', { position: 40 }), [garage], opts()).kind, 'confirm');
  const gate = { ...garage, attributes: { ...garage.attributes, device_class: 'gate', current_position: 50 } };
  t.equal(decide(call('cover.set_cover_position', { position: 20 }), [gate], opts()).kind, 'allow');
  t.equal(decide(call('cover.open_cover'), [st('cover.kitchen_window')], opts()).kind, 'allow');
});

t.test('confirm_services adds the user\'s own', async (t) => {
  t.match(decide(call('light.turn_off'), [], opts({ confirmServices: ['light.turn_off'] })), { kind: 'confirm', reason: /confirm_services/, option: 'confirm_services' });
});

t.test('read_only names its option', async (t) => {
  const e = readOnlyDenial();
  t.equal(e.code, 'read_only');
  t.match(e.suggestion, /read_only to false/);
});
