// Hostile requests below the MCP client: malformed JSON-RPC bodies, hostile URLs and headers,
// and the fixed cases of the six known defects (always sent, whatever the seed).
import fc from 'fast-check';
import { brief } from '../lib/activity.js';
import { deepJsonText, hostileString, hostileValue, NASTY, own, TRAVERSAL } from './values.js';

export interface BodyCase {
  label: string;
  body: string;
}

const METHODS = [
  'tools/list', 'tools/call', 'initialize', 'ping', 'resources/list', 'resources/read', 'resources/templates/list', 'prompts/list', 'prompts/get',
  'completion/complete', 'logging/setLevel', 'notifications/initialized', 'notifications/cancelled', 'server/discover', 'subscriptions/listen',
  'unknown/method', '', 'rpc.discover', '__proto__', 'constructor', 'tools/list\u0000', 'TOOLS/LIST',
];

const id = fc.oneof(
  fc.constantFrom<unknown>(1, 0, -1, 1.5, 1e300, 'x', '', null, true, [], {}, 'a'.repeat(10_000), 2 ** 63),
  fc.integer(),
  fc.string({ maxLength: 20 }),
);

const params = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<unknown>(null, [], 'x', 1, true, {}),
  hostileValue,
  fc.record({ name: fc.oneof(fc.constantFrom('ha_get_state', 'ha_call_service', 'ha_render_template', 'nope'), hostileString), arguments: hostileValue }, { requiredKeys: [] }),
  fc.record({ uri: fc.oneof(fc.constantFrom('hass://entity/%', 'hass://entity/%ZZ', 'hass://overview', 'hass://entity/sun.sun', 'hass://entity/', 'file:///etc/passwd'), hostileString.map((s) => `hass://entity/${s}`)) }),
  fc.record({ protocolVersion: fc.oneof(fc.constantFrom('2025-06-18', '2026-07-28', '1999-01-01', ''), hostileString), capabilities: fc.oneof(fc.constant({}), hostileValue), clientInfo: fc.oneof(fc.constant({ name: 'x', version: '1' }), hostileValue) }, { requiredKeys: [] }),
  fc.record({ _meta: hostileValue, cursor: hostileValue, level: hostileValue }, { requiredKeys: [] }),
);

const envelope = fc.record(
  {
    jsonrpc: fc.oneof({ weight: 6, arbitrary: fc.constant('2.0') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('1.0', 2, null, '') }),
    id,
    method: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...METHODS) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(1, null, [], {}) }),
    params,
  },
  { requiredKeys: ['jsonrpc', 'method'] },
).map((e) => own(Object.entries(e).filter(([, v]) => v !== undefined)));

const BROKEN_JSON = [
  '', ' ', '{', '}', '[', ']', 'null', 'true', '1', '"x"', '{"jsonrpc":"2.0"', '{"jsonrpc":"2.0","id":1,"method":"tools/list"',
  '\u0000', 'NaN', '{"a":1}garbage', '\ufeff{"jsonrpc":"2.0","id":1,"method":"ping"}', '[]', '[[]]', '[1,2,3]', '[null]',
  '{"jsonrpc":"2.0","id":1,"method":"tools/list"}\n{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":1,"a":2}}', '{"__proto__":{"polluted":1},"jsonrpc":"2.0","id":1,"method":"ping"}',
  '{"jsonrpc":"2.0","id":1,"result":{}}', '{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"}}', '{"jsonrpc":"2.0","method":"notifications/initialized"}',
  `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"${'\\ud800'}"}}`, '{"jsonrpc":"2.0","id":1e999,"method":"ping"}',
];

/** `n` malformed or hostile JSON-RPC bodies. */
export function rpcBodies(seed: number, n: number): BodyCase[] {
  const broken = fc.constantFrom(...BROKEN_JSON).map((b) => ({ label: `broken JSON ${JSON.stringify(b).slice(0, 60)}`, body: b }));
  const single = envelope.map((e) => ({ label: brief(e), body: JSON.stringify(e) }));
  const batch = fc.array(fc.oneof(envelope, fc.constantFrom<unknown>(1, null, [], 'x')), { minLength: 1, maxLength: 8 }).map((b) => ({ label: `batch ${brief(b)}`, body: JSON.stringify(b) }));
  const deep = fc.tuple(fc.constantFrom(1_000, 10_000, 100_000), fc.constantFrom<'object' | 'array'>('object', 'array')).map(([d, k]) => ({
    label: `params ${d} deep (${k})`,
    body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ha_call_service","arguments":{"domain":"light","service":"turn_on","entity_id":"light.bed_light","service_data":{"effect":${deepJsonText(d, k)}}}}}`,
  }));
  const arb = fc.oneof({ weight: 2, arbitrary: broken }, { weight: 6, arbitrary: single }, { weight: 2, arbitrary: batch }, { weight: 1, arbitrary: deep });
  return fc.sample(arb, { seed, numRuns: n });
}

export interface HttpCase {
  label: string;
  method: string;
  path: string;
  headers: [string, string][];
  body?: string | Buffer;
  malformedHttp?: boolean;
  mayStream?: boolean;
  verbatim?: boolean;
  extraLines?: string[];
  /** Send the API key (a valid token) unless the case is about Authorization. */
  auth?: boolean;
}

const PATH_PARTS = ['%', '%Z', '%ZZ', '%00', '%2e', '%2e%2e', '%2f', '%c0%ae', '%ff', '%u002e', '..', '/', '//', 'mcp', 'health', 'messages', 'sse', '?', '&', '=', 'sessionId', '#', ';', '\\', '%5c', 'etc', 'passwd', '*', '~', '%20', '+'];

export const FIXED_URLS = ['/%ZZ', '/%', '/%c0%ae%c0%ae/etc/passwd', '/..%2f..%2fetc/passwd', '/mcp/../health', '/health/..%2f..%2f', '/mcp%00', '/mcp?x=%ZZ', '/health?%', '//mcp', '/mcp/', '/MCP', '/messages?sessionId=../../etc/passwd', '/messages?sessionId=%00', '/sse?x=%', '/.env', '/mcp;x=1', '/%252e%252e/', `/${'a'.repeat(8_000)}`, `/mcp?${'x='.repeat(5_000)}`, '/\u00e9', '/mcp#frag'];

/** Hostile HTTP requests: URLs, methods and headers. */
export function httpCases(seed: number, n: number): HttpCase[] {
  const path = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...FIXED_URLS) },
    { weight: 3, arbitrary: fc.array(fc.constantFrom(...PATH_PARTS), { minLength: 1, maxLength: 8 }).map((ps) => `/${ps.join('')}`) },
    { weight: 1, arbitrary: fc.constantFrom(...TRAVERSAL).map((t) => `/${encodeURI(t).replace(/^\/+/, '')}`) },
  );
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');
  const header = fc.oneof(
    fc.constantFrom<[string, string]>(
      ['Content-Type', 'text/plain'], ['Content-Type', 'application/json; charset=utf-16'], ['Content-Type', 'multipart/form-data; boundary=x'], ['Content-Type', ''],
      ['Accept', 'text/event-stream'], ['Accept', 'application/json'], ['Accept', '*/*'], ['Accept', ''],
      ['mcp-session-id', '../../etc/passwd'], ['mcp-session-id', 'x'.repeat(4_000)], ['mcp-session-id', '00000000-0000-0000-0000-000000000000'], ['mcp-session-id', ''],
      ['mcp-protocol-version', 'garbage'], ['mcp-protocol-version', '2026-07-28'], ['mcp-protocol-version', '1999-01-01'], ['mcp-protocol-version', ''],
      ['Origin', 'http://evil.example'], ['Origin', 'null'], ['Host', 'evil.example'], ['Host', ''], ['X-Forwarded-For', '127.0.0.1, ::1, <script>'],
      ['Last-Event-ID', '../../x'], ['Cookie', 'a='.repeat(2_000)], ['Transfer-Encoding', 'gzip'], ['Content-Encoding', 'gzip'],
    ),
    fc.tuple(fc.constantFrom('X-Fuzz', 'mcp-session-id', 'Origin', 'Accept'), fc.string({ unit: 'grapheme-ascii', maxLength: 30 })).map(([k, v]) => [k, v.replace(/[\r\n]/g, '')] as [string, string]),
  );
  const body = fc.oneof(fc.constant(undefined), fc.constantFrom('{"jsonrpc":"2.0","id":1,"method":"tools/list"}', '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}', 'x', '{}'));
  const arb = fc.record({ path, method, headers: fc.array(header, { maxLength: 3 }), body, auth: fc.boolean() }).map(
    (c): HttpCase => ({ label: `${c.method} ${c.path.slice(0, 80)} ${c.headers.map(([k, v]) => `${k}: ${v.slice(0, 30)}`).join('; ')}`, ...c, body: c.method === 'GET' || c.method === 'HEAD' ? undefined : c.body, mayStream: c.method === 'GET' }),
  );
  return fc.sample(arb, { seed, numRuns: n });
}

/** Requests that break HTTP itself: what matters is only that the server lives and answers the next one. */
export const BROKEN_HTTP: HttpCase[] = [
  { label: 'NUL in a header value', method: 'GET', path: '/health', headers: [['X-A', 'a\u0000b']], malformedHttp: true },
  { label: 'header without a colon', method: 'GET', path: '/health', headers: [], extraLines: ['X-No-Colon'], malformedHttp: true },
  { label: 'unknown method', method: 'FOO', path: '/mcp', headers: [], malformedHttp: true },
  { label: 'raw UTF-8 bytes in the path', method: 'GET', path: '/h\u00e9alth', headers: [], malformedHttp: true },
  { label: 'space in the path', method: 'GET', path: '/mcp x', headers: [], malformedHttp: true },
  { label: '20 kB header', method: 'GET', path: '/health', headers: [['X-Big', 'a'.repeat(20_000)]], malformedHttp: true },
  { label: '100 kB URL', method: 'GET', path: `/${'a'.repeat(100_000)}`, headers: [], malformedHttp: true },
  { label: 'bad chunked body', method: 'POST', path: '/messages', headers: [['Transfer-Encoding', 'chunked'], ['Content-Type', 'application/json']], body: 'zz\r\nxx\r\n0\r\n\r\n', malformedHttp: true, auth: true },
  { label: 'two Content-Length headers', method: 'POST', path: '/messages', headers: [['Content-Length', '2'], ['Content-Length', '3'], ['Content-Type', 'application/json']], body: '{}', malformedHttp: true, auth: true },
  { label: 'absolute-form target', method: 'GET', path: 'http://evil.example/health', headers: [], malformedHttp: true },
  { label: 'asterisk target', method: 'OPTIONS', path: '*', headers: [], malformedHttp: true },
];

export const AUTH_CASES: [string, string][] = [
  ['Authorization', 'Bearer'],
  ['Authorization', 'Bearer '],
  ['Authorization', `Bearer ${'x'.repeat(8_000)}`],
  ['Authorization', 'Basic dXNlcjpwYXNz'],
  ['Authorization', 'bearer WRONG-TOKEN-0123456789'],
  ['Authorization', 'Bearer ../../etc/passwd'],
  ['Authorization', 'Bearer %00%00'],
  ['Authorization', 'Bearer a b c'],
  ['Authorization', '🏠'],
];

export { NASTY };
