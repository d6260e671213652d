// The zod-checked wrappers for helpers, registries and Lovelace, through the Home Assistant
// client against the simulator: answers parsed, Home Assistant's errors mapped, the cache follows.
import t from 'tap';
import { AppError } from '../../src/errors.js';
import { createHelper, deleteHelper, listHelpers, updateHelper } from '../../src/edit/helperApi.js';
import { readDashboardConfig, saveDashboardConfig, createDashboard, deleteDashboard, listDashboards, deleteDashboardConfig } from '../../src/edit/lovelaceApi.js';
import { createNamed, deleteNamed, getEntityEntry, updateDeviceEntry, updateEntityEntry, updateNamed } from '../../src/edit/registryApi.js';
import { startSimulator } from '../../sim/server.js';
import { haConfig, testClient, until } from '../ha/helpers.js';

const sim = await startSimulator({ port: 0 });
const { ha } = testClient(haConfig(sim.url, sim.token));
await ha.start();
t.teardown(async () => {
  await ha.close();
  await sim.close();
});

const code = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'none';
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
};

t.test('helpers: create, update, list, delete; errors mapped', async (t) => {
  const item = await createHelper(ha, 'counter', { name: 'Visits' });
  t.same(item, { id: 'visits', name: 'Visits', minimum: null, initial: 0, step: 1, restore: true, maximum: null });
  await until(() => ha.cache.getState('counter.visits') !== undefined);
  t.equal((await updateHelper(ha, 'counter', 'visits', { name: 'Guests', step: 2 })).name, 'Guests');
  t.same((await listHelpers(ha, 'counter')).map((h) => h.id), ['visits']);
  t.equal(await code(createHelper(ha, 'input_number', { name: 'x', max: 1 })), 'validation_error');
  t.equal(await code(updateHelper(ha, 'counter', 'nope', { name: 'x' })), 'not_found');
  await deleteHelper(ha, 'counter', 'visits');
  t.equal(await code(deleteHelper(ha, 'counter', 'visits')), 'not_found', 'the first of the two answers counts');
  await until(() => ha.cache.getState('counter.visits') === undefined);
});

t.test('registries: entity rename and area, device area, area/floor/label lifecycle; the cache follows', async (t) => {
  const e = await updateEntityEntry(ha, 'light.bed_light', { name: 'Bed lamp', area_id: 'kitchen', aliases: ['reading light'] });
  t.match(e, { entity_id: 'light.bed_light', name: 'Bed lamp', area_id: 'kitchen', aliases: ['reading light'] });
  t.same((await getEntityEntry(ha, 'light.bed_light')).aliases, ['reading light']);
  await until(() => ha.cache.entities.get('light.bed_light')?.area_id === 'kitchen');
  t.equal(await code(updateEntityEntry(ha, 'light.nope', { name: 'x' })), 'not_found');
  const device = [...ha.cache.devices.values()][0]!;
  t.equal((await updateDeviceEntry(ha, device.id, { area_id: 'bedroom' })).area_id, 'bedroom');
  await until(() => ha.cache.devices.get(device.id)?.area_id === 'bedroom');
  const floor = await createNamed(ha, 'floor', { name: 'Upstairs', level: 1 });
  t.equal(floor.floor_id, 'upstairs');
  const area = await createNamed(ha, 'area', { name: 'Attic', floor_id: 'upstairs' });
  await until(() => ha.cache.areas.get('attic')?.floor_id === 'upstairs');
  t.equal((await updateNamed(ha, 'area', String(area.area_id), { name: 'Loft' })).name, 'Loft');
  await until(() => ha.cache.areas.get('attic')?.name === 'Loft');
  const label = await createNamed(ha, 'label', { name: 'Energy', color: 'green' });
  await deleteNamed(ha, 'label', String(label.label_id));
  t.equal(await code(deleteNamed(ha, 'label', String(label.label_id))), 'validation_error');
  await deleteNamed(ha, 'area', 'attic');
  await deleteNamed(ha, 'floor', 'upstairs');
  await until(() => !ha.cache.areas.has('attic') && !ha.cache.floors.has('upstairs'));
});

t.test('lovelace: dashboards and configs; no config is null, an unknown dashboard not_found', async (t) => {
  t.same((await listDashboards(ha)).map((d) => d.url_path), ['map']);
  t.equal(await readDashboardConfig(ha, null), null);
  t.equal(await code(readDashboardConfig(ha, 'no-such')), 'not_found');
  const d = await createDashboard(ha, { url_path: 'energy-board', title: 'Energy' });
  t.equal(d.id, 'energy_board');
  const config = { views: [{ title: 'Power', path: 'power', cards: [] }] };
  await saveDashboardConfig(ha, 'energy-board', config);
  t.same(await readDashboardConfig(ha, 'energy-board'), config);
  await deleteDashboardConfig(ha, 'energy-board');
  t.equal(await readDashboardConfig(ha, 'energy-board'), null);
  t.equal(await code(createDashboard(ha, { url_path: 'nohyphen', title: 'x' })), 'validation_error');
  await deleteDashboard(ha, 'energy_board');
  t.equal(await code(deleteDashboard(ha, 'energy_board')), 'not_found');
});
