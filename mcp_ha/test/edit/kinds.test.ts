// Scripts and scenes round-trip through ha_config like automations: created (entity appears),
// run, updated with a diff, deleted after the user said yes in the client (elicitation, or the
// 2026-07-28 input round), the delete undone; undoing a create deletes it again.
import t, { type Test } from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';
import { eventually, type Obj } from '../tools-home/helpers.js';

async function setup(t: Test): Promise<{ stack: Stack; ok: (name: string, args: Obj) => Promise<Obj>; state: (id: string) => Promise<Obj>; asked: string[] }> {
  const stack = await startStack({ options: { toolsets: ['read', 'write', 'config'] } });
  t.teardown(() => stack.close());
  const client = await stack.client(undefined, { capabilities: { elicitation: {} } });
  const asked: string[] = [];
  stack.onElicit(client, async (message) => (asked.push(message), { action: 'accept', content: { confirm: true } }));
  const ok = async (name: string, args: Obj) => {
    const { result, json } = await stack.call(name, args, client);
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(json)}`);
    return json;
  };
  const state = async (id: string) => ((await stack.call('ha_get_state', { entity_id: id }, client)).json.state ?? {}) as Obj;
  return { stack, ok, state, asked };
}

t.test('a script round-trips', async (t) => {
  const { ok, state, asked } = await setup(t);
  const script = { alias: 'Evening lights', sequence: [{ action: 'light.turn_on', target: { entity_id: 'light.ceiling_lights' } }], mode: 'single', icon: 'mdi:weather-night' };
  const created = await ok('ha_config', { kind: 'script', action: 'create', config: script });
  t.match(created, { id: 'evening_lights', entity_id: 'script.evening_lights', state: 'off' }, 'the id from the alias; its entity');
  const got = await ok('ha_config', { kind: 'script', action: 'get', id: 'evening_lights' });
  t.same(got.config, script, 'stored as sent, without an id');

  await ok('ha_call_service', { domain: 'light', service: 'turn_off', entity_id: 'light.ceiling_lights' });
  await ok('ha_call_service', { domain: 'script', service: 'turn_on', entity_id: 'script.evening_lights' });
  await eventually(async () => (await state('light.ceiling_lights')).state === 'on');

  const edited = { ...script, alias: 'Evening lights (dim)', sequence: [{ action: 'light.turn_on', target: { entity_id: 'light.ceiling_lights' }, data: { brightness: 40 } }] };
  const updated = await ok('ha_config', { kind: 'script', action: 'update', id: 'evening_lights', version: got.version, config: edited });
  t.same(updated.diff, ['~ alias: "Evening lights" -> "Evening lights (dim)"', '+ sequence[0].data: {"brightness":40}']);
  await eventually(async () => ((await state('script.evening_lights')).attributes as Obj | undefined)?.friendly_name === 'Evening lights (dim)');

  const deleted = await ok('ha_config', { kind: 'script', action: 'delete', id: 'evening_lights', version: updated.version });
  t.equal(asked.length, 1, 'the user was asked');
  t.match(asked[0], /delete script evening_lights/);
  t.same(deleted.diff, ['- (deleted)']);
  t.same(await state('script.evening_lights'), {});

  const undone = await ok('ha_undo', {});
  t.match(undone, { restored: 1, actions: [{ change: { kind: 'script', id: 'evening_lights', action: 'create', status: 'restored' } }] });
  t.same((await ok('ha_config', { kind: 'script', action: 'get', id: 'evening_lights' })).config, edited);
  await eventually(async () => (await state('script.evening_lights')).state === 'off');
});

t.test('a scene round-trips; undoing its creation deletes it (asking the user)', async (t) => {
  const { ok, state, asked } = await setup(t);
  const scene = { name: 'Movie night', entities: { 'light.ceiling_lights': { state: 'on', brightness: 60 }, 'switch.decorative_lights': 'off' } };
  const created = await ok('ha_config', { kind: 'scene', action: 'create', id: 'movie_night', config: scene });
  t.match(created, { id: 'movie_night', entity_id: 'scene.movie_night', state: 'unknown' });
  const got = await ok('ha_config', { kind: 'scene', action: 'get', id: 'movie_night' });
  t.same(Object.keys(got.config as Obj), ['id', 'name', 'entities'], 'stored as id, name, entities');

  await ok('ha_call_service', { domain: 'switch', service: 'turn_on', entity_id: 'switch.decorative_lights' });
  await ok('ha_call_service', { domain: 'scene', service: 'turn_on', entity_id: 'scene.movie_night' });
  await eventually(async () => (await state('switch.decorative_lights')).state === 'off');
  t.match(await state('light.ceiling_lights'), { state: 'on', attributes: { brightness: 60 } }, 'the scene set its entities');

  const edited = { ...(got.config as Obj), entities: { 'light.ceiling_lights': { state: 'on', brightness: 90 }, 'switch.decorative_lights': 'off' } };
  const updated = await ok('ha_config', { kind: 'scene', action: 'update', id: 'movie_night', version: got.version, config: edited });
  t.same(updated.diff, ['~ entities["light.ceiling_lights"].brightness: 60 -> 90']);

  // Undo the update, then the creation (a delete: the user is asked).
  const first = await ok('ha_undo', { id: updated.audit_id });
  t.match(first, { restored: 1, actions: [{ change: { action: 'update', status: 'restored' } }] });
  t.same((await ok('ha_config', { kind: 'scene', action: 'get', id: 'movie_night' })).config, got.config);
  const second = await ok('ha_undo', { id: created.audit_id });
  t.match(second, { restored: 1, actions: [{ change: { action: 'delete', status: 'restored' } }] });
  t.equal(asked.length, 1);
  t.match(asked[0], /delete scene movie_night/);
  await eventually(async () => Object.keys(await state('scene.movie_night')).length === 0);
});

t.test('an invalid scene or script is refused with usable errors', async (t) => {
  const { stack } = await setup(t);
  const scene = await stack.call('ha_config', { kind: 'scene', action: 'create', config: { name: 'Bad', entities: { 'light.ceiling_lite': 'on' } } });
  t.match(scene.json, { error: 'validation_error', details: { problems: [{ path: 'entities.light.ceiling_lite', closest: ['light.ceiling_lights'] }] } });
  const noEntities = await stack.call('ha_config', { kind: 'scene', action: 'create', config: { name: 'Bad' } });
  t.match(noEntities.json, { error: 'validation_error', details: { problems: [{ path: 'entities', message: /required/ }] } });
  const script = await stack.call('ha_config', { kind: 'script', action: 'create', id: 'bad_one', config: { alias: 'Bad', sequence: [{ not_an_action: 1 }] } });
  t.equal(script.json.error, 'validation_error');
  const res = await fetch(`${stack.sim.url}/api/config/script/config/bad_one`, { headers: { Authorization: `Bearer ${stack.sim.token}` } });
  t.equal(res.status, 404, 'nothing saved');
});
