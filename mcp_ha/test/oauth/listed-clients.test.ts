// A client listed in the add-on options (oauth_clients): no registration, its redirect URIs as
// given; the consent page says where it comes from, and the tokens work as for any other client.
import t from 'tap';
import { Browser, pkce, probe, REDIRECT, signInByHand, startOAuthStack } from './helpers.js';

const stack = await startOAuthStack({ options: { oauth_clients: [{ client_id: 'my-assistant', client_name: 'My Assistant', redirect_uris: [REDIRECT] }] } });
t.teardown(() => stack.close());

t.test('a listed client signs in', async (t) => {
  const { challenge } = pkce();
  const q = new URLSearchParams({ response_type: 'code', client_id: 'my-assistant', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' });
  const { consentPage } = await new Browser().signIn(`${stack.url}/oauth/authorize?${q}`, 'deny', REDIRECT);
  t.match(consentPage, 'My Assistant');
  t.match(consentPage, 'listed in the add-on options');
  const s = await signInByHand(stack, 'my-assistant');
  const tk = await s.tokens();
  t.equal(tk.status, 200);
  t.equal((await probe(stack, tk.json.access_token as string)).status, 200);
  t.equal(stack.built.oauth!.grants.list({ clientId: 'my-assistant' })[0]?.client_kind, 'options');
  const other = new URLSearchParams({ response_type: 'code', client_id: 'my-assistant', redirect_uri: 'http://127.0.0.1:9/elsewhere', code_challenge: challenge, code_challenge_method: 'S256' });
  t.equal((await new Browser().request(`${stack.url}/oauth/authorize?${other}`)).status, 400, 'only its listed redirect URIs');
});
