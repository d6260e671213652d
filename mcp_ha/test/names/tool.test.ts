// ha_names through MCP: remember, list and forget a name the user gives; the errors a model can
// act on; and with learn_names off, nothing learned, stored or answered.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startStack } from '../helpers/stack.js';

type Row = { name: string; entity_id: string; count: number; confidence: number; last_used: string; source: string };

t.test('remember, list and forget', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const names = async (args: Record<string, unknown>) => {
    const { result, json } = await stack.call('ha_names', args);
    t.notOk(result.isError, JSON.stringify(json));
    return json as { names: Row[]; total: number; has_more: boolean };
  };

  t.same(await names({ action: 'list' }), { names: [], total: 0, has_more: false });
  const told = await names({ action: 'remember', name: "Emma's room light", entity_id: 'light.bed_light' });
  t.match(told.names, [{ name: "emma's room light", entity_id: 'light.bed_light', count: 4, confidence: 0.94, source: 'told' }]);
  t.ok(Date.now() - Date.parse(told.names[0]!.last_used) < 60_000, 'last_used is now');
  await names({ action: 'remember', name: 'the heater', entity_id: 'climate.ecobee' });
  await names({ action: 'remember', name: 'heater', entity_id: 'climate.hvac' });

  // A told name leads the search for it, said any way.
  const { json } = await stack.call('ha_search_entities', { query: 'Emmas room lights' });
  t.match((json.results as unknown[])[0], { entity_id: 'light.bed_light', learned: 0.94 });
  const heater = (await stack.call('ha_search_entities', { query: 'heater' })).json.results as { entity_id: string; learned?: number }[];
  t.same(heater.slice(0, 2).map((h) => h.entity_id).sort(), ['climate.ecobee', 'climate.hvac'], 'one name, two entities: both lead');
  t.ok(heater[0]!.learned! < 0.94, 'each with less agreement');

  const all = await names({ action: 'list' });
  t.equal(all.total, 3);
  t.same((await names({ action: 'list', entity_id: 'climate.hvac' })).names.map((r) => r.name), ['the heater'], 'shown as first said');
  t.same((await names({ action: 'list', name: 'The Heater' })).names.map((r) => r.entity_id).sort(), ['climate.ecobee', 'climate.hvac']);

  // forget one entity's use of a name, then a whole name; the answer lists what went.
  const one = await names({ action: 'forget', name: 'heater', entity_id: 'climate.hvac' });
  t.same(one.names.map((r) => r.entity_id), ['climate.hvac']);
  t.same((await names({ action: 'list', name: 'heater' })).names.map((r) => r.entity_id), ['climate.ecobee']);
  const byEntity = await names({ action: 'forget', entity_id: 'light.bed_light' });
  t.equal(byEntity.total, 1);
  t.same((await names({ action: 'list' })).names.map((r) => r.entity_id), ['climate.ecobee']);
  t.equal((await names({ action: 'forget', name: 'nothing like it' })).total, 0, 'forgetting an unknown name forgets nothing');
  const search = (await stack.call('ha_search_entities', { query: "emma's room light" })).json.results as { learned?: number }[];
  t.notOk(search.some((h) => h.learned !== undefined), 'a forgotten name no longer leads');
});

t.test('bad requests get errors that say what to do', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const err = async (args: Record<string, unknown>) => {
    const { result, json } = await stack.call('ha_names', args);
    t.ok(result.isError);
    return json as { error: string; message: string; suggestion: string; details?: { closest?: string[] } };
  };
  t.match(await err({ action: 'remember', name: 'big lamp' }), { error: 'invalid_input', message: /needs name and entity_id/ });
  t.match(await err({ action: 'remember', name: 'big lamp', entity_id: 'light.big_lamp' }), { error: 'entity_not_found', suggestion: /Did you mean/ });
  t.match(await err({ action: 'remember', name: 'the', entity_id: 'light.bed_light' }), { error: 'invalid_input', message: /no name/, suggestion: /at most 6 words/ });
  t.match(await err({ action: 'remember', name: 'one two three four five six seven', entity_id: 'light.bed_light' }), { error: 'invalid_input' });
  t.match(await err({ action: 'remember', name: 'x'.repeat(201), entity_id: 'light.bed_light' }), { error: 'invalid_input', message: /name/ });
  t.match(await err({ action: 'forget' }), { error: 'invalid_input', suggestion: /Give the name/ });
  t.match(await err({ action: 'rename' }), { error: 'invalid_input', message: /action/ });
  t.equal((await stack.call('ha_names', { action: 'list' })).json.total, 0, 'nothing was stored');
});

t.test('learn_names: false learns, stores and answers nothing', async (t) => {
  const stack = await startStack({ options: { learn_names: false } });
  t.teardown(() => stack.close());
  await stack.call('ha_search_entities', { query: 'big lamp' });
  await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.living_room_rgbww_lights' });
  await stack.call('ha_get_state', { entity_id: 'light.reading_lamp' });
  await stack.call('ha_get_state', { entity_id: 'light.office_rgbw_lights' });
  const results = (await stack.call('ha_search_entities', { query: 'big lamp' })).json.results as { entity_id: string; learned?: number }[];
  t.not(results[0]?.entity_id, 'light.living_room_rgbww_lights');
  t.notOk(results.some((h) => h.learned !== undefined));
  const miss = await stack.call('ha_get_state', { entity_id: 'light.reading_lamp' });
  t.not((miss.json.details as { closest: string[] }).closest[0], 'light.office_rgbw_lights');
  const { result, json } = await stack.call('ha_names', { action: 'remember', name: 'big lamp', entity_id: 'light.bed_light' });
  t.ok(result.isError);
  t.match(json, { error: 'policy_denied', message: /learn_names: false/, details: { option: 'learn_names' } });
  t.notOk((await stack.call('ha_overview')).json.names);
  t.notOk(existsSync(join(stack.deps.config.dataDir, 'names')), 'no file in the data folder');
});
