// Learning the household's names through MCP against the simulator: a search for a name and the
// action that follows teach it, a later search ranks it first with a learned score, a correction
// lowers it, an unknown entity_id's name learns from the read that follows and is suggested next
// time, and the overview lists the most used names.
import t from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';

type Hit = { entity_id: string; score: number; learned?: number };
const LAMP = 'light.living_room_rgbww_lights';

async function search(stack: Stack, query: string, client?: Awaited<ReturnType<Stack['client']>>): Promise<Hit[]> {
  const { result, json } = await stack.call('ha_search_entities', { query }, client);
  if (result.isError) throw new Error(JSON.stringify(json));
  return json.results as Hit[];
}

async function turnOn(stack: Stack, entityId: string, client?: Awaited<ReturnType<Stack['client']>>): Promise<void> {
  const { result, json } = await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: entityId }, client);
  if (result.isError) throw new Error(JSON.stringify(json));
}

const learnedNames = async (stack: Stack, name: string) =>
  (await stack.call('ha_names', { action: 'list', name })).json.names as { entity_id: string; count: number; confidence: number; source: string }[];

t.test('a search followed by an action teaches a name; a correction lowers it', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  const first = await stack.client();
  const before = await search(stack, 'big lamp', first);
  t.not(before[0]?.entity_id, LAMP, 'the plain search does not know the name');
  t.notOk(before.some((h) => h.learned !== undefined), 'nothing learned yet');
  await turnOn(stack, LAMP, first);

  const later = await stack.client();
  const after = await search(stack, 'the big lamp', later);
  t.equal(after[0]?.entity_id, LAMP, 'a later session finds it first');
  t.equal(after[0]?.learned, 0.5, 'with a learned confidence (one use)');
  t.equal(after[0]?.score, 0.75, 'and a score that reflects it');
  t.ok(after.slice(1).every((h) => h.score <= 0.75 && h.learned === undefined), 'the plain matches follow, scored no higher');
  t.match(await learnedNames(stack, 'big lamp'), [{ entity_id: LAMP, count: 1, confidence: 0.5, source: 'search' }]);

  // Used again: stronger. The same entity read and acted on in one episode counts once.
  await search(stack, 'big lamp', later);
  await stack.call('ha_get_state', { entity_id: LAMP }, later);
  await turnOn(stack, LAMP, later);
  const twice = await search(stack, 'big lamp', later);
  t.equal(twice[0]?.entity_id, LAMP);
  t.equal(twice[0]?.learned, 0.75, 'two uses');

  // A correction: right after acting on the lamp for "big lamp", the model turns on another light.
  const third = await stack.client();
  await search(stack, 'big lamp', third);
  await turnOn(stack, LAMP, third);
  await turnOn(stack, 'light.bed_light', third);
  const rows = await learnedNames(stack, 'big lamp');
  const lamp = rows.find((r) => r.entity_id === LAMP);
  t.equal(lamp?.count, 1.5, 'the first entity is lowered (3 uses halved)');
  t.match(rows.find((r) => r.entity_id === 'light.bed_light'), { count: 1, source: 'search' }, 'the corrected one is learned');
  const corrected = await search(stack, 'big lamp', third);
  const lampHit = corrected.find((h) => h.entity_id === LAMP);
  t.ok(lampHit?.learned !== undefined && lampHit.learned < 0.75, `the lamp's confidence went down (${lampHit?.learned})`);
  t.ok(corrected.slice(0, 2).every((h) => h.learned !== undefined), 'both learned entities lead');

  // Reading something else, or acting on another domain, is no correction.
  await search(stack, 'big lamp', third);
  await turnOn(stack, LAMP, third);
  await stack.call('ha_get_state', { entity_id: 'light.bed_light' }, third);
  await stack.call('ha_call_service', { domain: 'switch', service: 'turn_on', entity_id: 'switch.decorative_lights' }, third);
  t.equal((await learnedNames(stack, 'big lamp')).find((r) => r.entity_id === LAMP)?.count, 2.5, 'one more use, nothing lowered');

  // A domain's name is no household name.
  await search(stack, 'lights', third);
  await turnOn(stack, 'light.kitchen_lights', third);
  t.same(await learnedNames(stack, 'lights'), [], '"lights" is not learned');
});

t.test('an unknown entity_id learns from the read that follows and suggests it next time', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const miss = await stack.call('ha_get_state', { entity_id: 'light.reading_lamp' });
  t.equal(miss.json.error, 'entity_not_found');
  const plain = (miss.json.details as { closest: string[] }).closest;
  t.same(plain, ['light.bed_light', 'light.ceiling_lights', 'light.kitchen_lights'], 'the plain suggestions');
  // A read of an entity the answer did not suggest is a look around, not the name's entity.
  t.notOk((await stack.call('ha_get_state', { entity_id: 'light.office_rgbw_lights' })).result.isError);
  t.same(await learnedNames(stack, 'reading lamp'), []);
  t.notOk((await stack.call('ha_get_state', { entity_id: 'light.kitchen_lights' })).result.isError);

  const again = await stack.call('ha_get_state', { entity_id: 'light.reading_lamp' });
  t.equal((again.json.details as { closest: string[] }).closest[0], 'light.kitchen_lights', 'the learned entity is suggested first');
  t.match(again.json.suggestion, /Did you mean light\.kitchen_lights, light\.bed_light/);
  t.match(await learnedNames(stack, 'reading lamp'), [{ entity_id: 'light.kitchen_lights', source: 'lookup' }]);

  // Through a write: an unknown id in ha_call_service, then the call on the right one.
  const bad = await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.sofa_lamp' });
  t.equal(bad.json.error, 'entity_not_found');
  await turnOn(stack, 'light.ceiling_lights');
  t.match(await learnedNames(stack, 'sofa lamp'), [{ entity_id: 'light.ceiling_lights', source: 'lookup' }]);
  const search2 = await search(stack, 'sofa lamp');
  t.equal(search2[0]?.entity_id, 'light.ceiling_lights', 'and the search knows it too');
});

t.test('the overview lists the most used names compactly', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  t.notOk((await stack.call('ha_overview')).json.names, 'no names, no field');
  await stack.call('ha_names', { action: 'remember', name: 'the heater', entity_id: 'climate.ecobee' });
  await search(stack, 'big lamp');
  await turnOn(stack, LAMP);
  const { json } = await stack.call('ha_overview');
  t.same(json.names, { 'the heater': 'climate.ecobee', 'big lamp': LAMP }, 'strongest first');
});
