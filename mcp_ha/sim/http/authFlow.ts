// Home Assistant's login and OAuth2 endpoints (no credentials needed), as in rest-auth-flow.json:
// /.well-known/oauth-authorization-server, /auth/providers, /auth/login_flow[/<flow_id>],
// /auth/token (form-encoded grants and the old action=revoke), /auth/revoke, and /auth/authorize.
// HA's /auth/authorize is its frontend's JavaScript login page; ours is a plain HTML form that
// posts back to /auth/authorize (a simulator-only handler), runs the same login flow and redirects
// to redirect_uri?code=…&state=… the way the frontend does.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ACCESS_TOKEN_SECONDS, type LoginFlow, type OAuthStore } from '../oauth.js';
import { isLocalAddress, verifyClientId } from '../util/indieauth.js';
import { pyStr } from '../util/pyrepr.js';
import { isObject, parseJson } from './context.js';
import { crash, empty, json, message, plain, SECURITY, type Reply } from './respond.js';

export interface AuthDeps {
  oauth: OAuthStore;
  /** When the simulator started (the login page's Last-Modified, as for a static file). */
  startedAt: Date;
}

const HANDLER = '["homeassistant",null]';
const DATA_SCHEMA = '[{"type":"string","name":"username","required":true},{"type":"string","name":"password","required":true}]';
const NO_STORE: [string, string][] = [
  ['Cache-Control', 'no-store'],
  ['Pragma', 'no-cache'],
];

type Handler = (deps: AuthDeps, req: IncomingMessage, body: string, param: string) => Reply;

const routes: { re: RegExp; methods: Record<string, Handler> }[] = [
  { re: /^\/\.well-known\/oauth-authorization-server$/, methods: { GET: metadata } },
  { re: /^\/auth\/providers$/, methods: { GET: providers } },
  { re: /^\/auth\/authorize$/, methods: { GET: authorizePage, POST: authorizeSubmit } },
  // HA's handler answers GET itself: 405 with no body.
  { re: /^\/auth\/login_flow$/, methods: { GET: () => empty(405), POST: startFlow } },
  // GET: the handler lacks its flow_id argument, a TypeError in HA (aiohttp's 500).
  { re: /^\/auth\/login_flow\/([^/]+)$/, methods: { GET: () => crash(), POST: stepFlow, DELETE: abortFlow } },
  { re: /^\/auth\/token$/, methods: { POST: token } },
  { re: /^\/auth\/revoke$/, methods: { POST: revoke } },
];

/** The answer for an /auth/* (or OAuth metadata) request, or null when the path is not one of them. */
export function authRoute(deps: AuthDeps, req: IncomingMessage, path: string, body: string): Reply | null {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (!m) continue;
    const handler = r.methods[(req.method ?? 'GET').toUpperCase()];
    if (!handler) return plain(405, 'Method Not Allowed', [['Allow', [...Object.keys(r.methods), 'OPTIONS'].sort().join(',')]]);
    return handler(deps, req, body, m[1] ? decodeURIComponent(m[1]) : '');
  }
  return null;
}

function remoteIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/i, '');
}

function metadata(_deps: AuthDeps, req: IncomingMessage): Reply {
  // HA's get_url(require_current_request=True): the address the request came to, else relative paths.
  const host = req.headers.host;
  const base = host ? `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${host}` : '';
  return json(
    200,
    JSON.stringify({
      authorization_endpoint: `${base}/auth/authorize`,
      token_endpoint: `${base}/auth/token`,
      revocation_endpoint: `${base}/auth/revoke`,
      response_types_supported: ['code'],
      service_documentation: 'https://developers.home-assistant.io/docs/auth_api',
      issuer: base,
    }),
  );
}

function providers(_deps: AuthDeps, req: IncomingMessage): Reply {
  const remember = isLocalAddress(remoteIp(req));
  return json(200, `{"providers":[{"name":"Home Assistant Local","id":null,"type":"homeassistant"}],"preselect_remember_me":${remember}}`);
}

// ---- login flow (JSON) ----

/** voluptuous' message for the first problem of a dict against {key: validator} (errors in data order, then missing keys). */
function schemaError(data: unknown, fields: Record<string, { required?: boolean; check: (v: unknown, path: string) => string | null }>, extra: boolean): string | null {
  if (!isObject(data)) return 'expected a dictionary';
  for (const [k, v] of Object.entries(data)) {
    const path = `data[${pyStr(k)}]`;
    const field = fields[k];
    if (!field) {
      if (!extra) return `extra keys not allowed @ ${path}`;
      continue;
    }
    const problem = field.check(v, path);
    if (problem) return problem;
  }
  for (const [k, f] of Object.entries(fields)) if (f.required && !(k in data)) return `required key not provided @ data[${pyStr(k)}]`;
  return null;
}

const str = (v: unknown, path: string): string | null => (typeof v === 'string' ? null : `expected str for dictionary value @ ${path}`);

function handlerCheck(v: unknown, path: string): string | null {
  if (!Array.isArray(v)) return `expected a list for dictionary value @ ${path}`;
  for (let i = 0; i < v.length; i++) if (v[i] !== null && typeof v[i] !== 'string') return `expected str @ ${path}[${i}]`;
  if (v.length < 2) return `length of value must be at least 2 for dictionary value @ ${path}`;
  if (v.length > 2) return `length of value must be at most 2 for dictionary value @ ${path}`;
  return null;
}

const START_SCHEMA = { client_id: { required: true, check: str }, handler: { required: true, check: handlerCheck }, redirect_uri: { required: true, check: str }, type: { check: str } };
const STEP_SCHEMA = { client_id: { required: true, check: str } };

function formJson(flowId: string, error: string | null): string {
  const errors = error ? `{"base":${JSON.stringify(error)}}` : '{}';
  return `{"type":"form","flow_id":"${flowId}","handler":${HANDLER},"data_schema":${DATA_SCHEMA},"errors":${errors},"description_placeholders":null,"last_step":null,"preview":null,"step_id":"init"}`;
}

type FlowAnswer = { reply: Reply; flow?: LoginFlow; code?: string; formError?: string | null };

function startFlowWith(deps: AuthDeps, data: unknown, ip: string): FlowAnswer {
  const problem = schemaError(data, START_SCHEMA, false);
  if (problem) return { reply: message(400, `Message format incorrect: ${problem}`) };
  const d = data as { client_id: string; handler: (string | null)[]; redirect_uri: string };
  if (!verifyClientId(d.client_id)) return { reply: message(400, 'Invalid client id') };
  // Any other provider is a KeyError in HA (the 404 "Invalid handler specified" it means to send never comes).
  if (d.handler[0] !== 'homeassistant' || d.handler[1] !== null) return { reply: crash() };
  const flow = deps.oauth.startFlow(d.redirect_uri, ip);
  return { reply: json(200, formJson(flow.flowId, null)), flow };
}

function stepFlowWith(deps: AuthDeps, flowId: string, data: unknown, ip: string): FlowAnswer {
  const problem = schemaError(data, STEP_SCHEMA, true);
  if (problem) return { reply: message(400, `Message format incorrect: ${problem}`) };
  const { client_id: clientId, ...input } = data as Record<string, unknown> & { client_id: string };
  if (!verifyClientId(clientId)) return { reply: message(400, 'Invalid client id') };
  const flow = deps.oauth.flow(flowId);
  if (!flow) return { reply: message(404, 'Invalid flow specified') };
  if (flow.ip !== ip) return { reply: message(400, 'IP address changed') };
  const keys = Object.keys(input);
  if (typeof input.username !== 'string' || typeof input.password !== 'string' || keys.length !== 2) {
    return { reply: message(400, 'User input malformed') };
  }
  const result = deps.oauth.step(flow, clientId, input.username, input.password);
  if (result.kind === 'form') return { reply: json(200, formJson(flowId, result.error)), formError: result.error };
  if (result.kind === 'bad_redirect') return { reply: message(403, 'Invalid redirect URI') };
  return {
    reply: json(200, `{"type":"create_entry","flow_id":"${flowId}","handler":${HANDLER},"description":null,"description_placeholders":null,"result":"${result.code}"}`),
    code: result.code,
  };
}

function startFlow(deps: AuthDeps, req: IncomingMessage, body: string): Reply {
  const parsed = parseJson(body);
  if (!parsed.ok) return message(400, 'Invalid JSON.');
  return startFlowWith(deps, parsed.value, remoteIp(req)).reply;
}

function stepFlow(deps: AuthDeps, req: IncomingMessage, body: string, flowId: string): Reply {
  const parsed = parseJson(body);
  if (!parsed.ok) return message(400, 'Invalid JSON.');
  return stepFlowWith(deps, flowId, parsed.value, remoteIp(req)).reply;
}

function abortFlow(deps: AuthDeps, _req: IncomingMessage, _body: string, flowId: string): Reply {
  return deps.oauth.abortFlow(flowId) ? message(200, 'Flow aborted') : message(404, 'Invalid flow specified');
}

// ---- token endpoint (form-encoded) ----

/** aiohttp's request.post(): form fields only for a urlencoded body (or an empty Content-Type); nothing otherwise. */
function formFields(req: IncomingMessage, body: string): URLSearchParams {
  const type = req.headers['content-type'];
  if (type === undefined) return new URLSearchParams();
  const mime = type.split(';')[0]!.trim().toLowerCase();
  if (mime !== '' && mime !== 'application/x-www-form-urlencoded') return new URLSearchParams();
  return new URLSearchParams(body.trimEnd());
}

const tokenError = (error: string, description?: string): Reply =>
  json(400, JSON.stringify(description === undefined ? { error } : { error, error_description: description }));

function token(deps: AuthDeps, req: IncomingMessage, body: string): Reply {
  const form = formFields(req, body);
  if (form.get('action') === 'revoke') return revokeWith(deps, form);
  const grant = form.get('grant_type');
  const clientId = form.get('client_id');
  const ip = remoteIp(req);
  if (grant === 'authorization_code') {
    if (clientId === null || !verifyClientId(clientId)) return tokenError('invalid_request', 'Invalid client id');
    const code = form.get('code');
    if (code === null) return tokenError('invalid_request', 'Invalid code');
    const granted = deps.oauth.exchangeCode(clientId, code, ip);
    if (!granted) return tokenError('invalid_request', 'Invalid code');
    return json(
      200,
      JSON.stringify({
        access_token: granted.accessToken,
        token_type: 'Bearer',
        refresh_token: granted.refreshToken.token,
        expires_in: ACCESS_TOKEN_SECONDS,
        ha_auth_provider: 'homeassistant',
      }),
      undefined,
      NO_STORE,
    );
  }
  if (grant === 'refresh_token') {
    if (clientId !== null && !verifyClientId(clientId)) return tokenError('invalid_request', 'Invalid client id');
    const secret = form.get('refresh_token');
    if (secret === null) return tokenError('invalid_request');
    const rt = deps.oauth.refreshToken(secret);
    if (!rt) return tokenError('invalid_grant');
    if (rt.clientId !== clientId) return tokenError('invalid_request');
    const accessToken = deps.oauth.accessToken(rt, ip);
    return json(200, JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS }), undefined, NO_STORE);
  }
  return tokenError('unsupported_grant_type');
}

function revokeWith(deps: AuthDeps, form: URLSearchParams): Reply {
  const t = form.get('token');
  if (t !== null) deps.oauth.revoke(t);
  // RFC 7009: 200 whether or not the token was known.
  return empty(200);
}

function revoke(deps: AuthDeps, req: IncomingMessage, body: string): Reply {
  return revokeWith(deps, formFields(req, body));
}

// ---- the login page (the simulator's stand-in for HA's frontend) ----

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface PageParams {
  clientId: string | null;
  redirectUri: string | null;
  state: string | null;
}

function page(deps: AuthDeps, status: number, title: string, content: string): Reply {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;box-sizing:border-box}input{margin:.25rem 0 1rem;padding:.5rem}button{padding:.6rem}.error{color:#b00020}</style>
</head>
<body>
<h1>Home Assistant simulator</h1>
${content}
</body>
</html>
`;
  const size = Buffer.byteLength(html);
  // The headers of HA's static frontend files (aiohttp FileResponse): ETag "<mtime ns hex>-<size hex>".
  const mtime = deps.startedAt;
  return {
    kind: 'raw',
    status,
    headers: [
      ...SECURITY,
      ['Content-Type', 'text/html'],
      ['Etag', `"${(BigInt(mtime.getTime()) * 1_000_000n).toString(16)}-${size.toString(16)}"`],
      ['Last-Modified', mtime.toUTCString()],
      ['Content-Length', ''],
      ['Accept-Ranges', 'bytes'],
      ['Date', ''],
    ],
    body: html,
  };
}

function loginForm(deps: AuthDeps, p: PageParams & { clientId: string; redirectUri: string }, error: string | null, username = ''): Reply {
  const hidden = (name: string, value: string | null): string => (value ? `<input type="hidden" name="${name}" value="${escapeHtml(value)}">\n` : '');
  return page(
    deps,
    200,
    'Log in',
    `<p>You're about to give <strong>${escapeHtml(p.clientId)}</strong> access to your Home Assistant instance.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>\n` : ''}<form method="post" action="/auth/authorize">
<input type="hidden" name="response_type" value="code">
${hidden('client_id', p.clientId)}${hidden('redirect_uri', p.redirectUri)}${hidden('state', p.state)}<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(username)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>`,
  );
}

const errorPage = (deps: AuthDeps, status: number, text: string): Reply =>
  page(deps, status, 'Login failed', `<p class="error" role="alert">${escapeHtml(text)}</p>`);

/** Where the frontend sends the browser: redirect_uri keeps its query; code, then state when given. */
function redirectTo(redirectUri: string, code: string, state: string | null): string {
  let url = redirectUri;
  if (!url.includes('?')) url += '?';
  else if (!url.endsWith('&')) url += '&';
  url += `code=${encodeURIComponent(code)}`;
  if (state) url += `&state=${encodeURIComponent(state)}`;
  return url;
}

function authorizePage(deps: AuthDeps, req: IncomingMessage): Reply {
  // HA serves the same static page whatever the query says; its script then reports problems.
  const q = new URL(req.url ?? '/', 'http://sim').searchParams;
  const p: PageParams = { clientId: q.get('client_id'), redirectUri: q.get('redirect_uri'), state: q.get('state') };
  if (p.clientId === null || !verifyClientId(p.clientId)) return errorPage(deps, 200, 'Invalid client id');
  if (p.redirectUri === null) return errorPage(deps, 200, 'Missing redirect_uri');
  return loginForm(deps, { ...p, clientId: p.clientId, redirectUri: p.redirectUri }, null);
}

function authorizeSubmit(deps: AuthDeps, req: IncomingMessage, body: string): Reply {
  const form = formFields(req, body);
  const p = { clientId: form.get('client_id'), redirectUri: form.get('redirect_uri'), state: form.get('state') };
  const ip = remoteIp(req);
  const start: Record<string, unknown> = { handler: ['homeassistant', null] };
  if (p.clientId !== null) start.client_id = p.clientId;
  if (p.redirectUri !== null) start.redirect_uri = p.redirectUri;
  const started = startFlowWith(deps, start, ip);
  if (!started.flow) return errorPage(deps, started.reply.kind === 'json' ? started.reply.status : 400, replyMessage(started.reply));
  const clientId = p.clientId!;
  const redirectUri = p.redirectUri!;
  const username = form.get('username') ?? '';
  const stepped = stepFlowWith(deps, started.flow.flowId, { username, password: form.get('password') ?? '', client_id: clientId }, ip);
  deps.oauth.abortFlow(started.flow.flowId);
  if (stepped.code) {
    return { kind: 'raw', status: 302, headers: [['Location', redirectTo(redirectUri, stepped.code, p.state)], ...SECURITY, ['Content-Length', ''], ['Date', '']], body: '' };
  }
  if (stepped.formError !== undefined) return loginForm(deps, { ...p, clientId, redirectUri }, 'Invalid username or password', username);
  return errorPage(deps, stepped.reply.kind === 'json' ? stepped.reply.status : 400, replyMessage(stepped.reply));
}

function replyMessage(reply: Reply): string {
  if (reply.kind !== 'json') return 'Login failed';
  const parsed = parseJson(reply.body.toString());
  const msg = parsed.ok && isObject(parsed.value) ? parsed.value.message : undefined;
  return typeof msg === 'string' ? msg : 'Login failed';
}
