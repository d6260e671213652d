// Sharing a household name with Assist through MCP against the simulator: a sure name is
// proposed as an alias, a human confirms (a confirm_token, or the client's elicitation), the
// alias is in the simulator's entity registry, the audit log has the change, ha_undo takes it
// back; unsure names, a decline and read_only write nothing.
import t from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';

const LAMP = 'light.living_room_rgbww_lights';

/** The entity's aliases as the simulator's entity registry has them (config/entity_registry/get). */
const aliases = async (stack: Stack, entityId = LAMP) =>
  ((await stack.deps.ha.command({ type: 'config/entity_registry/get', entity_id: entityId })) as { aliases: (string | null)[] }).aliases;

t.test('a sure name becomes an Assist alias once confirmed, and ha_undo takes it back', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const before = await aliases(stack);
  await stack.call('ha_names', { action: 'remember', name: 'The big lamp', entity_id: LAMP });

  const ask = await stack.call('ha_names', { action: 'share', name: 'big lamp', entity_id: LAMP });
  t.ok(ask.result.isError);
  t.match(ask.json, { error: 'confirmation_required', details: { rule: 'confirmation', reason: /Assist/, question: /Add "the big lamp" as an alias of light\.living_room_rgbww_lights/ } });
  t.same(await aliases(stack), before, 'nothing written before the confirmation');

  const token = (ask.json.details as { confirm_token: string }).confirm_token;
  const done = await stack.call('ha_names', { action: 'share', name: 'big lamp', entity_id: LAMP, confirm_token: token });
  t.notOk(done.result.isError, JSON.stringify(done.json));
  t.match(done.json, { names: [{ name: 'the big lamp', entity_id: LAMP }], audit_id: String });
  t.same(await aliases(stack), [...before, 'the big lamp'], 'the alias is in the entity registry');

  const log = (await stack.call('ha_audit_log', { limit: 5 })).json.records as { id: string; service: string; outcome: string }[];
  t.match(log.find((r) => r.id === done.json.audit_id), { service: 'config.entity_alias_add', outcome: 'success' }, 'in ha_audit_log');
  const record = (await stack.deps.audit.readAll()).find((r) => r.id === done.json.audit_id);
  t.match(record, { outcome: 'success', tool: 'ha_names', confirmed_by: 'token', change: { kind: 'entity_alias', id: LAMP, before: { aliases: before }, after: { aliases: [...before, 'the big lamp'] } } });

  // Shared again: the alias is there already, nothing added.
  const again = await stack.call('ha_names', { action: 'share', name: 'big lamp', entity_id: LAMP });
  const token2 = (again.json.details as { confirm_token: string }).confirm_token;
  t.notOk((await stack.call('ha_names', { action: 'share', name: 'big lamp', entity_id: LAMP, confirm_token: token2 })).result.isError);
  t.same(await aliases(stack), [...before, 'the big lamp'], 'not twice');

  const undone = await stack.call('ha_undo', { id: done.json.audit_id });
  t.notOk(undone.result.isError, JSON.stringify(undone.json));
  t.match(undone.json, { restored: 1, not_restored: 0, actions: [{ id: done.json.audit_id, change: { kind: 'entity_alias', id: LAMP, status: 'restored', audit_ids: [String] } }] });
  t.same(await aliases(stack), before, 'the alias is gone again');
  const restore = (await stack.deps.audit.readAll()).find((r) => r.undo_of?.includes(String(done.json.audit_id)));
  t.match(restore, { outcome: 'success', tool: 'ha_undo', service: 'config.entity_alias_restore' });
  const twice = await stack.call('ha_undo', { id: done.json.audit_id });
  t.match(twice.json, { error: 'invalid_input', message: /already undone/ }, 'undone once only');
});

t.test('the human confirms in the client; a decline writes nothing', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const client = await stack.client(undefined, { capabilities: { elicitation: {} } });
  let answer: 'accept' | 'decline' = 'decline';
  const asked: string[] = [];
  stack.onElicit(client, async (message) => (asked.push(message), answer === 'accept' ? { action: answer, content: { confirm: true } } : { action: answer }));
  const before = await aliases(stack, 'climate.ecobee');
  await stack.call('ha_names', { action: 'remember', name: 'the heater', entity_id: 'climate.ecobee' }, client);

  const declined = await stack.call('ha_names', { action: 'share', name: 'heater', entity_id: 'climate.ecobee' }, client);
  t.ok(declined.result.isError);
  t.same(await aliases(stack, 'climate.ecobee'), before, 'declined: nothing written');
  answer = 'accept';
  const accepted = await stack.call('ha_names', { action: 'share', name: 'heater', entity_id: 'climate.ecobee' }, client);
  t.notOk(accepted.result.isError, JSON.stringify(accepted.json));
  t.match(asked.at(-1), /Add "the heater" as an alias of climate\.ecobee/);
  t.same(await aliases(stack, 'climate.ecobee'), [...before, 'the heater']);
  t.match((await stack.deps.audit.readAll()).find((r) => r.id === accepted.json.audit_id), { confirmed_by: 'elicitation' });
});

t.test('unsure names, unknown entities and read_only are refused', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  await stack.call('ha_search_entities', { query: 'big lamp' });
  await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: LAMP });
  const unsure = await stack.call('ha_names', { action: 'share', name: 'big lamp', entity_id: LAMP });
  t.match(unsure.json, { error: 'validation_error', message: /not sure enough for light\.living_room_rgbww_lights to share \(confidence 0\.5, needs 0\.7\)/, suggestion: /remember it first/ });
  t.match((await stack.call('ha_names', { action: 'share', name: 'sofa', entity_id: LAMP })).json, { error: 'validation_error', message: /confidence 0,/ });
  t.match((await stack.call('ha_names', { action: 'share', name: 'big lamp', entity_id: 'light.nope' })).json, { error: 'entity_not_found' });
  t.match((await stack.call('ha_names', { action: 'share', name: 'big lamp' })).json, { error: 'invalid_input', message: /share needs name and entity_id/ });
  await stack.call('ha_names', { action: 'remember', name: 'the sun', entity_id: 'sun.sun' });
  const noEntry = await stack.call('ha_names', { action: 'share', name: 'the sun', entity_id: 'sun.sun' });
  t.match(noEntry.json, { error: 'validation_error', message: /sun\.sun has no entity registry entry/, suggestion: /Keep the name here/ }, 'refused before anyone is asked');

  const ro = await startStack({ sim: stack.sim, options: { read_only: true } });
  t.teardown(() => ro.close());
  const before = await aliases(ro);
  await ro.call('ha_names', { action: 'remember', name: 'the big lamp', entity_id: LAMP });
  const refused = await ro.call('ha_names', { action: 'share', name: 'big lamp', entity_id: LAMP });
  t.match(refused.json, { error: 'read_only' });
  t.same(await aliases(ro), before);
});
