// Every fault switch of the simulator, each shown to take effect and to clear.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { connectAuthed, connectRaw, rest } from './client.js';

/** A GET on a fresh TCP connection (no pooling), so refused connections show. */
function freshGet(url: string, token: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https') ? httpsRequest : httpRequest)(
      url,
      { agent: false, headers: { Authorization: `Bearer ${token}` }, ca },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

t.test('dropWebSockets cuts every socket; REST and new sockets keep working', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const a = await connectAuthed(sim.wsUrl, sim.token);
  const b = await connectAuthed(sim.wsUrl, sim.token);
  sim.faults.dropWebSockets();
  const [ca, cb] = await Promise.all([a.closed, b.closed]);
  t.equal(ca.code, 1006, 'no close frame, like a network cut');
  t.equal(cb.code, 1006);
  t.equal((await freshGet(`${sim.url}/api/`, sim.token)).status, 200);
  const c = await connectAuthed(sim.wsUrl, sim.token);
  t.same(await c.command({ id: 1, type: 'ping' }), { id: 1, type: 'pong' });
  await c.close();
  t.equal(sim.stats.wsConnections, 3);
});

t.test('refuseConnections refuses new connections only while on', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const open = await connectAuthed(sim.wsUrl, sim.token);
  sim.faults.refuseConnections(true);
  await t.rejects(freshGet(`${sim.url}/api/`, sim.token), 'REST refused');
  await t.rejects(connectRaw(sim.wsUrl), 'WS refused');
  t.same(await open.command({ id: 1, type: 'ping' }), { id: 1, type: 'pong' }, 'an open socket is unaffected');
  sim.faults.refuseConnections(false);
  t.equal((await freshGet(`${sim.url}/api/`, sim.token)).status, 200);
  await open.close();
});

t.test('setLatency delays REST answers and WS replies', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const ws = await connectAuthed(sim.wsUrl, sim.token);
  sim.faults.setLatency(150);
  let t0 = performance.now();
  await freshGet(`${sim.url}/api/`, sim.token);
  t.ok(performance.now() - t0 >= 140, 'REST delayed');
  t0 = performance.now();
  await ws.command({ id: 1, type: 'ping' });
  t.ok(performance.now() - t0 >= 140, 'WS delayed');
  sim.faults.setLatency(0);
  t0 = performance.now();
  await ws.command({ id: 2, type: 'ping' });
  t.ok(performance.now() - t0 < 140, 'back to fast (below the 150 ms latency)');
  await ws.close();
});

t.test('failRest answers with the given status, for a count or until cleared', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  sim.faults.failRest(503, 2);
  t.equal((await rest(sim.url, sim.token, 'GET', '/api/')).status, 503);
  t.equal((await rest(sim.url, sim.token, 'GET', '/api/states')).status, 503);
  t.equal((await rest(sim.url, sim.token, 'GET', '/api/')).status, 200, 'count used up');
  sim.faults.failRest(500);
  for (let i = 0; i < 3; i++) t.equal((await rest(sim.url, sim.token, 'GET', '/api/')).status, 500);
  sim.faults.failRest(null);
  t.equal((await rest(sim.url, sim.token, 'GET', '/api/')).status, 200);
  t.equal(sim.stats.restRequests, 7);
});

t.test('revokeToken: REST 401 and its sockets closed; other tokens unaffected', async (t) => {
  const sim = await startSimulator({ port: 0, tokens: ['keep', 'drop'] });
  t.teardown(() => sim.close());
  sim.addToken('user-tok', { id: 'u1', name: 'Someone', is_admin: false });
  const kept = await connectAuthed(sim.wsUrl, 'keep');
  const dropped = await connectAuthed(sim.wsUrl, 'drop');
  const user = await connectAuthed(sim.wsUrl, 'user-tok');
  const me = await user.command({ id: 1, type: 'auth/current_user' });
  t.match(me.result, { id: 'u1', name: 'Someone', is_admin: false });
  sim.revokeToken('drop');
  await dropped.closed;
  t.equal((await rest(sim.url, 'drop', 'GET', '/api/')).status, 401);
  t.equal((await rest(sim.url, 'keep', 'GET', '/api/')).status, 200);
  t.same(await kept.command({ id: 1, type: 'ping' }), { id: 1, type: 'pong' });
  const again = await connectRaw(sim.wsUrl);
  await again.waitFor((f) => f.type === 'auth_required');
  again.send({ type: 'auth', access_token: 'drop' });
  t.same(await again.waitFor((f) => f.type === 'auth_invalid'), { type: 'auth_invalid', message: 'Invalid access token or password' });
  await again.closed;
  await kept.close();
  await user.close();
});

t.test('restart drops sockets, refuses briefly, keeps states, forgets subscribers', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  const ws = await connectAuthed(sim.wsUrl, sim.token);
  await ws.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
  sim.home.setState('sensor.restart_probe', '1', { unit_of_measurement: 'W' });
  const restarting = sim.faults.restart();
  // Asked at once: the listener is already down (it comes back after a short pause).
  const during = freshGet(`${sim.url}/api/`, sim.token);
  await t.rejects(during, 'refused while restarting');
  await ws.closed;
  await restarting;
  const probe = await freshGet(`${sim.url}/api/states/sensor.restart_probe`, sim.token);
  t.equal(probe.status, 200, 'states kept');
  t.equal((JSON.parse(probe.body) as { state: string }).state, '1');
  const again = await connectAuthed(sim.wsUrl, sim.token);
  t.same((await again.command({ id: 1, type: 'unsubscribe_events', subscription: 1 })).error, {
    code: 'not_found',
    message: 'Subscription not found.',
  }, 'old subscriptions are gone');
  await again.close();
});

t.test('tls serves https and wss', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const sim = await startSimulator({ port: 0, tls: { key: readFileSync(key), cert: readFileSync(cert) } });
  t.teardown(() => sim.close());
  t.match(sim.url, /^https:/);
  t.match(sim.wsUrl, /^wss:/);
  const res = await freshGet(`${sim.url}/api/`, sim.token, readFileSync(cert, 'utf8'));
  t.same(res, { status: 200, body: '{"message":"API running."}' });
});

t.test('non-admin users get 401 on admin-only REST endpoints', async (t) => {
  const sim = await startSimulator({ port: 0 });
  t.teardown(() => sim.close());
  sim.addToken('viewer', { id: 'v1', name: 'Viewer', is_admin: false });
  t.equal((await rest(sim.url, 'viewer', 'GET', '/api/states')).status, 200);
  t.equal((await rest(sim.url, 'viewer', 'POST', '/api/states/sensor.x', { state: '1' })).status, 401);
  t.equal((await rest(sim.url, 'viewer', 'POST', '/api/template', { template: '1' })).status, 401);
  t.equal((await rest(sim.url, sim.token, 'POST', '/api/states/sensor.x', { state: '1' })).status, 201);
});
