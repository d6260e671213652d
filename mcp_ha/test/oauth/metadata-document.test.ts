// Client ID Metadata Documents: the test serves the client's document over https (a private CA
// made with openssl, trusted through SSL_CERT_FILE) on loopback, which only the explicit test
// setting OAUTH_TEST_ALLOW_PRIVATE_ADDRESSES lets through. The v1 and v2 SDK clients sign in with
// it (no registration) and turn on a light as Alice; the document is cached per Cache-Control;
// without the setting, loopback and private addresses are refused, and so are redirects,
// oversized documents and a client_id that is not the document's own URL.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createMetadataFetcher, isPrivateAddress } from '../../src/auth/oauth/metadataDocument.js';
import { startSimulator } from '../../sim/server.js';
import { ALICE, Browser, connectWithOAuth, lightState, MemoryProvider, pkce, REDIRECT, startOAuthStack } from './helpers.js';

if (spawnSync('openssl', ['version']).status !== 0) {
  t.skip('openssl is not installed (scripts/test installs it)', async () => undefined);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-cimd-'));
const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=CIMD test CA', '-keyout', 'ca.key', '-out', 'ca.pem', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.pem');
const caFile = join(dir, 'ca.pem');

let fetches = 0;
const server = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (req, res) => {
  fetches++;
  const self = `https://localhost:${(server.address() as AddressInfo).port}${req.url}`;
  if (req.url === '/redirect.json') return res.writeHead(302, { location: '/client.json' }).end();
  if (req.url === '/big.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client_id: self, redirect_uris: [REDIRECT], pad: 'x'.repeat(11_000) }));
  if (req.url === '/mismatch.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client_id: 'https://elsewhere.example/client.json', redirect_uris: [REDIRECT] }));
  if (req.url === '/secret.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client_id: self, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' }));
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' }).end(JSON.stringify({ client_id: self, client_name: 'Metadata Client', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
t.teardown(() => new Promise<void>((r) => server.close(() => r())));
const docBase = `https://localhost:${(server.address() as AddressInfo).port}`;

const sim = await startSimulator({ port: 0, home: 'demo' });
sim.auth.addUser(ALICE.username, ALICE.password, ALICE.user);
t.teardown(() => sim.close());

for (const kind of ['v1', 'v2'] as const) {
  t.test(`${kind} client signs in with a metadata document (guard opened by the test setting)`, async (t) => {
    const stack = await startOAuthStack({ sim, env: { OAUTH_TEST_ALLOW_PRIVATE_ADDRESSES: '1', SSL_CERT_FILE: caFile } });
    t.teardown(() => stack.close());
    await fetch(`${sim.url}/api/services/light/turn_off`, { method: 'POST', headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' }, body: '{"entity_id":"light.kitchen_lights"}' });
    const url = `${docBase}/client.json?${kind}`;
    const provider = new MemoryProvider('Metadata Client', { metadataUrl: url });
    const client = await connectWithOAuth(kind, stack.mcpUrl, provider);
    t.teardown(() => client.close());
    t.equal(provider.info?.client_id, url, 'the client id is the document URL (no registration)');
    t.match(client.consentPage, 'Metadata Client');
    t.match(client.consentPage, 'metadata document');
    t.match(client.consentPage, url.replace(/&/g, '&amp;'));
    const { json } = await client.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.kitchen_lights' });
    t.equal(json.success, true, JSON.stringify(json));
    const light = await lightState(sim, 'light.kitchen_lights');
    t.equal(light.state, 'on');
    t.equal(light.user, ALICE.user.id, 'as Alice');
    t.equal(stack.built.oauth!.grants.list({ clientId: url })[0]?.client_kind, 'metadata_document');
  });
}

t.test('the document is cached per Cache-Control', async (t) => {
  const fetcher = createMetadataFetcher({ allowPrivate: true, ca: [readFileSync(caFile, 'utf8')] });
  t.teardown(() => fetcher.close());
  const before = fetches;
  const url = `${docBase}/client.json?cache`;
  t.equal((await fetcher.get(url)).clientName, 'Metadata Client');
  await fetcher.get(url);
  t.equal(fetches - before, 1, 'fetched once within max-age');
});

t.test('refused: redirects, > 10 KiB, a foreign client_id, a secret auth method', async (t) => {
  const fetcher = createMetadataFetcher({ allowPrivate: true, ca: [readFileSync(caFile, 'utf8')] });
  t.teardown(() => fetcher.close());
  await t.rejects(fetcher.get(`${docBase}/redirect.json`), /redirects/);
  await t.rejects(fetcher.get(`${docBase}/big.json`), /larger than 10240 bytes/);
  await t.rejects(fetcher.get(`${docBase}/mismatch.json`), /not its own URL/);
  await t.rejects(fetcher.get(`${docBase}/secret.json`), /only "none"/);
  await t.rejects(fetcher.get('http://localhost/client.json'), /https/);
});

t.test('without the test setting, loopback and private addresses are refused', async (t) => {
  const fetcher = createMetadataFetcher({ allowPrivate: false, ca: [readFileSync(caFile, 'utf8')] });
  t.teardown(() => fetcher.close());
  const before = fetches;
  await t.rejects(fetcher.get(`${docBase}/client.json?guard`), /private or loopback/, 'a name resolving to 127.0.0.1');
  await t.rejects(fetcher.get(`https://127.0.0.1:${new URL(docBase).port}/client.json`), /private address/, 'an IP literal');
  await t.rejects(fetcher.get('https://[::1]/client.json'), /private address/);
  t.equal(fetches, before, 'the document server was never reached');
  for (const a of ['10.1.2.3', '192.168.1.1', '172.16.0.1', '169.254.169.254', '100.64.0.1', '::ffff:127.0.0.1', 'fd00::1', 'fe80::1']) t.ok(isPrivateAddress(a), a);
  for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) t.notOk(isPrivateAddress(a), a);

  // Through the server: the sign-in stops at our page, before Home Assistant.
  const stack = await startOAuthStack({ sim, env: { SSL_CERT_FILE: caFile } });
  t.teardown(() => stack.close());
  const q = new URLSearchParams({ response_type: 'code', client_id: `${docBase}/client.json?server`, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
  const r = await new Browser().request(`${stack.url}/oauth/authorize?${q}`);
  t.equal(r.status, 400);
  t.match(r.text, /private or loopback/);
});
