// Long history calls: a client that asked for progress (a progressToken) hears how far the call is,
// one notification per group of entities read, and a cancelled call stops reading Home Assistant.
// On a 2,000-entity home, through MCP (v1 client: its callTool takes onprogress and a signal).
import t from 'tap';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startStack } from '../helpers/stack.js';

const stack = await startStack({ home: 2000 });
t.teardown(() => stack.close());
const ids = [...stack.deps.ha.cache.states()]
  .map((s) => s.entity_id)
  .filter((id) => id.startsWith('sensor.') || id.startsWith('light.'))
  .slice(0, 50);

// Count the history commands the server sends (a spy around the real client's command()).
const ha = stack.deps.ha as { command: (msg: Record<string, unknown>, opts?: unknown) => Promise<unknown> };
const real = ha.command.bind(ha);
let historyCommands = 0;
ha.command = (msg, opts) => {
  if (msg.type === 'history/history_during_period') historyCommands++;
  return real(msg, opts);
};

t.test('progress: one notification per 10 entities, the last one complete', async (t) => {
  t.equal(ids.length, 50);
  const client = await stack.client();
  const seen: { progress: number; total?: number; message?: string }[] = [];
  historyCommands = 0;
  const result = await client.callTool({ name: 'ha_history', arguments: { entity_ids: ids, start: '-24h' } }, CallToolResultSchema, {
    onprogress: (p) => seen.push(p),
  });
  t.notOk(result.isError, 'the history is answered');
  t.equal(historyCommands, 5, 'five commands of 10 entities');
  t.same(
    seen.map((p) => [p.progress, p.total]),
    [10, 20, 30, 40, 50].map((n) => [n, 50]),
    'progress 10..50 of 50',
  );
  t.match(seen.at(-1)?.message, /history of 50 of 50 entities read/);
});

t.test('no progressToken, no notifications; few entities, one command', async (t) => {
  const client = await stack.client();
  historyCommands = 0;
  const r = await client.callTool({ name: 'ha_history', arguments: { entity_ids: ids.slice(0, 5), start: '-24h' } });
  t.notOk(r.isError);
  t.equal(historyCommands, 1);
});

t.test('a cancelled call stops reading Home Assistant', async (t) => {
  const client = await stack.client();
  stack.sim.faults.setLatency(400);
  t.teardown(() => stack.sim.faults.setLatency(0));
  historyCommands = 0;
  const abort = new AbortController();
  const call = client.callTool({ name: 'ha_history', arguments: { entity_ids: ids, start: '-24h' } }, CallToolResultSchema, {
    signal: abort.signal,
    onprogress: () => abort.abort(),
  });
  await t.rejects(call, 'the client gives up');
  // Five groups at 400 ms each would take 2 s: wait that long and count what was asked.
  await new Promise((r) => setTimeout(r, 2500));
  t.ok(historyCommands <= 2, `${historyCommands} of 5 history commands sent before the cancellation was seen`);
  stack.sim.faults.setLatency(0);
  const after = await client.callTool({ name: 'ha_get_state', arguments: { entity_id: ids[0] } });
  t.notOk(after.isError, 'the server answers the next call');
});
