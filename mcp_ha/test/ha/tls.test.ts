// HTTPS/WSS Home Assistant behind a private CA: works with caFile (SSL_CERT_FILE), fails clearly
// without it. The CA and the server certificate are made at test time with the openssl CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { AppError } from '../../src/errors.js';
import { startSimulator } from '../../sim/server.js';
import { haConfig, testClient, until } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ha-tls-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string): string => join(dir, name);
const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });

openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Test Private CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
writeFileSync(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('ext.cnf'), '-out', file('server.pem'));

const sim = await startSimulator({ port: 0, tls: { key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')) } });
t.teardown(() => sim.close());

t.test('with the CA file: WebSocket and REST over TLS', async (t) => {
  const { ha } = testClient(haConfig(sim.url, sim.token, { caFile: file('ca.pem') }));
  t.teardown(() => ha.close());
  t.match(sim.url, /^https:/);
  await ha.start();
  t.equal(ha.status, 'connected');
  t.equal(ha.cache.size, 120);
  t.equal((await ha.rest('GET', '/api/')).status, 200);
  t.equal(await ha.checkUserToken(sim.token), true);
});

t.test('without the CA file: a clear certificate error naming SSL_CERT_FILE', async (t) => {
  const { ha, logs } = testClient(haConfig(sim.url, sim.token));
  t.teardown(() => ha.close());
  await ha.start();
  t.not(ha.status, 'connected');
  let err: AppError | undefined;
  try {
    await ha.rest('GET', '/api/');
  } catch (e) {
    err = e as AppError;
  }
  t.equal(err?.code, 'ha_unreachable');
  t.match(err?.message, /certificate/);
  t.match(err?.suggestion, /SSL_CERT_FILE/);
  await until(() => logs().includes('not trusted'), 2_000, 'the socket logs the certificate problem');
  t.pass('the WebSocket failure names the certificate problem too');
});

t.test('an unreadable CA file is logged and the connection fails as without one', async (t) => {
  const { ha, logs } = testClient(haConfig(sim.url, sim.token, { caFile: file('missing.pem') }));
  t.teardown(() => ha.close());
  t.match(logs(), /SSL_CERT_FILE/);
  await ha.start();
  t.not(ha.status, 'connected');
});
