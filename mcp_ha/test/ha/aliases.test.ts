// Entity aliases: Home Assistant's entity registry list does not carry them (as recorded), so the
// client reads them with get_entries, at load and after every entity registry update.
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { haConfig, testClient, until } from './helpers.js';

t.test('aliases come from get_entries, not from the list', async (t) => {
  const sim = await startSimulator({ port: 0, home: 300 });
  const { ha } = testClient(haConfig(sim.url, sim.token));
  t.teardown(async () => {
    await ha.close();
    await sim.close();
  });
  await ha.start();
  await ha.waitReady(10_000);

  const list = (await ha.command({ type: 'config/entity_registry/list' })) as Record<string, unknown>[];
  t.notOk(list.some((e) => 'aliases' in e), 'the list has no aliases, as in real Home Assistant');
  const withAliases = [...ha.cache.entities.values()].filter((e) => (e.aliases ?? []).length > 0);
  t.ok(withAliases.length > 0, `${withAliases.length} generated entities have aliases in the cache`);

  sim.home.updateEntityRegistry('sun.sun', { aliases: ['daystar'] });
  await until(() => (ha.cache.entities.get('sun.sun')?.aliases ?? []).includes('daystar'), 3_000, 'alias after update');
  const after = (await ha.command({ type: 'config/entity_registry/list' })) as Record<string, unknown>[];
  t.notOk(after.find((e) => e.entity_id === 'sun.sun')?.aliases, 'still not in the list after an update');
});
