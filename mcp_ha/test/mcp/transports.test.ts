// The transports local and older clients use, through real processes and sockets: stdio (a
// spawned `main.ts --stdio`, with the v1 client on 2025 and the v2 client on 2026-07-28) and the
// legacy HTTP+SSE transport (GET /sse, POST /messages?sessionId=) with the SDK's SSE client.
import { fileURLToPath } from 'node:url';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { API_KEY, startStack } from '../helpers/stack.js';

/** ha_get_state of light.bed_light; a stdio server may still be loading its cache (ha_unreachable): retry. */
async function bedLight(client: { callTool(req: { name: string; arguments: Record<string, unknown> }): Promise<unknown> }): Promise<Record<string, unknown>> {
  let state: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) {
    state = textOf(await client.callTool({ name: 'ha_get_state', arguments: { entity_id: 'light.bed_light' } }));
    if (state.error !== 'ha_unreachable') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return state;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const textOf = (r: unknown): Record<string, unknown> => JSON.parse(((r as CallToolResult).content[0] as { text: string }).text) as Record<string, unknown>;

t.test('stdio: stdout carries only protocol, logs go to stderr; both eras', async (t) => {
  const sim = await startSimulator({ port: 0, home: 'demo' });
  t.teardown(() => sim.close());
  const params = {
    command: process.execPath,
    args: ['--import', 'tsx', 'src/main.ts', '--stdio'],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: sim.token, MCP_DATA_DIR: t.testdirName, LOG_LEVEL: 'info' },
    stderr: 'pipe' as const,
  };

  t.test('v1 client (2025 initialize)', async (t) => {
    const transport = new StdioClientTransport(params);
    let stderr = '';
    transport.stderr?.on('data', (d) => (stderr += d));
    const client = new Client({ name: 'stdio-v1', version: '1' });
    await client.connect(transport);
    t.equal(client.getServerVersion()?.name, 'mcp-ha');
    const state = await bedLight(client);
    t.equal((state.state as { entity_id?: string } | undefined)?.entity_id, 'light.bed_light', JSON.stringify(state).slice(0, 200));
    const { prompts } = await client.listPrompts();
    t.ok(prompts.length >= 4);
    await client.close();
    t.match(stderr, /serving MCP on stdio/, 'logs are on stderr');
    t.notMatch(stderr, new RegExp(sim.token), 'no token in the log');
  });

  t.test('v2 client (2026-07-28)', async (t) => {
    const client = new ClientV2({ name: 'stdio-v2', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StdioV2(params));
    t.equal(client.getProtocolEra(), 'modern');
    const state = await bedLight(client);
    t.equal((state.state as { entity_id?: string } | undefined)?.entity_id, 'light.bed_light', JSON.stringify(state).slice(0, 200));
    // Live resources over stdio on 2026-07-28: a subscriptions/listen stream gets the update.
    const uri = 'hass://entity/sensor.outside_temperature';
    let updated = 0;
    client.setNotificationHandler('notifications/resources/updated', (n) => {
      if (n.params.uri === uri) updated++;
    });
    const sub = await client.listen({ resourceSubscriptions: [uri] });
    sim.home.setState('sensor.outside_temperature', '21.5');
    for (let i = 0; i < 40 && updated === 0; i++) await new Promise((r) => setTimeout(r, 50));
    t.ok(updated >= 1, 'notifications/resources/updated arrived over stdio');
    await sub.close();
    await client.close();
  });
});

t.test('legacy HTTP+SSE: GET /sse names POST /messages?sessionId=; same auth; /messages stays plain JSON-RPC', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const auth = { Authorization: `Bearer ${API_KEY}` };

  const noAuth = await fetch(`${stack.url}/sse`);
  t.equal(noAuth.status, 401);
  await noAuth.body?.cancel();

  const transport = new SSEClientTransport(new URL(`${stack.url}/sse`), {
    eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...auth } }) },
    requestInit: { headers: auth },
  });
  const client = new Client({ name: 'sse', version: '1' });
  await client.connect(transport);
  t.equal(client.getServerVersion()?.name, 'mcp-ha');
  t.ok(stack.built.mcp.sessions.size >= 1, 'an SSE session is open');
  const state = textOf(await client.callTool({ name: 'ha_get_state', arguments: { entity_id: 'light.bed_light' } }));
  t.equal((state.state as { entity_id?: string } | undefined)?.entity_id, 'light.bed_light');
  const bad = await client.callTool({ name: 'ha_get_state', arguments: { entity_id: 5 } });
  t.equal(bad.isError, true, JSON.stringify(bad).slice(0, 300));

  // A session id is bound to its credential, and an unknown one is 404.
  const other = await fetch(`${stack.url}/messages?sessionId=nope`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
  t.equal(other.status, 404);
  const plain = await stack.rpc({ jsonrpc: '2.0', id: 7, method: 'tools/list' });
  t.equal(plain.status, 200);
  t.ok(((plain.json as { result: { tools: unknown[] } }).result.tools.length ?? 0) > 5);
  await client.close();
});

t.test('legacy HTTP+SSE behind a proxy path: the stream names <public_url path>/messages, and it answers', async (t) => {
  const stack = await startStack({ options: { public_url: 'https://ha.example.com/mcp' } });
  t.teardown(() => stack.close());
  const auth = { Authorization: `Bearer ${API_KEY}` };
  const controller = new AbortController();
  const res = await fetch(`${stack.url}/sse`, { headers: auth, signal: controller.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  while (!/data: .*\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  const endpoint = /data: (\S+)/.exec(text)?.[1] ?? '';
  t.match(endpoint, /^\/mcp\/messages\?sessionId=/);
  const post = await fetch(`${stack.url}${endpoint}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }) });
  t.equal(post.status, 202);
  await post.text();
  controller.abort();
});
