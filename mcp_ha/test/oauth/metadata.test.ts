// The discovery documents over real ports: RFC 9728 protected-resource metadata (root and the
// path-scoped variant), RFC 8414 authorization-server metadata and openid-configuration with
// every field MCP clients rely on, CORS for browser clients, the 401 challenge on /mcp, /sse and
// /messages; and which server paths answer when the base URL has a path (behind a proxy).
import { request } from 'node:http';
import t from 'tap';
import { oauthUrls } from '../../src/auth/oauth/metadata.js';
import { freePort } from '../helpers/net.js';
import { API_KEY, Browser, pkce, probe, REDIRECT, register, startOAuthStack } from './helpers.js';

const stack = await startOAuthStack();
t.teardown(() => stack.close());

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${stack.url}${path}`, { headers });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
};

t.test('protected-resource metadata, root and path-scoped', async (t) => {
  for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
    const r = await get(path, { origin: 'https://claude.ai' });
    t.equal(r.status, 200, path);
    t.same(r.json, { resource: stack.mcpUrl, authorization_servers: [stack.url], scopes_supported: ['mcp'], bearer_methods_supported: ['header'], resource_name: 'Home Assistant (MCP)' });
    t.equal(r.headers.get('access-control-allow-origin'), '*', 'CORS for browser clients');
  }
});

t.test('authorization-server metadata and openid-configuration', async (t) => {
  for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    const { status, json } = await get(path);
    t.equal(status, 200);
    t.equal(json.issuer, stack.url);
    t.equal(json.authorization_endpoint, `${stack.url}/oauth/authorize`);
    t.equal(json.token_endpoint, `${stack.url}/oauth/token`);
    t.equal(json.registration_endpoint, `${stack.url}/oauth/register`);
    t.equal(json.revocation_endpoint, `${stack.url}/oauth/revoke`);
    t.same(json.code_challenge_methods_supported, ['S256']);
    t.ok((json.token_endpoint_auth_methods_supported as string[]).includes('none'));
    t.equal(json.client_id_metadata_document_supported, true);
    t.equal(json.authorization_response_iss_parameter_supported, true);
    t.same(json.scopes_supported, ['mcp']);
    t.same(json.response_types_supported, ['code']);
    t.same(json.grant_types_supported, ['authorization_code', 'refresh_token']);
    if (path.endsWith('openid-configuration')) {
      t.equal(json.jwks_uri, `${stack.url}/oauth/jwks`);
      t.same((await get('/oauth/jwks')).json, { keys: [] });
    }
  }
  const pre = await fetch(`${stack.url}/oauth/token`, { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'POST' } });
  t.equal(pre.status, 204, 'CORS preflight on the token endpoint');
  const mcpPre = await fetch(`${stack.url}/mcp`, { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'POST' } });
  t.equal(mcpPre.headers.get('access-control-allow-origin'), null, 'but none on /mcp');
  await mcpPre.body?.cancel();
});

t.test('every 401 names the resource metadata', async (t) => {
  for (const [method, path] of [['POST', '/mcp'], ['GET', '/sse'], ['POST', '/messages']] as const) {
    const res = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    t.equal(res.status, 401, path);
    t.equal(res.headers.get('www-authenticate'), `Bearer resource_metadata="${stack.url}/.well-known/oauth-protected-resource/mcp", scope="mcp"`);
    await res.body?.cancel();
  }
  const none = await fetch(`${stack.url}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  t.match(((await none.json()) as { suggestion: string }).suggestion, /^Sign in with OAuth/, 'the body says how to sign in');
  const bad = await fetch(`${stack.url}/mcp`, { method: 'POST', headers: { authorization: 'Bearer nonsense', 'content-type': 'application/json' }, body: '{}' });
  t.match(bad.headers.get('www-authenticate'), /error="invalid_token"/);
});

t.test('with OAuth on, API keys and Home Assistant tokens keep working', async (t) => {
  stack.sim.addToken('long-lived-token-for-bob-0123456789', { id: 'b0b', name: 'Bob', is_admin: false });
  for (const token of [API_KEY, 'long-lived-token-for-bob-0123456789']) t.equal((await probe(stack, token)).status, 200);
  t.equal((await probe(stack, 'long-lived-token-unknown-0123456789')).status, 401);
});

t.test('a base URL with a path: documents under the prefix name it everywhere', async (t) => {
  const u = oauthUrls('https://example.com/mcp', '/mcp');
  t.equal(u.issuer, 'https://example.com/mcp');
  t.equal(u.resource, 'https://example.com/mcp/mcp');
  t.equal(u.resourceMetadataUrl, 'https://example.com/mcp/.well-known/oauth-protected-resource/mcp');
  // After Nginx Proxy Manager strips /mcp/, and for a proxy that forwards the root forms unchanged.
  t.same(u.resourceMetadataPaths, ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource/mcp/mcp']);
  t.same(u.serverMetadataPaths, ['/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server/mcp', '/.well-known/openid-configuration', '/.well-known/openid-configuration/mcp']);
});

t.test("Home Assistant's login address: its external_url unless ha_external_url is set", async (t) => {
  const s = await startOAuthStack({ options: { ha_external_url: undefined } });
  t.teardown(() => s.close());
  const { json } = await register(s);
  const q = new URLSearchParams({ response_type: 'code', client_id: json.client_id as string, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
  const none = await new Browser().request(`${s.url}/oauth/authorize?${q}`);
  t.equal(none.status, 503, 'no external_url yet');
  t.match(none.text, 'ha_external_url');
  s.sim.home.updateCoreConfig({ external_url: `${s.sim.url}/` });
  await new Promise((r) => setTimeout(r, 300));
  const r = await new Browser().request(`${s.url}/oauth/authorize?${q}`);
  t.equal(r.status, 302);
  t.ok(r.location?.startsWith(`${s.sim.url}/auth/authorize?`), String(r.location));
});

t.test("the base URL's host is a known Host name, also beside a different public_url", async (t) => {
  const port = await freePort();
  const s = await startOAuthStack({ port, env: { MCP_BASE_URL: `http://mcp.example.test:${port}` }, options: { public_url: 'https://other.example/mcp' } });
  t.teardown(() => s.close());
  const status = (host: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/oauth/authorize', setHost: false, headers: { Host: host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  t.equal(await status(`mcp.example.test:${port}`), 400, 'base_url host: past the Host check (400: no client_id)');
  t.equal(await status('other.example'), 400, 'public_url host too');
  t.equal(await status('evil.example'), 403, 'any other name refused');
});
