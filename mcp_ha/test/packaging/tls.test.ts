// Home Assistant over HTTPS with a private CA: the simulator serves a certificate signed by a CA
// made here with openssl. The server (a real process, configured by environment variables as in
// Docker) connects with SSL_CERT_FILE pointing at the CA, and fails clearly without it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startSimulator } from '../../sim/server.js';
import { rpc, startServerProcess } from './serverProcess.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'tls-test-key-0123456789abcdef';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** A private CA and a server certificate for 127.0.0.1 and localhost, signed by it. */
function makeCerts(dir: string): { ca: string; key: string; cert: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=MCP test private CA', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.pem');
  return { ca: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') };
}

if (!hasOpenssl) {
  t.skip('openssl is not installed (scripts/test installs it)', async () => undefined);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const certs = makeCerts(dir);
  writeFileSync(join(dir, 'options.json'), JSON.stringify({ api_keys: [{ name: 'tls', key: KEY }] }));

  const startServer = async (t: { teardown(fn: () => unknown): void }, url: string, token: string, caFile?: string) => {
    const server = await startServerProcess({
      cwd: root,
      args: ['--import', 'tsx', 'src/main.ts'],
      env: {
        HOMEASSISTANT_URL: url,
        HOMEASSISTANT_TOKEN: token,
        MCP_OPTIONS_FILE: join(dir, 'options.json'),
        MCP_DATA_DIR: join(dir, 'data'),
        ...(caFile ? { SSL_CERT_FILE: caFile } : {}),
      },
    });
    t.teardown(() => server.stop());
    return server;
  };
  const renderTemplate = (url: string) =>
    rpc(url, KEY, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ha_render_template', arguments: { template: '{{ 6 * 7 }}' } } });

  t.test('with SSL_CERT_FILE the server trusts the private CA', async (t) => {
    const sim = await startSimulator({ port: 0, tls: { key: certs.key, cert: certs.cert } });
    t.teardown(() => sim.close());
    t.match(sim.url, /^https:\/\/127\.0\.0\.1:/);
    const server = await startServer(t, sim.url, sim.token, certs.ca);
    const health = await server.waitHealth();
    t.equal(health.home_assistant.connected, true, '/health: connected over wss');
    const { status, json } = await renderTemplate(server.url);
    t.equal(status, 200);
    t.notOk(json.result?.isError, `tool call over https: ${JSON.stringify(json.result?.content)}`);
    t.match(JSON.stringify(json.result?.content), /42/);
  });

  t.test('without SSL_CERT_FILE it fails with a clear certificate error', async (t) => {
    const sim = await startSimulator({ port: 0, tls: { key: certs.key, cert: certs.cert } });
    t.teardown(() => sim.close());
    const server = await startServer(t, sim.url, sim.token);
    const health = await server.waitHealth((h) => h.home_assistant.status !== 'connecting', 10_000).catch(() => server.waitHealth(() => true));
    t.equal(health.home_assistant.connected, false, '/health: not connected');
    const { json } = await renderTemplate(server.url);
    t.equal(json.result?.isError, true, 'the tool call is an error result');
    const text = JSON.stringify(json.result?.content);
    t.match(text, /certificate/i, 'it says the certificate is the problem');
    t.match(text, /SSL_CERT_FILE/, 'and names the fix');
    t.match(server.output(), /certificate|SSL_CERT_FILE/i, 'the log says so too');
  });
}
