// Malformed URLs and requests, sent as raw bytes over node:net (fetch would normalise them): each
// gets a 4xx in the project's error shape, without Fastify's codes, a stack trace or an echo of
// what was sent, and /health is unaffected.
import { connect } from 'node:net';
import t from 'tap';
import { startStack } from '../helpers/stack.js';

interface Raw {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `head` (request line and headers, without the blank line) and reads until the server closes. */
function raw(url: string, head: string): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [top = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = top.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

t.test('malformed URLs and requests get the project\'s error shape', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const secret = stack.mcpUrl.slice(stack.url.length);

  const cases: [string, string, number][] = [
    ['a bad escape', 'GET /%ZZ HTTP/1.1', 400],
    ['a lone percent sign', 'GET /% HTTP/1.1', 400],
    ['overlong UTF-8 dots', 'GET /%c0%ae%c0%ae/etc/passwd HTTP/1.1', 400],
    ['a truncated escape after /health', 'GET /health%E0%A4%A HTTP/1.1', 400],
    ['a bad escape under the MCP path', `POST ${secret}/%ZZ HTTP/1.1`, 400],
    ['a bad escape on /messages', 'POST /messages%ZZ HTTP/1.1', 400],
    ['a control character in the URL', 'GET /a\x01b HTTP/1.1', 400],
    ['headers too large', `GET /health HTTP/1.1\r\nX-Big: ${'x'.repeat(20_000)}`, 431],
  ];
  for (const [what, head, status] of cases) {
    const res = await raw(stack.url, head);
    t.equal(res.status, status, `${what}: ${status}`);
    t.match(res.headers['content-type'], /^application\/json/, `${what}: JSON`);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      t.fail(`${what}: body is not JSON: ${res.body.slice(0, 200)}`);
    }
    t.same(Object.keys(body).sort(), ['error', 'message', 'status_code', 'suggestion'], `${what}: {error, status_code, message, suggestion}`);
    t.equal(body.error, 'invalid_input');
    t.equal(body.status_code, status);
    t.ok(typeof body.message === 'string' && typeof body.suggestion === 'string' && (body.suggestion as string).length > 10, `${what}: says what to do next`);
    t.notMatch(res.body, /FST_|Bad Request|\n\s+at |passwd|%ZZ|xxxxxxxx/, `${what}: no Fastify code, stack trace or echo`);
    t.notMatch(res.body, secret, `${what}: does not reveal the MCP path`);
  }
  const bad = JSON.parse((await raw(stack.url, 'GET /%ZZ HTTP/1.1')).body);
  t.match(bad.message, /not valid/);
  t.match(bad.suggestion, /%25/);

  // Nothing of it touched the service.
  const health = await fetch(`${stack.url}/health`);
  t.equal(health.status, 200);
  t.equal(((await health.json()) as { status: string }).status, 'healthy');
  const rawHealth = await raw(stack.url, 'GET /health HTTP/1.1');
  t.equal(rawHealth.status, 200, 'raw /health still answers 200');
  t.notMatch(stack.logs(), /"level":50/, 'no error logged');
});
