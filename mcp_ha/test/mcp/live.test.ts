// Prompts, completions and live resource subscriptions through the real stack, with the client
// kind of the run (v1: a 2025 session with resources/subscribe; v2: 2026-07-28 with
// subscriptions/listen).
import type { Client as ClientV2 } from '@modelcontextprotocol/client';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import t from 'tap';
import { startStack } from '../helpers/stack.js';

t.test('prompts, completions and subscriptions', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const client = await stack.client();

  t.test('prompts/list and prompts/get', async (t) => {
    const { prompts } = await client.listPrompts();
    t.same(prompts.map((p) => p.name).sort(), ['energy_report', 'troubleshoot_entity', 'whats_on', 'write_automation']);
    const troubleshoot = prompts.find((p) => p.name === 'troubleshoot_entity');
    t.match(troubleshoot?.arguments, [{ name: 'entity_id', required: true }]);
    const got = await client.getPrompt({ name: 'troubleshoot_entity', arguments: { entity_id: 'light.bed_light' } });
    const text = (got.messages[0]?.content as { text: string }).text;
    t.match(text, /light\.bed_light/);
    t.ok(Buffer.byteLength(text) <= 8192, 'bounded');
    const on = await client.getPrompt({ name: 'whats_on', arguments: {} });
    t.match((on.messages[0]?.content as { text: string }).text, /light\./);
    await t.rejects(client.getPrompt({ name: 'troubleshoot_entity', arguments: { entity_id: 'light.bed_lite' } }), { code: -32602, message: /light\.bed_light/ });
    await t.rejects(client.getPrompt({ name: 'nope', arguments: {} }), { code: -32602, message: /troubleshoot_entity/ });
  });

  t.test('completion/complete: prompt arguments and the entity template, typo-tolerant, capped', async (t) => {
    const ids = await client.complete({ ref: { type: 'ref/prompt', name: 'troubleshoot_entity' }, argument: { name: 'entity_id', value: 'light.' } });
    t.ok(ids.completion.values.length > 0 && ids.completion.values.every((v) => v.startsWith('light.')), ids.completion.values.join());
    const typo = await client.complete({ ref: { type: 'ref/resource', uri: 'hass://entity/{entity_id}' }, argument: { name: 'entity_id', value: 'bed_lite' } });
    t.ok(typo.completion.values.includes('light.bed_light'), typo.completion.values.join());
    const all = await client.complete({ ref: { type: 'ref/resource', uri: 'hass://entity/{entity_id}' }, argument: { name: 'entity_id', value: '' } });
    t.equal(all.completion.values.length, 100);
    t.equal(all.completion.hasMore, true);
    const period = await client.complete({ ref: { type: 'ref/prompt', name: 'energy_report' }, argument: { name: 'period', value: 'ye' } });
    t.equal(period.completion.values[0], 'yesterday', period.completion.values.join());
    const long = await client.complete({ ref: { type: 'ref/resource', uri: 'hass://entity/{entity_id}' }, argument: { name: 'entity_id', value: 'x'.repeat(9000) } });
    t.ok(long.completion.values.length <= 100);
  });

  t.test('a subscribed entity sends notifications/resources/updated when it changes, coalesced', async (t) => {
    const uri = 'hass://entity/sensor.outside_temperature';
    const updates: number[] = [];
    const t0 = Date.now();
    if (stack.clientKind === 'v2') {
      const v2 = client as unknown as ClientV2;
      v2.setNotificationHandler('notifications/resources/updated', (n) => {
        if (n.params.uri === uri) updates.push(Date.now() - t0);
      });
      const sub = await v2.listen({ resourceSubscriptions: [uri] });
      t.teardown(() => sub.close());
    } else {
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        if (n.params.uri === uri) updates.push(Date.now() - t0);
      });
      await client.subscribeResource({ uri });
    }
    for (let i = 0; i < 10; i++) stack.sim.home.setState('sensor.outside_temperature', String(10 + i));
    stack.sim.home.setState('sensor.kitchen_none', 'x');
    const deadline = Date.now() + 3000;
    while (updates.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 600));
    t.ok(updates.length >= 1 && updates.length <= 3, `10 quick changes gave ${updates.length} notifications (at most one per 250 ms)`);
    if (updates.length >= 2) t.ok((updates[1] as number) - (updates[0] as number) >= 200, 'spaced by the coalescing interval');
    const read = await client.readResource({ uri });
    t.equal(JSON.parse((read.contents[0] as { text: string }).text).state, '19', 'the last change is what a read sees');
  });

  t.test('too many subscriptions answer a clear error', async (t) => {
    const uris = Array.from({ length: 101 }, (_, i) => `hass://entity/sensor.x${i}`);
    if (stack.clientKind === 'v2') {
      await t.rejects((client as unknown as ClientV2).listen({ resourceSubscriptions: uris }), { message: /at most|may hold 100/ });
    } else {
      const c = await stack.client();
      for (const uri of uris.slice(0, 100)) await c.subscribeResource({ uri });
      await t.rejects(c.subscribeResource({ uri: uris[100] as string }), { message: /100 resource subscriptions/ });
    }
  });
});
