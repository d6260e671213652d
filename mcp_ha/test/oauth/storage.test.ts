// The OAuth store on disk: grants survive a restart (the key generated into the data folder,
// mode 0600), nothing readable in the file, a wrong OAUTH_ENCRYPTION_KEY gives one clear line
// and changes nothing (API keys keep working), a malformed key is a configuration error, and a
// writer killed with SIGKILL mid-write never leaves a torn file.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { OAuthStore } from '../../src/auth/oauth/store.js';
import { loadConfig } from '../../src/config/load.js';
import { startSimulator } from '../../sim/server.js';
import { ALICE, API_KEY, postForm, probe, register, signInByHand, startOAuthStack } from './helpers.js';

const sim = await startSimulator({ port: 0, home: 'demo' });
sim.auth.addUser(ALICE.username, ALICE.password, ALICE.user);
t.teardown(() => sim.close());

t.test('a restart keeps grants; a wrong key changes nothing', async (t) => {
  const first = await startOAuthStack({ sim });
  const { json: client } = await register(first);
  const tk = (await (await signInByHand(first, client.client_id as string)).tokens()).json;
  t.equal((await probe(first, tk.access_token as string)).status, 200);
  await first.close();

  const oauthDir = join(first.dataDir, 'data', 'oauth');
  t.equal(statSync(join(oauthDir, 'key')).mode & 0o777, 0o600, 'the generated key is 0600');
  t.equal(statSync(join(oauthDir, 'store.jwe')).mode & 0o777, 0o600, 'the store is 0600');
  const stored = readFileSync(join(oauthDir, 'store.jwe'), 'utf8');
  for (const secret of [tk.refresh_token as string, ALICE.user.name, client.client_id as string]) t.notOk(stored.includes(secret), 'nothing readable in the store');

  // Same data folder, a wrong key: one clear line, the file untouched, API keys still work.
  const wrong = await startOAuthStack({ sim, dataDir: first.dataDir, port: first.port, env: { OAUTH_ENCRYPTION_KEY: randomBytes(32).toString('base64') } });
  const lines = wrong.logs().split('\n').filter((l) => l.includes('OAuth is off'));
  t.equal(lines.length, 1, 'one line at start-up');
  t.match(lines[0], /cannot be opened with this key.*OAUTH_ENCRYPTION_KEY.*nothing was changed/);
  t.equal((await probe(wrong, API_KEY)).status, 200, 'API keys keep working');
  t.equal((await probe(wrong, tk.access_token as string)).status, 401);
  t.equal((await postForm(`${wrong.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: tk.refresh_token as string, client_id: client.client_id as string })).status, 503);
  t.equal((await fetch(`${wrong.url}/.well-known/oauth-authorization-server`)).status, 503);
  await wrong.close();
  t.equal(readFileSync(join(oauthDir, 'store.jwe'), 'utf8'), stored, 'the store is unchanged');

  // Restart with the kept key: the access token and the refresh token still work.
  const again = await startOAuthStack({ sim, dataDir: first.dataDir, port: first.port });
  t.teardown(() => again.close());
  t.equal((await probe(again, tk.access_token as string)).status, 200, 'the access token survived the restart');
  const r = await postForm(`${again.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: tk.refresh_token as string, client_id: client.client_id as string });
  t.equal(r.status, 200, 'so did the refresh token');
  t.equal((await probe(again, r.json.access_token as string)).status, 200);
});

t.test('OAUTH_ENCRYPTION_KEY: used as given (no key file), refused when not 32 bytes', async (t) => {
  const key = randomBytes(32).toString('base64');
  const s = await startOAuthStack({ sim, env: { OAUTH_ENCRYPTION_KEY: key } });
  t.teardown(() => s.close());
  await register(s);
  t.throws(() => statSync(join(s.dataDir, 'data', 'oauth', 'key')), 'no key file written');
  const store = new OAuthStore(join(s.dataDir, 'data', 'oauth'), Buffer.from(key, 'base64'));
  await store.load();
  t.equal(store.clientCount, 1, 'the store opens with the configured key');
  t.throws(() => loadConfig({ HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: 'x', MCP_BASE_URL: 'https://example.com/mcp', OAUTH_ENCRYPTION_KEY: 'c2hvcnQ=' }), /OAUTH_ENCRYPTION_KEY: expected 32 bytes/);
  t.throws(() => loadConfig({ HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: 'x', MCP_BASE_URL: 'https://example.com/mcp?x=1' }), /base_url/);
  t.equal(loadConfig({ HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: 'x' }).oauth, undefined, 'OAuth is off without a base URL');
});

t.test('kill -9 in the middle of writes never tears the store', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-oauth-kill-'));
  const key = randomBytes(32);
  const storeModule = fileURLToPath(new URL('../../src/auth/oauth/store.ts', import.meta.url));
  const script = `
    const { OAuthStore } = await import(${JSON.stringify(storeModule)});
    const s = new OAuthStore(${JSON.stringify(dir)}, Buffer.from(${JSON.stringify(key.toString('base64'))}, 'base64'));
    let n = 0;
    for (;;) {
      s.addClient({ client_id: 'c' + n, client_name: 'x'.repeat(500), redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'none', created_at: Date.now() });
      await s.persist();
      if (++n === 3) process.stdout.write('writing\\n');
    }`;
  for (let round = 0; round < 3; round++) {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 150 + round * 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const store = new OAuthStore(dir, key);
    await store.load();
    t.ok(store.clientCount >= 3, `round ${round}: the store opens after SIGKILL (${store.clientCount} clients)`);
  }
});
