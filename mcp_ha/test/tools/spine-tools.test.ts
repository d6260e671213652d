// The first five tools through MCP against the simulator's demo home.
import t from 'tap';
import { startStack } from '../helpers/stack.js';

t.test('spine tools', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  t.test('ha_list_states filters and paginates', async (t) => {
    const { json } = await stack.call('ha_list_states', { domain: 'light', limit: 2 });
    const states = json.states as { entity_id: string }[];
    t.equal(states.length, 2);
    t.ok(states.every((s) => s.entity_id.startsWith('light.')));
    t.equal(json.has_more, true);
    t.ok((json.total as number) > 2);
    const rest = await stack.call('ha_list_states', { domain: 'light', limit: 100, offset: 2 });
    t.equal((rest.json.states as unknown[]).length, (json.total as number) - 2);
    t.equal(rest.json.has_more, false);
    const few = await stack.call('ha_list_states', { entity_ids: ['light.bed_light', 'sun.sun'] });
    t.same((few.json.states as { entity_id: string }[]).map((s) => s.entity_id), ['light.bed_light', 'sun.sun']);
  });

  t.test('ha_get_state: found, and an unknown id names the closest', async (t) => {
    const ok = await stack.call('ha_get_state', { entity_id: 'light.bed_light' });
    t.equal((ok.json.state as any).entity_id, 'light.bed_light');
    t.equal(ok.json.stale, false);
    const miss = await stack.call('ha_get_state', { entity_id: 'light.bed_lite' });
    t.equal(miss.result.isError, true);
    t.equal(miss.json.error, 'entity_not_found');
    t.equal(miss.json.status_code, 404);
    t.ok(((miss.json.details as any).closest as string[]).includes('light.bed_light'));
    t.match(miss.json.suggestion, /light\.bed_light/);
    const bad = await stack.call('ha_get_state', { entity_id: 'Bed Light' });
    t.equal(bad.json.error, 'invalid_input');
  });

  t.test('ha_list_services: compact, full, unknown', async (t) => {
    const all = await stack.call('ha_list_services', { limit: 1000 });
    const light = (all.json.domains as any[]).find((d) => d.domain === 'light');
    const turnOn = light.services.find((s: any) => s.service === 'turn_on');
    t.ok(turnOn.fields.includes('brightness'));
    t.equal(all.json.has_more, false);
    const full = await stack.call('ha_list_services', { domain: 'light', service: 'turn_on' });
    t.ok((full.json.service as any).fields.brightness_pct.selector, 'full details carry selectors');
    const weather = await stack.call('ha_list_services', { domain: 'weather' });
    t.equal((weather.json.domains as any[])[0].services.find((s: any) => s.service === 'get_forecasts').response, 'only');
    const unknown = await stack.call('ha_list_services', { domain: 'light', service: 'explode' });
    t.equal(unknown.json.error, 'service_not_found');
    t.match(unknown.json.suggestion, /turn_on/);
    const noDomain = await stack.call('ha_list_services', { domain: 'warp_drive' });
    t.equal(noDomain.json.error, 'service_not_found');
    t.match(noDomain.json.suggestion, /light/);
  });

  t.test('ha_call_service changes the home and reports the changed states', async (t) => {
    const { json, result } = await stack.call('ha_call_service', {
      domain: 'light', service: 'turn_on', entity_id: 'light.ceiling_lights', service_data: { brightness: 42 },
    });
    t.notOk(result.isError, JSON.stringify(json));
    t.equal(json.service, 'light.turn_on');
    const changed = (json.changed_states as any[]).find((s) => s.entity_id === 'light.ceiling_lights');
    t.equal(changed?.attributes.brightness, 42);
    t.equal(stack.sim.home.getState('light.ceiling_lights')?.attributes.brightness, 42);
    const viaTarget = await stack.call('ha_call_service', { domain: 'light', service: 'turn_off', target: { entity_id: ['light.ceiling_lights'] } });
    t.notOk(viaTarget.result.isError, JSON.stringify(viaTarget.json));
    t.equal(stack.sim.home.getState('light.ceiling_lights')?.state, 'off');
  });

  t.test('ha_call_service errors say what to do', async (t) => {
    const svc = await stack.call('ha_call_service', { domain: 'light', service: 'explode', entity_id: 'light.bed_light' });
    t.equal(svc.json.error, 'service_not_found');
    t.match(svc.json.suggestion, /turn_on/);
    const ent = await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.kitchen_light' });
    t.equal(ent.json.error, 'entity_not_found');
    t.match(ent.json.suggestion, /light\.kitchen_lights/);
    const data = await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.bed_light', service_data: { brightness: 'bright' } });
    t.equal(data.result.isError, true);
    t.equal(data.json.error, 'validation_error');
  });

  t.test('ha_render_template renders through Home Assistant', async (t) => {
    const ok = await stack.call('ha_render_template', { template: "{{ states('sun.sun') }} / {{ states.light | list | count > 0 }}" });
    t.notOk(ok.result.isError, JSON.stringify(ok.json));
    t.match(ok.json.result, /^(above_horizon|below_horizon) \/ True$/);
    const bad = await stack.call('ha_render_template', { template: '{% if %}' });
    t.equal(bad.json.error, 'template_error');
    t.match(bad.json.message, /TemplateSyntaxError/);
  });
});
