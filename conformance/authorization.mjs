// Runs the conformance suite's authorization-server scenarios (authorization-server-metadata-endpoint,
// authorization-code-grant) against our OAuth server, and plays the person at the browser: the
// suite prints the authorization URL and waits for its callback on 127.0.0.1:PORT/callback; this
// script follows that URL with plain HTTP requests (cookies kept), fills in the simulator's Home
// Assistant login form, allows on our consent page and delivers the final redirect to the suite.
//
//   node authorization.mjs <suite cli> <issuer> <client id> <callback port> <resource> <output dir>
//   CONFORMANCE_LOGIN="user:password"  the simulator's login (from the environment, not argv)
// Exit status: the suite's (0 when both scenarios pass).
import { spawn } from 'node:child_process';

const [cli, issuer, clientId, port, resource, outDir] = process.argv.slice(2);
const [username, password] = (process.env.CONFORMANCE_LOGIN ?? '').split(/:(.*)/s);
if (!cli || !issuer || !clientId || !port || !resource || !outDir || !username || !password) {
  console.error('usage: CONFORMANCE_LOGIN=user:pw node authorization.mjs <cli> <issuer> <client id> <port> <resource> <output dir>');
  process.exit(2);
}

const cookies = new Map();
async function visit(url, form) {
  const u = new URL(url);
  const headers = {};
  const jar = cookies.get(u.origin);
  if (jar?.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = u.origin;
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(u, { method: form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0];
    const i = pair.indexOf('=');
    const m = cookies.get(u.origin) ?? new Map();
    m.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    cookies.set(u.origin, m);
  }
  const location = res.headers.get('location');
  return { status: res.status, text: await res.text(), location: location ? new URL(location, u).toString() : undefined, url };
}

const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** From our /oauth/authorize to the suite's callback: HA's login form, our consent page, the redirect. */
async function signIn(authorizationUrl) {
  const callback = `http://127.0.0.1:${port}/callback`;
  let r = await visit(authorizationUrl);
  for (let hops = 0; hops < 10; hops++) {
    if (r.status === 302 && r.location) {
      if (r.location.startsWith(callback)) return void (await fetch(r.location));
      r = await visit(r.location);
      continue;
    }
    const action = /<form method="post" action="([^"]*)"/.exec(r.text)?.[1];
    if (r.status !== 200 || !action) throw new Error(`sign-in stopped at ${r.url}: HTTP ${r.status}`);
    const fields = Object.fromEntries([...r.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], unescape(m[2])]));
    const target = new URL(unescape(action), r.url).toString();
    r = r.text.includes('name="password"') ? await visit(target, { ...fields, username, password }) : await visit(target, { ...fields, decision: 'allow' });
  }
  throw new Error('sign-in did not end in 10 steps');
}

const suite = spawn(process.execPath, [cli, 'authorization', '--url', issuer, '--client-id', clientId, '--port', port, '--resource', resource, '--output-dir', outDir], { stdio: ['ignore', 'pipe', 'inherit'] });
let buffered = '';
let signing;
suite.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  buffered += chunk;
  const m = new RegExp(`^${issuer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/oauth/authorize\\?\\S+$`, 'm').exec(buffered);
  if (m && !signing) {
    signing = signIn(m[0]).catch((err) => {
      console.error(`authorization.mjs: ${err.message}`);
      suite.kill('SIGTERM');
    });
  }
});
const code = await new Promise((resolve) => suite.once('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
process.exit(code);
