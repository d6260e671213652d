// Writes answers with Home Assistant's exact headers (order included) and bytes.
import type { ServerResponse } from 'node:http';

export type Reply =
  /** `lead` headers come before Content-Type (aiohttp's json_response(headers=…) order). */
  | { kind: 'json'; status: number; body: string | Buffer; headers?: [string, string][]; lead?: [string, string][] }
  | { kind: 'text'; status: number; body: string; headers?: [string, string][] }
  | { kind: 'empty'; status: number }
  | { kind: 'octet'; status: number; body: string }
  /** aiohttp's own 500 page: no security headers, Connection: close. */
  | { kind: 'crash' }
  /** Exactly these headers (Content-Length and Date are added where the list has them as ''), then the body. */
  | { kind: 'raw'; status: number; headers: [string, string][]; body: string | Buffer }
  /** An answer written over time (aiohttp's StreamResponse): `run` owns the response from here. */
  | { kind: 'stream'; run(res: ServerResponse): void };

export const SECURITY: [string, string][] = [
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Server', ''],
  ['X-Frame-Options', 'SAMEORIGIN'],
];

export const json = (status: number, body: string | Buffer, headers?: [string, string][], lead?: [string, string][]): Reply => ({ kind: 'json', status, body, headers, lead });
export const message = (status: number, text: string): Reply => json(status, JSON.stringify({ message: text }));
export const text = (status: number, body: string, headers?: [string, string][]): Reply => ({ kind: 'text', status, body, headers });
export const empty = (status: number): Reply => ({ kind: 'empty', status });
export const crash = (): Reply => ({ kind: 'crash' });
/** aiohttp's plain "<status>: <reason>" answers (401, 400, 404, 405). */
export const plain = (status: number, reason: string, headers?: [string, string][]): Reply => text(status, `${status}: ${reason}`, headers);

function write(res: ServerResponse, status: number, headers: [string, string][], body: Buffer | null): void {
  const flat: string[] = [];
  for (const [k, v] of headers) flat.push(k, v);
  res.sendDate = false;
  res.writeHead(status, flat);
  res.end(body ?? undefined);
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const date = new Date().toUTCString();
  switch (reply.kind) {
    case 'json':
    case 'text': {
      const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
      const type = reply.kind === 'json' ? 'application/json' : 'text/plain; charset=utf-8';
      const lead = reply.kind === 'json' ? (reply.lead ?? []) : [];
      write(res, reply.status, [...lead, ['Content-Type', type], ...(reply.headers ?? []), ...SECURITY, ['Content-Length', String(body.length)], ['Date', date]], body);
      return;
    }
    case 'raw': {
      const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
      const headers = reply.headers.map(([k, v]): [string, string] => [k, v !== '' ? v : k === 'Content-Length' ? String(body.length) : k === 'Date' ? date : v]);
      write(res, reply.status, headers, body.length ? body : null);
      return;
    }
    case 'stream':
      reply.run(res);
      return;
    case 'empty':
      write(res, reply.status, [...SECURITY, ['Content-Length', '0'], ['Date', date]], null);
      return;
    case 'octet': {
      const body = Buffer.from(reply.body, 'utf8');
      write(
        res,
        reply.status,
        [
          ...SECURITY,
          ['Content-Type', 'application/octet-stream'],
          ['Etag', `"${Date.now().toString(16)}-${body.length.toString(16)}"`],
          ['Last-Modified', date],
          ['Content-Length', String(body.length)],
          ['Accept-Ranges', 'bytes'],
          ['Date', date],
        ],
        body,
      );
      return;
    }
    case 'crash': {
      const body = Buffer.from('500 Internal Server Error\n\nServer got itself in trouble', 'utf8');
      res.shouldKeepAlive = false;
      write(
        res,
        500,
        [
          ['Content-Type', 'text/plain; charset=utf-8'],
          ['Content-Length', String(body.length)],
          ['Date', date],
          ['Server', 'Python/3.13 aiohttp/3.11.16'],
          ['Connection', 'close'],
        ],
        body,
      );
      return;
    }
  }
}
