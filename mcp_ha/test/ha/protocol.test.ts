// Protocol edge cases the simulator does not produce on demand, against a scripted server:
// coalesced frames, id numbering across reconnects, stray frames, and a subscribe_entities that
// never sends its initial states.
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocketServer, type WebSocket } from 'ws';
import { haConfig, testClient } from './helpers.js';

interface Msg {
  id: number;
  type: string;
}

/** A minimal Home Assistant: auth, then `onCommand` for every command of connection number `conn`. */
async function scriptedHa(onCommand: (msg: Msg, ws: WebSocket, conn: number) => void): Promise<{ url: string; sent: Msg[][]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const sent: Msg[][] = [];
  wss.on('connection', (ws) => {
    const conn = sent.length;
    sent.push([]);
    ws.send(JSON.stringify({ type: 'auth_required', ha_version: '2026.2.0' }));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Msg & { access_token?: string };
      if (msg.type === 'auth') return void ws.send(JSON.stringify({ type: 'auth_ok', ha_version: '2026.2.0' }));
      sent[conn]?.push(msg);
      onCommand(msg, ws, conn);
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    close: () =>
      new Promise((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

const LISTS: Record<string, unknown> = { get_config: { version: '2026.2.0' }, get_services: { light: { turn_on: { fields: {} } } } };
const snapshot = { a: { 'light.x': { s: 'on', a: { friendly_name: 'X' }, c: 'C1', lc: 1795278256.5 } } };

t.test('result and initial states coalesced into one frame', async (t) => {
  const ha = await scriptedHa((msg, ws) => {
    const result = { id: msg.id, type: 'result', success: true, result: LISTS[msg.type] ?? (msg.type.endsWith('/list') ? [] : null) };
    if (msg.type === 'subscribe_entities') ws.send(JSON.stringify([result, { id: msg.id, type: 'event', event: snapshot }]));
    else ws.send(JSON.stringify(result));
    ws.send('not json'); // ignored
  });
  const { ha: client } = testClient(haConfig(ha.url, 'token-0123456789'));
  t.teardown(async () => {
    await client.close();
    await ha.close();
  });
  await client.start();
  t.equal(client.status, 'connected');
  t.equal(client.cache.getState('light.x')?.state, 'on', 'the initial states were taken as the snapshot');
  const ids = ha.sent[0]?.map((m) => m.id) ?? [];
  t.same(ids, ids.map((_, i) => i + 1), 'ids count up from 1');
  t.ok(ha.sent[0]?.some((m) => m.type === 'supported_features'), 'asks for coalesced messages');
});

t.test('initial states never come: the connection is restarted, and the next one works', async (t) => {
  const ha = await scriptedHa((msg, ws, conn) => {
    const result = { id: msg.id, type: 'result', success: true, result: LISTS[msg.type] ?? (msg.type.endsWith('/list') ? [] : null) };
    ws.send(JSON.stringify(result));
    if (msg.type === 'subscribe_entities' && conn > 0) ws.send(JSON.stringify({ id: msg.id, type: 'event', event: snapshot }));
  });
  const { ha: client, logs } = testClient(haConfig(ha.url, 'token-0123456789', { requestTimeoutMs: 200 }));
  t.teardown(async () => {
    await client.close();
    await ha.close();
  });
  await client.start();
  await client.waitReady(3_000);
  t.equal(client.status, 'connected');
  t.equal(ha.sent.length, 2, 'a second connection');
  t.equal(ha.sent[1]?.[0]?.id, 1, 'ids start again at 1 on the new connection');
  t.equal(client.cache.getState('light.x')?.state, 'on');
  t.match(logs(), /no initial states from subscribe_entities/);
});
