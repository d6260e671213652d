// The SDK client's own OAuth flow, end to end over real ports, with the v1 and the v2 client:
// connect -> 401 naming our resource metadata -> discovery -> dynamic registration -> PKCE ->
// our /oauth/authorize -> the simulator's Home Assistant login form -> our consent page -> code
// -> tokens -> a tool call that turns on a light as that Home Assistant user (the simulator's
// context.user_id is hers), the audit log naming user and client. A second sign-in of the same
// user and client skips the consent page (remembered).
import t from 'tap';
import { ALICE, API_KEY, Browser, connectWithOAuth, lightState, MemoryProvider, startOAuthStack } from './helpers.js';

for (const kind of ['v1', 'v2'] as const) {
  t.test(`${kind} client: discovery, registration, Home Assistant login, consent, a light turned on as Alice`, async (t) => {
    const stack = await startOAuthStack();
    t.teardown(() => stack.close());

    // The first 401 names the resource metadata, and discovery works from it.
    const res = await fetch(stack.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    t.equal(res.status, 401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    t.match(challenge, `Bearer resource_metadata="${stack.url}/.well-known/oauth-protected-resource/mcp"`);

    await fetch(`${stack.sim.url}/api/services/light/turn_off`, { method: 'POST', headers: { authorization: `Bearer ${stack.sim.token}`, 'content-type': 'application/json' }, body: '{"entity_id":"light.bed_light"}' });
    const provider = new MemoryProvider(`Test ${kind} client`);
    const browser = new Browser();
    const client = await connectWithOAuth(kind, stack.mcpUrl, provider, browser);
    t.teardown(() => client.close());

    t.match(provider.info?.client_id, /^dcr_/, 'registered dynamically');
    t.ok(provider.saved?.refresh_token, 'got a refresh token');
    t.ok(client.consentPage, 'a consent page was shown');
    t.match(client.consentPage, `Test ${kind} client`, 'it names the client');
    t.match(client.consentPage, 'Alice', 'it names the Home Assistant user');
    t.match(client.consentPage, '127.0.0.1:9', 'it names the redirect host');
    t.match(client.consentPage, 'dynamic client registration', 'it says how the client registered');
    t.ok(browser.visited.some((u) => u.startsWith(`${stack.sim.url}/auth/authorize?`)), 'the browser went through Home Assistant\'s login page');
    const haLogin = new URL(browser.visited.find((u) => u.startsWith(`${stack.sim.url}/auth/authorize?`)) as string);
    t.equal(haLogin.searchParams.get('client_id'), `${stack.url}/`, 'HA client_id = our base URL');
    t.equal(haLogin.searchParams.get('redirect_uri'), `${stack.url}/oauth/ha-callback`, 'HA redirect_uri on our origin');

    const { json } = await client.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.bed_light' });
    t.equal(json.success, true, JSON.stringify(json));
    const light = await lightState(stack.sim, 'light.bed_light');
    t.equal(light.state, 'on');
    t.equal(light.user, ALICE.user.id, 'Home Assistant saw Alice (context.user_id)');

    const audit = await fetch(`${stack.url}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ha_audit_log', arguments: {} } }),
    });
    const text = ((await audit.json()) as { result: { content: { text: string }[] } }).result.content[0]?.text ?? '';
    t.match(text, `oauth:Alice@Test ${kind} client#`, 'the audit log names user and client');

    // Grants by user and client: the internal API of the web page.
    const grants = stack.built.oauth!.grants.list({ userId: ALICE.user.id });
    t.equal(grants.length, 1);
    t.equal(grants[0]?.client_name, `Test ${kind} client`);
    t.notOk(JSON.stringify(grants).includes(provider.saved!.refresh_token!), 'no token in the summary');

    // Signing in again with the same client: no consent page (remembered), a second grant.
    const again = new MemoryProvider(`Test ${kind} client`);
    again.info = provider.info;
    const second = await connectWithOAuth(kind, stack.mcpUrl, again, browser);
    t.teardown(() => second.close());
    t.equal(second.consentPage, undefined, 'consent remembered for this user and client');
    t.equal(stack.built.oauth!.grants.list({ userId: ALICE.user.id }).length, 2);

    // Revoking the consent ends both grants; the next call is a 401 with the challenge.
    t.equal(await stack.built.oauth!.grants.revokeConsent(ALICE.user.id, provider.info!.client_id as string), 2);
    const after = await fetch(`${stack.url}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${provider.saved!.access_token}`, 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    t.equal(after.status, 401);
    t.match(after.headers.get('www-authenticate'), /resource_metadata=.*error="invalid_token"/);

    for (const secret of [provider.saved!.access_token, provider.saved!.refresh_token!]) t.notOk(stack.logs().includes(secret), 'no token in the logs');
  });
}
