// Bearer auth through a real port: open /health, 401s, API keys, Home Assistant user tokens,
// revocation within the verdict cache window, and no secret in any log line.
import t from 'tap';
import { API_KEY, USER_TOKEN, startStack } from '../helpers/stack.js';

t.test('auth', async (t) => {
  const stack = await startStack({ authCacheMs: 300 });
  t.teardown(() => stack.close());

  t.test('/health is open and works with auth too', async (t) => {
    const variants: Record<string, string>[] = [{}, { Authorization: `Bearer ${API_KEY}` }, { Authorization: 'Bearer wrong' }];
    for (const headers of variants) {
      const res = await fetch(`${stack.url}/health`, { headers });
      t.equal(res.status, 200);
      const body = (await res.json()) as Record<string, any>;
      t.equal(body.status, 'healthy');
      t.equal(body.service, 'mcp-ha-server');
      t.equal(body.home_assistant.connected, true);
      t.match(body.home_assistant.version, /^\d{4}\.\d+/);
      t.ok(body.home_assistant.entities > 100);
      t.notMatch(JSON.stringify(body), stack.sim.token);
    }
  });

  t.test('missing, malformed and wrong tokens get 401 with WWW-Authenticate and advice', async (t) => {
    const cases: Record<string, string>[] = [{}, { Authorization: 'Basic abc' }, { Authorization: 'Bearer not-a-valid-token' }];
    for (const path of ['/messages', '/mcp']) {
      for (const headers of cases) {
        const res = await fetch(`${stack.url}${path}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
        });
        t.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
        t.match(res.headers.get('www-authenticate'), /^Bearer/);
        const body = (await res.json()) as Record<string, string>;
        t.equal(body.error, 'unauthorized');
        t.match(body.suggestion, /long-lived access token/);
        t.notMatch(JSON.stringify(body), 'not-a-valid-token');
      }
    }
  });

  t.test('API key and Home Assistant user token are accepted', async (t) => {
    for (const token of [API_KEY, USER_TOKEN]) {
      const { status, json } = await stack.rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, token);
      t.equal(status, 200);
      t.ok(((json as any).result.tools as unknown[]).length >= 5);
    }
  });

  t.test('a revoked Home Assistant token stops working once its verdict expires', async (t) => {
    const token = 'revocable-user-token-0123456789';
    stack.sim.addToken(token, { id: 'user-2', name: 'Revoked User' });
    t.equal((await stack.rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }, token)).status, 200);
    stack.sim.revokeToken(token);
    await new Promise((r) => setTimeout(r, 400));
    t.equal((await stack.rpc({ jsonrpc: '2.0', id: 2, method: 'ping' }, token)).status, 401);
  });

  t.test('a service call with a user token is made as that user', async (t) => {
    const { json } = await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.kitchen_lights', service_data: { brightness: 99 } }, await stack.client(USER_TOKEN));
    t.equal(json.success, true);
    const after = stack.sim.home.getState('light.kitchen_lights');
    t.equal(after?.attributes.brightness, 99);
    t.equal(after?.context.user_id, 'user-1', 'Home Assistant attributes the change to the token\'s user');
  });

  t.test('no token or key ever reaches the log', async (t) => {
    const logs = stack.logs();
    t.ok(logs.length > 0);
    for (const secret of [API_KEY, USER_TOKEN, stack.sim.token, 'not-a-valid-token', 'revocable-user-token-0123456789']) {
      t.notOk(logs.includes(secret), 'secret absent from logs');
    }
  });
});
