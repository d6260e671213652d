// Registry edits through MCP against the simulator: rename an entity and put it in an area (the
// live cache and ha_list_entities by area follow), a device to an area, areas, floors and labels
// created, renamed and deleted (with confirmation); each undone with ha_undo; read-only refuses.
import t from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';

const CONFIG_ON = { toolsets: ['read', 'write', 'admin', 'config'] as ('read' | 'write' | 'admin' | 'config')[], confirmation_timeout_seconds: 30 };
const cfg = (stack: Stack, args: Record<string, unknown>) => stack.call('ha_config', args);
const token = (json: Record<string, unknown>): string => (json.details as { confirm_token: string }).confirm_token;

async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`timed out: ${what}`);
}

t.test('entity: rename and area, icon, aliases, labels, disable; the cache follows; undone', async (t) => {
  const stack = await startStack({ options: CONFIG_ON });
  t.teardown(() => stack.close());
  const cache = stack.deps.ha.cache;
  const got = await cfg(stack, { kind: 'entity', action: 'get', id: 'light.bed_light' });
  t.same(got.json.config, { name: null, area_id: null, icon: null, aliases: [], labels: [], disabled_by: null });
  const upd = await cfg(stack, {
    kind: 'entity', action: 'update', id: 'light.bed_light', version: got.json.version,
    config: { name: 'Reading lamp', area_id: 'kitchen', icon: 'mdi:lamp', aliases: ['bedside'], labels: [], disabled_by: null },
  });
  t.notOk(upd.result.isError, JSON.stringify(upd.json));
  t.match((upd.json.diff as string[]).join('\n'), /area_id/);
  t.equal(cache.entities.get('light.bed_light')?.area_id, 'kitchen', 'the live cache has it when the answer comes');
  t.equal(stack.sim.home.getState('light.bed_light')?.attributes.friendly_name, 'Reading lamp');
  const inKitchen = await stack.call('ha_list_entities', { area: 'kitchen', detail: 'summary' });
  t.ok((inKitchen.json.entities as { entity_id: string }[]).some((e) => e.entity_id === 'light.bed_light'), 'the tools see it in its new area');

  const badArea = await cfg(stack, { kind: 'entity', action: 'update', id: 'light.bed_light', version: upd.json.version, config: { area_id: 'kitchn' } });
  t.match(badArea.json, { error: 'validation_error', details: { problems: [{ path: 'area_id', closest: ['kitchen'] }] } });
  const noCreate = await cfg(stack, { kind: 'entity', action: 'create', id: 'light.x', config: {} });
  t.match(noCreate.json, { error: 'invalid_input' });

  const undo = await stack.call('ha_undo', { id: upd.json.audit_id });
  t.match(undo.json, { restored: 1, not_restored: 0 });
  await until(() => cache.entities.get('light.bed_light')?.area_id === null, 'area back');
  t.same((await cfg(stack, { kind: 'entity', action: 'get', id: 'light.bed_light' })).json.config, got.json.config);

  const dis = await cfg(stack, { kind: 'entity', action: 'update', id: 'light.bed_light', version: got.json.version, config: { ...(got.json.config as object), disabled_by: 'user' } });
  t.notOk(dis.result.isError, JSON.stringify(dis.json));
  t.equal(cache.entities.get('light.bed_light')?.disabled_by, 'user');
  await stack.call('ha_undo', { id: dis.json.audit_id });
  await until(() => cache.entities.get('light.bed_light')?.disabled_by === null, 'enabled again');
});

t.test('device to an area; area, floor and label create, rename, delete (confirmed); undone', async (t) => {
  const stack = await startStack({ options: CONFIG_ON });
  t.teardown(() => stack.close());
  const cache = stack.deps.ha.cache;

  const floor = await cfg(stack, { kind: 'floor', action: 'create', config: { name: 'Upstairs', level: 1 } });
  t.match(floor.json, { id: 'upstairs' }, JSON.stringify(floor.json));
  const area = await cfg(stack, { kind: 'area', action: 'create', config: { name: 'Guest room', floor_id: 'upstairs', icon: 'mdi:bed' } });
  t.match(area.json, { id: 'guest_room' }, JSON.stringify(area.json));
  t.equal(cache.areas.get('guest_room')?.floor_id, 'upstairs', 'the cache has the new area');
  const label = await cfg(stack, { kind: 'label', action: 'create', config: { name: 'Energy', color: 'green' } });
  t.match(label.json, { id: 'energy' });

  const device = [...cache.devices.values()].find((d) => !d.area_id)!;
  const dget = await cfg(stack, { kind: 'device', action: 'get', id: device.id });
  const dupd = await cfg(stack, { kind: 'device', action: 'update', id: device.id, version: dget.json.version, config: { ...(dget.json.config as object), area_id: 'guest_room' } });
  t.notOk(dupd.result.isError, JSON.stringify(dupd.json));
  t.equal(cache.devices.get(device.id)?.area_id, 'guest_room');
  t.equal(stack.sim.home.registryEntry('device', device.id)?.area_id, 'guest_room');

  const aget = await cfg(stack, { kind: 'area', action: 'get', id: 'guest_room' });
  const renamed = await cfg(stack, { kind: 'area', action: 'update', id: 'guest_room', version: aget.json.version, config: { ...(aget.json.config as object), name: 'Spare room' } });
  t.match((renamed.json.diff as string[]).join('\n'), /Spare room/);
  t.equal(cache.areas.get('guest_room')?.name, 'Spare room');

  // Delete the label with confirmation, undo brings it back with its id.
  const lget = await cfg(stack, { kind: 'label', action: 'get', id: 'energy' });
  const ask = await cfg(stack, { kind: 'label', action: 'delete', id: 'energy', version: lget.json.version });
  t.match(ask.json, { error: 'confirmation_required' });
  t.ok(cache.labels.has('energy'), 'not deleted before the yes');
  const del = await cfg(stack, { kind: 'label', action: 'delete', id: 'energy', version: lget.json.version, confirm_token: token(ask.json) });
  t.notOk(del.result.isError, JSON.stringify(del.json));
  t.notOk(cache.labels.has('energy'));
  const back = await stack.call('ha_undo', { id: del.json.audit_id });
  t.match(back.json, { restored: 1 }, JSON.stringify(back.json));
  await until(() => cache.labels.get('energy')?.color === 'green', 'label back');

  // The area: rename undone, then delete undone (same id, its name and floor).
  t.match((await stack.call('ha_undo', { id: renamed.json.audit_id })).json, { restored: 1 });
  await until(() => cache.areas.get('guest_room')?.name === 'Guest room', 'name back');
  const a2 = await cfg(stack, { kind: 'area', action: 'get', id: 'guest_room' });
  const ask2 = await cfg(stack, { kind: 'area', action: 'delete', id: 'guest_room', version: a2.json.version });
  const del2 = await cfg(stack, { kind: 'area', action: 'delete', id: 'guest_room', version: a2.json.version, confirm_token: token(ask2.json) });
  t.notOk(del2.result.isError, JSON.stringify(del2.json));
  await until(() => !cache.areas.has('guest_room'), 'area gone');
  t.match((await stack.call('ha_undo', { id: del2.json.audit_id })).json, { restored: 1 });
  await until(() => cache.areas.get('guest_room')?.floor_id === 'upstairs', 'area back on its floor');
  t.equal(cache.areas.get('guest_room')?.name, 'Guest room');

  // Device back to no area.
  t.match((await stack.call('ha_undo', { id: dupd.json.audit_id })).json, { restored: 1 });
  await until(() => !cache.devices.get(device.id)?.area_id, 'device area back');

  const unknown = await cfg(stack, { kind: 'floor', action: 'get', id: 'cellar' });
  t.match(unknown.json, { error: 'not_found' });
});

t.test('registry: read-only refuses', async (t) => {
  const stack = await startStack({ options: { ...CONFIG_ON, read_only: true } });
  t.teardown(() => stack.close());
  const r = await cfg(stack, { kind: 'area', action: 'create', config: { name: 'Nope' } });
  t.match(r.json, { error: 'read_only' });
  t.notOk(stack.deps.ha.cache.areas.has('nope'));
  const list = await cfg(stack, { kind: 'area', action: 'list' });
  t.ok((list.json.total as number) > 0, 'reads still work');
});

t.test('a caller with a non-admin Home Assistant token cannot edit through the service\'s connection', async (t) => {
  const stack = await startStack({ options: CONFIG_ON });
  t.teardown(() => stack.close());
  const NON_ADMIN = 'non-admin-user-token-registry-0123';
  stack.sim.addToken(NON_ADMIN, { id: 'user-2', name: 'Plain User', is_admin: false });
  const client = await stack.client(NON_ADMIN);
  const r = await stack.call('ha_config', { kind: 'area', action: 'create', config: { name: 'Sneaky' } }, client);
  t.match(r.json, { error: 'forbidden', message: /administrators/ });
  t.notOk(stack.deps.ha.cache.areas.has('sneaky'));
  const got = await stack.call('ha_config', { kind: 'entity', action: 'get', id: 'light.bed_light' }, client);
  t.notOk(got.result.isError, 'reading is fine');
  const admin = await stack.call('ha_config', { kind: 'area', action: 'create', config: { name: 'Allowed' } });
  t.notOk(admin.result.isError, 'the API key (the service) may');
});
