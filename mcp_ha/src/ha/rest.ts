// REST to Home Assistant's Core API over undici: one Agent (keep-alive, the private CA), a deadline
// per request, and the base URL chosen by whose token is used.
import { Agent, request, type Dispatcher } from 'undici';
import { fromTransportError, timedOut } from './errors.js';
import type { Credentials, RestResponse } from './types.js';

export interface RestOptions {
  /** Base for the service's own token (the Supervisor proxy inside Home Assistant). */
  restBase: string;
  /** Base for users' own tokens (Core directly). */
  userBase: string;
  token: string;
  timeoutMs: number;
  ca: string[] | undefined;
}

export interface RestRequestOptions {
  body?: unknown;
  query?: Record<string, string>;
  creds?: Credentials | undefined;
  timeoutMs?: number | undefined;
  /** Keep a successful body as bytes (images), refusing one longer than maxBytes. */
  binary?: { maxBytes: number } | undefined;
}

export interface Rest {
  request(method: string, path: string, opts?: RestRequestOptions): Promise<RestResponse>;
  close(): Promise<void>;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseBody(contentType: string | undefined, text: string): unknown {
  if (contentType?.includes('application/json') && text) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** The body as bytes; past maxBytes it stops reading and answers null (the caller says "too large"). */
async function readBytes(body: Dispatcher.ResponseData['body'], maxBytes: number, controller: AbortController): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      controller.abort();
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export function createRest(opts: RestOptions): Rest {
  const agent = new Agent({ connect: { timeout: opts.timeoutMs, ...(opts.ca ? { ca: opts.ca } : {}) } });

  return {
    async request(method, path, o = {}) {
      const userToken = o.creds?.token;
      const base = userToken ? opts.userBase : opts.restBase;
      const url = new URL(base + path);
      for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
      const timeoutMs = o.timeoutMs ?? opts.timeoutMs;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      const headers: Record<string, string> = { authorization: `Bearer ${userToken ?? opts.token}` };
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      try {
        const res = await request(url, {
          method: method.toUpperCase() as Dispatcher.HttpMethod,
          headers,
          body: o.body === undefined ? null : JSON.stringify(o.body),
          signal: controller.signal,
          dispatcher: agent,
        });
        const resHeaders = flatHeaders(res.headers);
        if (o.binary && res.statusCode === 200) return { status: res.statusCode, headers: resHeaders, body: await readBytes(res.body, o.binary.maxBytes, controller) };
        const text = await res.body.text();
        return { status: res.statusCode, headers: resHeaders, body: parseBody(resHeaders['content-type'], text) };
      } catch (err) {
        if (controller.signal.aborted) throw timedOut(`${method} ${url.pathname}`, timeoutMs);
        throw fromTransportError(err, base);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await agent.close();
    },
  };
}
