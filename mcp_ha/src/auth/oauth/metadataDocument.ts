// Client ID Metadata Documents: a client_id that is an https URL names a JSON document the client
// publishes. Fetched only from public addresses (checked on the resolved address, at connect time,
// so DNS rebinding cannot slip past), without redirects, within 5 s and 10 KiB, cached as its
// Cache-Control says. OAUTH_TEST_ALLOW_PRIVATE_ADDRESSES opens the address guard for tests.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { redirectUriProblem } from './redirectUris.js';

const TIMEOUT_MS = 5_000;
const MAX_BYTES = 10 * 1024;
const DEFAULT_CACHE_S = 300;
const MAX_CACHE_S = 86_400;
const MAX_CACHED = 500;

export class MetadataDocumentError extends Error {
  override name = 'MetadataDocumentError';
}

const DocumentSchema = z.looseObject({
  client_id: z.string(),
  client_name: z.string().max(200).optional(),
  redirect_uris: z.array(z.string()).min(1).max(20),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
});

export interface MetadataClient {
  clientId: string;
  clientName: string | undefined;
  redirectUris: string[];
}

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96], ['100::', 64]] as const) blocked.addSubnet(net, bits, 'ipv6');

/** Loopback, private, link-local, shared, documentation, multicast or reserved: not the public internet. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1] as string, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Is this client_id a metadata document URL (https, a path, nothing odd)? */
export function isMetadataDocumentUrl(clientId: string): boolean {
  if (!clientId.startsWith('https://') || clientId.length > 2000) return false;
  try {
    const u = new URL(clientId);
    return u.pathname !== '/' && !u.hash && !u.username && !u.password && !/\/\.\.?(\/|$)/.test(u.pathname);
  } catch {
    return false;
  }
}

export interface MetadataFetcher {
  get(clientId: string): Promise<MetadataClient>;
  close(): Promise<void>;
}

export function createMetadataFetcher(opts: { allowPrivate: boolean; ca?: string[] | undefined; now?: () => number }): MetadataFetcher {
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { client: MetadataClient; until: number }>();

  const guardedLookup = (hostname: string, options: { all?: boolean }, cb: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
    dnsLookup(hostname, { all: true }, (err, addresses) => {
      if (err) return cb(err, '');
      const refused = opts.allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused || addresses.length === 0) return cb(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '');
      if (options.all) return cb(null, addresses);
      const first = addresses[0] as LookupAddress;
      cb(null, first.address, first.family);
    });
  };
  const agent = new Agent({
    connect: { lookup: guardedLookup as never, ...(opts.ca ? { ca: opts.ca } : {}), timeout: TIMEOUT_MS },
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
    connections: 4,
  });

  async function fetchDocument(url: URL): Promise<{ body: string; maxAge: number }> {
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0 && !opts.allowPrivate && isPrivateAddress(literal)) throw new MetadataDocumentError('the client_id URL names a private address');
    let res;
    try {
      res = await request(url, { dispatcher: agent, method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
      if (code === 'EPRIVATE') throw new MetadataDocumentError('the client_id URL resolves to a private or loopback address');
      throw new MetadataDocumentError(`the client metadata document could not be fetched (${code ?? (err as Error).name})`);
    }
    if (res.statusCode !== 200) {
      res.body.on('error', () => undefined).destroy();
      throw new MetadataDocumentError(res.statusCode >= 300 && res.statusCode < 400 ? 'the client metadata document URL redirects (not allowed)' : `the client metadata document answered HTTP ${res.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BYTES) {
        res.body.on('error', () => undefined).destroy();
        throw new MetadataDocumentError(`the client metadata document is larger than ${MAX_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
    return { body: Buffer.concat(chunks).toString('utf8'), maxAge: cacheSeconds(res.headers['cache-control']) };
  }

  return {
    async get(clientId) {
      const hit = cache.get(clientId);
      if (hit && hit.until > now()) return hit.client;
      if (!isMetadataDocumentUrl(clientId)) throw new MetadataDocumentError('a client metadata document URL must be https with a path');
      const { body, maxAge } = await fetchDocument(new URL(clientId));
      let raw: unknown;
      try {
        raw = JSON.parse(body);
      } catch {
        throw new MetadataDocumentError('the client metadata document is not JSON');
      }
      const parsed = DocumentSchema.safeParse(raw);
      if (!parsed.success) throw new MetadataDocumentError(`the client metadata document is invalid at ${parsed.error.issues[0]?.path.join('.') || '(root)'}`);
      const doc = parsed.data;
      if (doc.client_id !== clientId) throw new MetadataDocumentError('the client metadata document\'s client_id is not its own URL');
      if (doc.token_endpoint_auth_method !== undefined && doc.token_endpoint_auth_method !== 'none') {
        throw new MetadataDocumentError(`token_endpoint_auth_method ${doc.token_endpoint_auth_method} is not supported for metadata documents (only "none")`);
      }
      for (const uri of doc.redirect_uris) {
        const problem = redirectUriProblem(uri);
        if (problem) throw new MetadataDocumentError(`redirect URI ${uri.slice(0, 100)} in the client metadata document: ${problem}`);
      }
      const client: MetadataClient = { clientId, clientName: doc.client_name, redirectUris: doc.redirect_uris };
      if (maxAge > 0) {
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
        cache.set(clientId, { client, until: now() + maxAge * 1000 });
      }
      return client;
    },
    close: () => agent.close(),
  };
}

function cacheSeconds(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  if (/\b(no-store|no-cache|private)\b/i.test(value)) return 0;
  const m = /\bmax-age=(\d+)/i.exec(value);
  return m ? Math.min(Number(m[1]), MAX_CACHE_S) : DEFAULT_CACHE_S;
}
