// MCP Streamable HTTP with the SDK's own client: sessions, the stateless path, DELETE,
// the session cap, idle expiry, ownership, and Host/Origin checks.
import t from 'tap';
import { API_KEY, USER_TOKEN, startStack } from '../helpers/stack.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const headers = (token = API_KEY, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  ...extra,
});

t.test('mcp endpoint', async (t) => {
  const stack = await startStack({ options: { max_sessions: 3 } });
  t.teardown(() => stack.close());

  t.test('SDK client: initialize, tools/list, tools/call', async (t) => {
    const client = await stack.client();
    t.equal(client.getServerVersion()?.name, 'mcp-ha');
    t.match(client.getInstructions(), /ha_overview/);
    const { tools } = await client.listTools();
    for (const tool of tools) {
      t.match(tool.name, /^ha_[a-z_]+$/);
      t.ok(tool.annotations, `${tool.name} has annotations`);
      t.type(tool.annotations?.readOnlyHint, 'boolean');
      t.ok(tool.outputSchema, `${tool.name} has an output schema`);
    }
    const { json, result } = await stack.call('ha_get_state', { entity_id: 'light.bed_light' }, client);
    t.notOk(result.isError);
    t.equal((json.state as any).entity_id, 'light.bed_light');
    t.same(result.structuredContent, json);
    await client.close();
  });

  t.test('a POST without a session that is not initialize is answered statelessly', async (t) => {
    const res = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(API_KEY, { Accept: 'application/json' }), body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }) });
    t.equal(res.status, 200);
    t.match(res.headers.get('content-type'), /application\/json/);
    const body = (await res.json()) as any;
    t.ok(body.result.tools.length >= 5);
    const parse = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(), body: '{oops' });
    t.equal(parse.status, 400);
    t.equal(((await parse.json()) as any).error.code, -32700);
  });

  t.test('GET stream and DELETE need a session; DELETE ends it', async (t) => {
    const noSession = await fetch(stack.mcpUrl, { method: 'GET', headers: headers() });
    t.equal(noSession.status, 405);
    const init = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(), body: JSON.stringify(INIT) });
    t.equal(init.status, 200);
    const sid = init.headers.get('mcp-session-id') as string;
    t.ok(sid);
    await init.body?.cancel();
    const before = stack.built.mcp.sessions.size;
    const del = await fetch(stack.mcpUrl, { method: 'DELETE', headers: headers(API_KEY, { 'mcp-session-id': sid }) });
    t.equal(del.status, 200);
    t.equal(stack.built.mcp.sessions.size, before - 1);
    const after = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(API_KEY, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    t.equal(after.status, 404);
    t.equal(((await after.json()) as any).error.code, -32001);
  });

  t.test('a session cannot be used with another credential', async (t) => {
    const init = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(), body: JSON.stringify(INIT) });
    const sid = init.headers.get('mcp-session-id') as string;
    await init.body?.cancel();
    const other = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(USER_TOKEN, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    t.equal(other.status, 404);
    await fetch(stack.mcpUrl, { method: 'DELETE', headers: headers(API_KEY, { 'mcp-session-id': sid }) });
  });

  t.test('a full store makes room: abandoned sessions never lock a client out (defect 1)', async (t) => {
    // Sessions initialized and never DELETEd, as the SDK's own Client.close() leaves them.
    const open = async (token = API_KEY) => {
      const r = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(token), body: JSON.stringify(INIT) });
      await r.body?.cancel();
      return r;
    };
    for (let i = 0; i < 10; i++) t.equal((await open()).status, 200);
    t.ok(stack.built.mcp.sessions.size <= 3, `the store stays at its cap (${stack.built.mcp.sessions.size})`);
    // One caller holds at most its share, so another credential always gets in.
    t.equal((await open(USER_TOKEN)).status, 200, 'another caller connects at once');
    const client = await stack.client();
    t.ok((await client.listTools()).tools.length > 0, 'a new SDK client connects and works');
    // Idle expiry still frees them.
    await stack.built.mcp.sessions.sweep(Date.now() + 31 * 60_000);
    t.equal(stack.built.mcp.sessions.size, 0);
  });

  t.test('the cap answers 503 with advice only when every session is busy', async (t) => {
    const { SessionStore } = await import('../../src/mcp/sessions.js');
    const store = new SessionStore(2, 60_000, stack.deps.logger);
    t.teardown(() => store.closeAll());
    const caller = { kind: 'api_key' as const, name: 'x' };
    const fake = (id: string) => ({ id, kind: 'streamable' as const, caller, lastSeen: Date.now(), busy: 1, transport: { close: async () => {} } as never, server: { close: async () => {} } as never });
    store.add(fake('a'));
    store.add(fake('b'));
    t.match(await store.admit(caller), { ok: false, reason: 'caller_limit' });
    t.match(await store.admit({ kind: 'api_key', name: 'y' }), { ok: false, reason: 'full' });
    const over = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(), body: JSON.stringify(INIT) });
    t.equal(over.status, 200, 'the real store is not busy');
    await over.body?.cancel();
  });

  t.test('a foreign Origin is refused (DNS rebinding); same origin is fine', async (t) => {
    const evil = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(API_KEY, { Origin: 'http://evil.example' }), body: JSON.stringify(INIT) });
    t.equal(evil.status, 403);
    t.match(((await evil.json()) as any).suggestion, /allowed_origins/);
    const host = new URL(stack.url).host;
    const same = await fetch(stack.mcpUrl, { method: 'POST', headers: headers(API_KEY, { Origin: `http://${host}` }), body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }) });
    t.equal(same.status, 200);
  });
});
