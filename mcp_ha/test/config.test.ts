import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config/load.js';

const SECRET = 'sekrit-token-value-123456';

t.test('direct mode from HOMEASSISTANT_URL and token', async (t) => {
  const c = loadConfig({ HOMEASSISTANT_URL: 'http://ha.local:8123/', HOMEASSISTANT_TOKEN: SECRET });
  t.equal(c.ha.mode, 'direct');
  t.equal(c.ha.restBase, 'http://ha.local:8123');
  t.equal(c.ha.wsUrl, 'ws://ha.local:8123/api/websocket');
  t.equal(c.ha.userBase, 'http://ha.local:8123');
  t.equal(c.port, 8099);
  t.equal(c.secretPath, '/mcp');
  t.ok(c.policy.allowedServices.includes('light.turn_on'));
});

t.test('supervisor mode uses the proxy for itself and ha_base_url for users', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'options.json');
  writeFileSync(file, JSON.stringify({ ha_base_url: 'http://homeassistant:8123', api_keys: [{ name: 'claude', key: 'k'.repeat(32) }] }));
  const c = loadConfig({ SUPERVISOR_TOKEN: SECRET, MCP_OPTIONS_FILE: file });
  t.equal(c.ha.mode, 'supervisor');
  t.equal(c.ha.restBase, 'http://supervisor/core');
  t.equal(c.ha.wsUrl, 'ws://supervisor/core/websocket');
  t.equal(c.ha.userBase, 'http://homeassistant:8123');
  t.equal(c.apiKeys[0]?.name, 'claude');
});

t.test('bad values name the setting and never print a secret', async (t) => {
  const cases: [NodeJS.ProcessEnv, RegExp][] = [
    [{ HOMEASSISTANT_URL: 'http://x', HOMEASSISTANT_TOKEN: SECRET, MCP_PORT: 'abc' }, /MCP_PORT/],
    [{ HOMEASSISTANT_URL: 'http://x', HOMEASSISTANT_TOKEN: SECRET, MCP_PORT: '70000' }, /MCP_PORT/],
    [{ HOMEASSISTANT_URL: 'not a url', HOMEASSISTANT_TOKEN: SECRET }, /HOMEASSISTANT_URL/],
    [{ HOMEASSISTANT_URL: 'http://x' }, /HOMEASSISTANT_TOKEN/],
    [{}, /HOMEASSISTANT_URL/],
    [{ HOMEASSISTANT_URL: 'http://x', HOMEASSISTANT_TOKEN: SECRET, MCP_SECRET_PATH: 'mcp' }, /MCP_SECRET_PATH/],
  ];
  for (const [env, re] of cases) {
    const err = t.throws(() => loadConfig(env)) as Error;
    t.ok(err instanceof ConfigError, 'ConfigError');
    t.match(err.message, re);
    t.notMatch(err.message, SECRET);
    t.notOk(err.message.includes('\n'), 'one line');
  }
});

t.test('options file errors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'options.json');
  writeFileSync(file, JSON.stringify({ api_keys: [{ name: 'x', key: 'short' }] }));
  t.throws(() => loadConfig({ HOMEASSISTANT_URL: 'http://x', HOMEASSISTANT_TOKEN: SECRET, MCP_OPTIONS_FILE: file }), /api_keys\.0\.key/);
  writeFileSync(file, '{nope');
  t.throws(() => loadConfig({ HOMEASSISTANT_URL: 'http://x', HOMEASSISTANT_TOKEN: SECRET, MCP_OPTIONS_FILE: file }), /not valid JSON/);
  writeFileSync(file, JSON.stringify({ allowed_services: ['light'] }));
  t.throws(() => loadConfig({ HOMEASSISTANT_URL: 'http://x', HOMEASSISTANT_TOKEN: SECRET, MCP_OPTIONS_FILE: file }), /allowed_services\.0/);
  t.throws(() => loadConfig({ HOMEASSISTANT_URL: 'http://x', HOMEASSISTANT_TOKEN: SECRET, MCP_OPTIONS_FILE: join(dir, 'missing.json') }), /Cannot read/);
});

t.test('public_url: optional, http(s) only, kept without trailing slash', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'options.json');
  const env = { HOMEASSISTANT_URL: 'http://x', HOMEASSISTANT_TOKEN: SECRET, MCP_OPTIONS_FILE: file };
  writeFileSync(file, '{}');
  t.equal(loadConfig(env).publicUrl, undefined);
  writeFileSync(file, JSON.stringify({ public_url: 'https://ha.example.com/mcp/' }));
  t.equal(loadConfig(env).publicUrl, 'https://ha.example.com/mcp');
  writeFileSync(file, JSON.stringify({ public_url: 'ftp://ha.example.com' }));
  t.throws(() => loadConfig(env), /public_url/);
});
