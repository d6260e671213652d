// Defects a single client could use against everyone (issue: hardening under load and hostile
// input): servers released on every path, batch and answer limits, readable -32602 for bad params.
import t from 'tap';
import { homeLive } from '../../src/home/live.js';
import { API_KEY, startStack } from '../helpers/stack.js';

const headers = (extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${API_KEY}`,
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  ...extra,
});
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };

t.test('hardening', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const post = (body: unknown, extra?: Record<string, string>, path = stack.mcpUrl) =>
    fetch(path, { method: 'POST', headers: headers(extra), body: typeof body === 'string' ? body : JSON.stringify(body) });

  t.test('failed initializes, stateless and 2026-07-28 requests leave no server behind (defect 2)', async (t) => {
    const live = homeLive(stack.deps.ha.cache);
    const before = live.listenerCount;
    for (let i = 0; i < 300; i++) {
      const r = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { bad: 1 } });
      t.equal(r.status, 200);
      await r.text();
    }
    for (let i = 0; i < 100; i++) await (await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' })).text();
    for (let i = 0; i < 100; i++) {
      const r = await post(
        { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: ENVELOPE } },
        { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
      );
      t.equal(r.status, 200);
      await r.text();
    }
    for (let i = 0; i < 50; i++) await stack.rpc({ jsonrpc: '2.0', id: 4, method: 'initialize', params: {} });
    t.equal(live.listenerCount, before, `listeners ${before} -> ${live.listenerCount}`);
    t.equal(stack.built.mcp.sessions.size, 0, 'no session was opened');
  });

  t.test('bad initialize params answer -32602 naming the field, not -32603 (defect 5)', async (t) => {
    for (const params of [{}, { protocolVersion: '2025-11-25', capabilities: [], clientInfo: { name: 'x', version: '1' } }, { bad: 1 }]) {
      const r = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params });
      const body = (await r.json()) as { error: { code: number; message: string } };
      t.equal(body.error.code, -32602, JSON.stringify(params));
      t.match(body.error.message, /Invalid params for initialize: (protocolVersion|capabilities)/);
      t.notMatch(body.error.message, /"code": "invalid_type"/, 'no raw issue list');
    }
    const viaMessages = await stack.rpc({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: [] } });
    t.equal((viaMessages.json as { error: { code: number } }).error.code, -32602);
  });

  t.test('resources/read with bad percent-encoding is -32602, not an internal error (defect 5)', async (t) => {
    const r = await stack.rpc({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'hass://entity/%' } });
    const body = r.json as { error: { code: number; message: string } };
    t.equal(body.error.code, -32602);
    t.match(body.error.message, /percent-encoding/);
  });

  t.test('a batch over the limit is refused before any work; a big answer is refused with advice (defect 4)', async (t) => {
    const started = Date.now();
    const big = Array.from({ length: 10_000 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'tools/list' }));
    const r = await stack.rpc(big);
    t.equal(r.status, 400);
    t.match((r.json as { error: { code: number; message: string } }).error, { code: -32600, message: /at most 50 messages/ });
    t.ok(Date.now() - started < 3000, `refused in ${Date.now() - started} ms`);
    const onMcp = await post(big);
    t.equal(onMcp.status, 400);
    await onMcp.text();
    const ok = await stack.rpc(Array.from({ length: 50 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' })));
    t.equal((ok.json as unknown[]).length, 50);
    // 50 full state lists of the demo home are over 4 MiB together.
    const heavy = Array.from({ length: 50 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'ha_list_states', arguments: { limit: 500 } } }));
    const tooBig = await stack.rpc(heavy);
    if (tooBig.status === 413) t.match((tooBig.json as { error: { message: string } }).error.message, /fewer messages per batch/);
    else t.equal(tooBig.status, 200, 'under the answer limit on this home');
    const health = await fetch(`${stack.url}/health`);
    t.equal(health.status, 200);
  });

  t.test('unknown params of tools/call on 2026-07-28 are readable too', async (t) => {
    const r = await post(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 5, _meta: ENVELOPE } },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': '5' },
    );
    const text = await r.text();
    t.match(text, /-32602|Invalid params/);
  });
  t.test('messages the SDK would drop unanswered get -32600 at once; HEAD /sse does not open a stream (found by scripts/stress)', async (t) => {
    const odd = await stack.rpc({ jsonrpc: '2.0', id: 11, method: 'tools/list', params: { _meta: null } });
    t.equal((odd.json as { error: { code: number } }).error.code, -32600);
    const badId = await stack.rpc({ jsonrpc: '2.0', id: {}, method: 'ping' });
    t.equal(badId.status, 400);
    const ctor = await stack.rpc({ jsonrpc: '2.0', id: 1, method: 'constructor' });
    t.equal((ctor.json as { error: { code: number } }).error.code, -32601);
    const head = await Promise.race([
      fetch(`${stack.url}/sse`, { method: 'HEAD', headers: { Authorization: `Bearer ${API_KEY}` } }).then((r) => r.status),
      new Promise((r) => setTimeout(() => r('stalled'), 3000)),
    ]);
    t.not(head, 'stalled');
  });
  t.test('a body nested absurdly deep is refused before it is parsed', async (t) => {
    let deep = '1';
    for (let i = 0; i < 100_000; i++) deep = `[${deep}]`;
    for (const path of [stack.mcpUrl, `${stack.url}/messages`]) {
      const r = await post(`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":${deep}}}`, {}, path);
      t.equal(r.status, 400, path);
      const body = (await r.json()) as { error: { code: number; message: string } };
      t.equal(body.error.code, -32600);
      t.match(body.error.message, /nests deeper than 10000 levels/);
    }
    // A string full of brackets is not nesting.
    const r = await stack.call('ha_search_entities', { query: `${'['.repeat(150)}kitchen` });
    t.notOk(r.result.isError === true && /nests/.test(JSON.stringify(r.json)), 'brackets inside a string pass');
  });
});
