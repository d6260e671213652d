// POST /messages: the curl path, verbatim, and the standard JSON-RPC error codes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { API_KEY, startStack } from '../helpers/stack.js';

const exec = promisify(execFile);

t.test('/messages', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  t.test('the README curl line works verbatim: no handshake, no Accept header', async (t) => {
    const { stdout } = await exec('curl', [
      '-s', '-X', 'POST', `${stack.url}/messages`,
      '-H', `Authorization: Bearer ${API_KEY}`,
      '-H', 'Content-Type: application/json',
      '-d', '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    ]);
    const body = JSON.parse(stdout);
    t.equal(body.jsonrpc, '2.0');
    t.equal(body.id, 1);
    const names = body.result.tools.map((x: { name: string }) => x.name);
    for (const n of ['ha_list_states', 'ha_get_state', 'ha_list_services', 'ha_call_service', 'ha_render_template']) t.ok(names.includes(n), n);
  });

  t.test('tools/call the same way', async (t) => {
    const { status, json } = await stack.rpc({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'ha_get_state', arguments: { entity_id: 'light.bed_light' } } });
    t.equal(status, 200);
    const r = (json as any).result;
    t.equal(r.structuredContent.state.entity_id, 'light.bed_light');
    t.same(JSON.parse(r.content[0].text), r.structuredContent, 'text is the same JSON');
  });

  t.test('standard JSON-RPC error codes', async (t) => {
    let r = await stack.rpc('{"jsonrpc":"2.0","id":1,"method":');
    t.equal(r.status, 400);
    t.equal((r.json as any).error.code, -32700);
    r = await stack.rpc({ id: 1, method: 'tools/list' });
    t.equal((r.json as any).error.code, -32600);
    r = await stack.rpc([]);
    t.equal((r.json as any).error.code, -32600);
    r = await stack.rpc({ jsonrpc: '2.0', id: 2, method: 'no/such_method' });
    t.equal((r.json as any).error.code, -32601);
    r = await stack.rpc({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { arguments: {} } });
    t.equal((r.json as any).error.code, -32602);
    r = await stack.rpc({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'ha_nope', arguments: {} } });
    t.equal((r.json as any).error.code, -32602);
    t.match((r.json as any).error.message, /tools\/list/);
  });

  t.test('batch and notification', async (t) => {
    const r = await stack.rpc([
      { jsonrpc: '2.0', id: 'a', method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 'b', method: 'tools/list' },
    ]);
    t.equal(r.status, 200);
    t.same((r.json as any[]).map((m) => m.id), ['a', 'b']);
    const n = await stack.rpc({ jsonrpc: '2.0', method: 'notifications/initialized' });
    t.equal(n.status, 202);
  });

  t.test('bad tool arguments are a tool error the model can act on', async (t) => {
    const r = await stack.rpc({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'ha_get_state', arguments: { entity: 'x' } } });
    const result = (r.json as any).result;
    t.equal(result.isError, true);
    const err = JSON.parse(result.content[0].text);
    t.equal(err.error, 'invalid_input');
    t.match(err.message, /entity_id/);
    t.type(err.suggestion, 'string');
    t.equal(err.status_code, 400);
  });

  t.test('body size limit', async (t) => {
    const res = await fetch(`${stack.url}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ha_render_template', arguments: { template: 'x'.repeat(2_000_000) } } }),
    });
    t.equal(res.status, 413);
    t.equal(((await res.json()) as any).error, 'invalid_input');
  });
});
