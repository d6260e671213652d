// HTTP/1.1 over a bare socket to 127.0.0.1, so that hostile requests go out byte for byte
// (bad percent-encoding, duplicate or huge headers, raw bytes) as fetch would never send them.
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  /** In order; duplicates allowed. Host and Connection: close are added unless given. */
  headers?: [string, string][];
  body?: string | Buffer;
  /** Send the request line and headers exactly as given (no Content-Length added). */
  verbatim?: boolean;
  /** Header lines written as they are (e.g. one without a colon). */
  extraLines?: string[];
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
  /** Bytes received, head included (reading stops at MAX_BODY). */
  bytes: number;
  /** An event stream that was still open when we stopped reading. */
  streaming?: boolean;
}

export interface RawFailure {
  error: 'timeout' | 'reset' | 'closed-without-answer' | 'unparsable';
  ms: number;
  detail?: string;
}

export type RawResult = RawResponse | RawFailure;
export const isFailure = (r: RawResult): r is RawFailure => 'error' in r;

function decodeChunked(buf: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  while (i < buf.length) {
    const eol = buf.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(buf.subarray(i, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(buf.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

function parse(buf: Buffer, ms: number, streaming: boolean): RawResult {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return buf.length ? { error: 'unparsable', ms, detail: buf.subarray(0, 200).toString('latin1') } : { error: 'closed-without-answer', ms };
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
  if (!m) return { error: 'unparsable', ms, detail: head[0] };
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  let body = buf.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = decodeChunked(body);
  // Whatever follows is another answer (the server read the rest of a broken request as one).
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(m[1]), headers, body: body.toString('utf8'), ms, bytes: buf.length, ...(streaming ? { streaming } : {}) };
}

/** Bodies beyond this are cut (the answer is then reported as at least this big). */
export const MAX_BODY = 64 * 1024 * 1024;
const SSE_READ_MS = 1500;

export function rawHttp(port: number, req: RawRequest): Promise<RawResult> {
  const timeoutMs = req.timeoutMs ?? 10_000;
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const lines = [`${req.method} ${req.path} HTTP/1.1`];
  const given = new Set((req.headers ?? []).map(([k]) => k.toLowerCase()));
  if (!req.verbatim) {
    if (!given.has('host')) lines.push(`Host: 127.0.0.1:${port}`);
    if (!given.has('connection')) lines.push('Connection: close');
  }
  for (const [k, v] of req.headers ?? []) lines.push(`${k}: ${v}`);
  lines.push(...(req.extraLines ?? []));
  if (!req.verbatim && !given.has('content-length') && !given.has('transfer-encoding') && (body.length || req.method !== 'GET')) {
    lines.push(`Content-Length: ${body.length}`);
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return new Promise((resolve) => {
    const t0 = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let sseTimer: NodeJS.Timeout | undefined;
    const sock = connect(port, '127.0.0.1');
    const finish = (r: RawResult | 'parse', streaming = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(sseTimer);
      sock.destroy();
      resolve(r === 'parse' ? parse(Buffer.concat(chunks), performance.now() - t0, streaming) : r);
    };
    const timer = setTimeout(() => {
      // An answer whose headers arrived is an answer (maybe a stream), not a stall.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) finish('parse', true);
      else finish({ error: 'timeout', ms: performance.now() - t0 });
    }, timeoutMs);
    sock.on('connect', () => {
      sock.write(head);
      if (body.length) sock.write(body);
    });
    let headSeen = false;
    let expected: number | undefined;
    let chunked = false;
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size > MAX_BODY) return finish('parse');
      if (!headSeen) {
        const soFar = Buffer.concat(chunks);
        const end = soFar.indexOf('\r\n\r\n');
        if (end < 0) return;
        headSeen = true;
        const head = soFar.subarray(0, end).toString('latin1');
        const cl = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
        if (cl !== undefined) expected = end + 4 + Number(cl);
        chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
        // No body to a HEAD, nor with these statuses.
        if (req.method === 'HEAD' || /^HTTP\/1\.[01] (1\d\d|204|304)/.test(head)) return finish('parse');
        // An event stream the server keeps open: read a little, then stop.
        if (/\r\ncontent-type: text\/event-stream/i.test(head)) sseTimer = setTimeout(() => finish('parse', true), SSE_READ_MS);
      }
      // The answer is complete even if the server keeps the connection open (keep-alive).
      if (expected !== undefined && size >= expected) return finish('parse');
      if (chunked && d.length >= 5 && d.subarray(-5).toString('latin1') === '0\r\n\r\n') return finish('parse');
    });
    sock.on('end', () => finish('parse'));
    sock.on('close', () => finish('parse'));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (chunks.length) finish('parse');
      else finish({ error: 'reset', ms: performance.now() - t0, detail: e.code ?? e.message });
    });
  });
}

/** JSON-RPC messages in a body: a JSON document, or the `data:` lines of an event stream. */
export function messagesIn(res: RawResponse): unknown[] {
  const ct = res.headers['content-type'] ?? '';
  if (/text\/event-stream/i.test(ct)) {
    const out: unknown[] = [];
    for (const line of res.body.split(/\r?\n/)) {
      // Only JSON data lines are messages (the legacy endpoint event carries a URL).
      if (!/^data: ?[[{]/.test(line)) continue;
      try {
        out.push(JSON.parse(line.slice(5)));
      } catch {
        out.push({ unparsable: line.slice(0, 200) });
      }
    }
    return out;
  }
  if (!res.body) return [];
  try {
    const v = JSON.parse(res.body) as unknown;
    return Array.isArray(v) ? v : [v];
  } catch {
    return [];
  }
}
