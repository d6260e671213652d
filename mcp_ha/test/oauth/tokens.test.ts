// Our token endpoint and the access tokens, over real ports with the simulator's Home Assistant
// login: PKCE, single-use codes, refresh rotation and reuse detection (the family ends),
// revocation (RFC 7009), an expired token, a token for another audience, a sign-in Home Assistant
// revoked (our tokens stop within the verdict cache time), denied consent, registration rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createAccessTokens } from '../../src/auth/oauth/tokens.js';
import { Browser, pkce, postForm, probe, REDIRECT, register, signInByHand, startOAuthStack } from './helpers.js';

let offset = 0;
const stack = await startOAuthStack({ now: () => Date.now() + offset, authCacheMs: 300 });
t.teardown(() => stack.close());
const token = `${stack.url}/oauth/token`;
const { json: client } = await register(stack);
const clientId = client.client_id as string;

t.test('code: PKCE S256, single use, a second use ends the grant it made', async (t) => {
  const s = await signInByHand(stack, clientId, { state: 'xyz' });
  t.equal(s.redirect.searchParams.get('state'), 'xyz');
  t.equal(s.redirect.searchParams.get('iss'), stack.url, 'iss on the redirect (RFC 9207)');
  const bad = await postForm(token, { grant_type: 'authorization_code', code: s.code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce().verifier });
  t.equal(bad.json.error, 'invalid_grant', 'a wrong code_verifier is refused');
  // The code was used up by the failed attempt: sign in again.
  const s2 = await signInByHand(stack, clientId);
  const first = await s2.tokens();
  t.equal(first.status, 200);
  t.equal(first.json.token_type, 'Bearer');
  t.equal(first.json.scope, 'mcp');
  t.equal(first.headers.get('cache-control'), 'no-store');
  t.equal((await probe(stack, first.json.access_token as string)).status, 200, 'the access token works');
  const replay = await s2.tokens();
  t.equal(replay.json.error, 'invalid_grant', 'a code works once');
  t.equal((await probe(stack, first.json.access_token as string)).status, 401, 'and its replay revoked what the first use made');
});

t.test('authorize: errors go back to the client with state and iss', async (t) => {
  const browser = new Browser();
  const base = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, state: 's1' };
  const noPkce = await browser.request(`${stack.url}/oauth/authorize?${new URLSearchParams(base)}`);
  const loc = new URL(noPkce.location ?? '');
  t.equal(loc.searchParams.get('error'), 'invalid_request');
  t.equal(loc.searchParams.get('state'), 's1');
  t.equal(loc.searchParams.get('iss'), stack.url);
  const plain = await browser.request(`${stack.url}/oauth/authorize?${new URLSearchParams({ ...base, code_challenge: pkce().challenge, code_challenge_method: 'plain' })}`);
  t.match(plain.location, /error=invalid_request/, 'plain PKCE is refused');
  const other = await browser.request(`${stack.url}/oauth/authorize?${new URLSearchParams({ ...base, code_challenge: pkce().challenge, code_challenge_method: 'S256', resource: 'https://other.example/mcp' })}`);
  t.match(other.location, /error=invalid_target/, 'a foreign resource is refused');
  const wrongRedirect = await browser.request(`${stack.url}/oauth/authorize?${new URLSearchParams({ ...base, redirect_uri: 'https://evil.example/cb', code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`);
  t.equal(wrongRedirect.status, 400, 'an unregistered redirect_uri gets a page, never a redirect');
  t.equal(wrongRedirect.location, undefined);
  const unknown = await browser.request(`${stack.url}/oauth/authorize?${new URLSearchParams({ ...base, client_id: 'nobody', code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`);
  t.equal(unknown.status, 400);
  t.match(unknown.text, 'The client is not known');
});

t.test('a sign-in finishes only in the browser that started it (login CSRF)', async (t) => {
  const a = new Browser();
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
  const toHa = await a.request(`${stack.url}/oauth/authorize?${q}`);
  const form = await a.request(toHa.location!);
  const fields = Object.fromEntries([...form.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] as string, (m[2] as string).replace(/&amp;/g, '&')]));
  const back = await a.request(`${stack.sim.url}/auth/authorize`, { form: { ...fields, username: 'alice', password: 'alice-password-123' } });
  t.match(back.location, `${stack.url}/oauth/ha-callback?`);
  const other = await new Browser().request(back.location!);
  t.equal(other.status, 400, 'another browser is refused');
  t.match(other.text, 'started in another browser');
  const own = await a.request(back.location!);
  // Alice allowed this client earlier: remembered, so straight back to the client with a code.
  t.equal(own.status, 302, 'the browser that started it finishes');
  t.match(own.location, new RegExp(`^${REDIRECT}\\?code=`));
});

t.test('consent denied: access_denied to the client, no grant', async (t) => {
  const { json } = await register(stack, 'Denied client');
  const { challenge } = pkce();
  const q = new URLSearchParams({ response_type: 'code', client_id: json.client_id as string, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'd' });
  const { redirect, consentPage } = await new Browser().signIn(`${stack.url}/oauth/authorize?${q}`, 'deny', REDIRECT);
  t.ok(consentPage);
  t.equal(redirect.searchParams.get('error'), 'access_denied');
  t.equal(redirect.searchParams.get('state'), 'd');
  t.equal(stack.built.oauth!.grants.list({ clientId: json.client_id as string }).length, 0);
});

t.test('refresh: rotation, and a replayed refresh token ends the whole family', async (t) => {
  const s = await signInByHand(stack, clientId);
  const t1 = (await s.tokens()).json;
  const r1 = await postForm(token, { grant_type: 'refresh_token', refresh_token: t1.refresh_token as string, client_id: clientId });
  t.equal(r1.status, 200);
  t.not(r1.json.refresh_token, t1.refresh_token, 'a new refresh token each time');
  t.equal((await probe(stack, r1.json.access_token as string)).status, 200);
  const other = await register(stack, 'Thief');
  const stolen = await postForm(token, { grant_type: 'refresh_token', refresh_token: r1.json.refresh_token as string, client_id: other.json.client_id as string });
  t.equal(stolen.json.error, 'invalid_grant', 'another client cannot use it');
  const reuse = await postForm(token, { grant_type: 'refresh_token', refresh_token: t1.refresh_token as string, client_id: clientId });
  t.equal(reuse.json.error, 'invalid_grant', 'the spent one is refused');
  const next = await postForm(token, { grant_type: 'refresh_token', refresh_token: r1.json.refresh_token as string, client_id: clientId });
  t.equal(next.json.error, 'invalid_grant', 'and the live one of that family is gone too');
  t.equal((await probe(stack, r1.json.access_token as string)).status, 401, 'as are its access tokens');
});

t.test('revocation (RFC 7009)', async (t) => {
  const s = await signInByHand(stack, clientId);
  const tk = (await s.tokens()).json;
  t.equal((await postForm(`${stack.url}/oauth/revoke`, { token: 'not-a-token', client_id: clientId })).status, 200, 'unknown tokens: 200');
  const r = await postForm(`${stack.url}/oauth/revoke`, { token: tk.refresh_token as string, token_type_hint: 'refresh_token', client_id: clientId });
  t.equal(r.status, 200);
  const p = await probe(stack, tk.access_token as string);
  t.equal(p.status, 401);
  t.match(p.challenge, /resource_metadata=/);
  t.equal((await postForm(token, { grant_type: 'refresh_token', refresh_token: tk.refresh_token as string, client_id: clientId })).json.error, 'invalid_grant');
  // An access token revokes its grant too.
  const tk2 = (await (await signInByHand(stack, clientId)).tokens()).json;
  await postForm(`${stack.url}/oauth/revoke`, { token: tk2.access_token as string, client_id: clientId });
  t.equal((await probe(stack, tk2.access_token as string)).status, 401);
});

t.test('an expired access token: 401 with WWW-Authenticate; the refresh token still works', async (t) => {
  const tk = (await (await signInByHand(stack, clientId)).tokens()).json;
  offset += 16 * 60_000;
  t.teardown(() => void (offset -= 16 * 60_000));
  const p = await probe(stack, tk.access_token as string);
  t.equal(p.status, 401);
  t.match(p.challenge, /error="invalid_token"/);
  t.match(p.body.message, /expired/);
  const r = await postForm(token, { grant_type: 'refresh_token', refresh_token: tk.refresh_token as string, client_id: clientId });
  t.equal(r.status, 200);
  t.equal((await probe(stack, r.json.access_token as string)).status, 200);
});

t.test('a token for another audience: 401 with WWW-Authenticate', async (t) => {
  const s = await signInByHand(stack, clientId);
  const tk = (await s.tokens()).json;
  const grant = stack.built.oauth!.grants.list({ clientId }).at(-1)!;
  // Signed with this server's own key, but for another resource.
  const key = Buffer.from(readFileSync(join(stack.dataDir, 'data', 'oauth', 'key'), 'utf8').trim(), 'base64');
  const other = await createAccessTokens({ key, issuer: stack.url, audiences: [] }).sign({ sub: grant.user_id, client_id: clientId, grant: grant.id, scope: 'mcp' }, 'https://other.example/mcp');
  const p = await probe(stack, other.token);
  t.equal(p.status, 401);
  t.match(p.challenge, /resource_metadata=".*", scope="mcp", error="invalid_token"/);
  t.match(p.body.message, /another resource/);
  t.equal((await probe(stack, tk.access_token as string)).status, 200, 'the right one works');
  const ask = await postForm(token, { grant_type: 'refresh_token', refresh_token: tk.refresh_token as string, client_id: clientId, resource: 'https://other.example/mcp' });
  t.equal(ask.json.error, 'invalid_target', 'tokens for other resources are not issued');
});

t.test('Home Assistant revokes the sign-in: our tokens stop within the verdict time', async (t) => {
  const tk = (await (await signInByHand(stack, clientId)).tokens()).json;
  t.equal((await probe(stack, tk.access_token as string)).status, 200);
  const grant = stack.built.oauth!.grants.list({ clientId }).at(-1)!;
  const haRefresh = stack.built.oauth!.haRefreshTokenOf(grant.id)!;
  // What the user's profile page in Home Assistant does.
  const res = await fetch(`${stack.sim.url}/auth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: haRefresh }).toString() });
  t.equal(res.status, 200);
  await new Promise((r) => setTimeout(r, 400));
  const p = await probe(stack, tk.access_token as string);
  t.equal(p.status, 401);
  t.match(p.body.message, /no longer accepts/);
  t.equal(stack.built.oauth!.grants.list().some((g) => g.id === grant.id), false, 'the grant is gone');
  t.equal((await postForm(token, { grant_type: 'refresh_token', refresh_token: tk.refresh_token as string, client_id: clientId })).json.error, 'invalid_grant');
});

t.test('one user and client keep at most 10 grants (the oldest ends)', async (t) => {
  const { json } = await register(stack, 'Busy client');
  const id = json.client_id as string;
  const first = (await (await signInByHand(stack, id)).tokens()).json;
  for (let i = 0; i < 10; i++) t.equal((await (await signInByHand(stack, id)).tokens()).status, 200);
  t.equal(stack.built.oauth!.grants.list({ clientId: id }).length, 10);
  t.equal((await probe(stack, first.access_token as string)).status, 401, 'the oldest sign-in ended');
});

t.test('an unused registration expires after a day', async (t) => {
  const { json } = await register(stack, 'Forgotten');
  offset += 25 * 3600_000;
  t.teardown(() => void (offset -= 25 * 3600_000));
  const q = new URLSearchParams({ response_type: 'code', client_id: json.client_id as string, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
  const r = await new Browser().request(`${stack.url}/oauth/authorize?${q}`);
  t.equal(r.status, 400);
  t.match(r.text, 'The client is not known');
  t.ok(stack.built.oauth!.grants.list({ clientId }).length > 0, 'used registrations stay');
});

t.test('registration: redirect URI rules, confidential clients, rate limit', async (t) => {
  t.equal((await register(stack, 'x', { redirect_uris: ['http://evil.example/cb'] })).json.error, 'invalid_redirect_uri');
  t.equal((await register(stack, 'x', { redirect_uris: ['javascript:alert(1)'] })).json.error, 'invalid_redirect_uri');
  t.equal((await register(stack, 'x', { redirect_uris: ['https://a.example/cb#frag'] })).json.error, 'invalid_redirect_uri');
  t.equal((await register(stack, 'x', { grant_types: ['client_credentials'] })).json.error, 'invalid_client_metadata');
  const conf = await register(stack, 'Confidential', { token_endpoint_auth_method: 'client_secret_basic' });
  t.equal(conf.status, 201);
  t.ok(conf.json.client_secret);
  const s = await signInByHand(stack, conf.json.client_id as string);
  const noSecret = await s.tokens();
  t.equal(noSecret.status, 401);
  t.equal(noSecret.json.error, 'invalid_client');
  const s2 = await signInByHand(stack, conf.json.client_id as string);
  const basic = Buffer.from(`${encodeURIComponent(conf.json.client_id as string)}:${encodeURIComponent(conf.json.client_secret as string)}`).toString('base64');
  const ok = await postForm(token, { grant_type: 'authorization_code', code: s2.code, redirect_uri: REDIRECT, code_verifier: s2.verifier }, { authorization: `Basic ${basic}` });
  t.equal(ok.status, 200, JSON.stringify(ok.json));
  let limited = 0;
  for (let i = 0; i < 25 && !limited; i++) if ((await register(stack, `flood ${i}`)).status === 429) limited = i;
  t.ok(limited > 0, `registration is rate-limited (429 after ${limited} more)`);
});
