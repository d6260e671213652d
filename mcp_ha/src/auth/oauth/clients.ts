// Who a client_id is: a client listed in the options, one that registered itself (RFC 7591,
// stored; unused registrations expire), or an https URL naming its metadata document.
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { randomToken, sha256 } from './crypto.js';
import { isMetadataDocumentUrl, MetadataDocumentError, type MetadataFetcher } from './metadataDocument.js';
import { redirectUriProblem } from './redirectUris.js';
import type { OAuthStore } from './store.js';

/** Registrations nobody used for a grant are dropped after a day; at most this many are kept. */
export const UNUSED_CLIENT_MS = 24 * 3600_000;
const MAX_CLIENTS = 1000;

export interface ResolvedClient {
  clientId: string;
  clientName: string;
  redirectUris: string[];
  kind: 'dynamic' | 'metadata_document' | 'options';
  authMethod: 'none' | 'client_secret_post' | 'client_secret_basic';
  secretHash?: string | undefined;
}

export class ClientError extends Error {
  constructor(
    readonly error: 'invalid_client' | 'invalid_client_metadata' | 'invalid_redirect_uri' | 'temporarily_unavailable',
    message: string,
  ) {
    super(message);
  }
}

const RegistrationSchema = z.looseObject({
  redirect_uris: z.array(z.string().max(2000)).min(1).max(10),
  client_name: z.string().max(100).optional(),
  token_endpoint_auth_method: z.enum(['none', 'client_secret_post', 'client_secret_basic']).optional(),
  grant_types: z.array(z.string().max(100)).max(10).optional(),
  response_types: z.array(z.string().max(100)).max(10).optional(),
  scope: z.string().max(1000).optional(),
});

export interface Clients {
  resolve(clientId: string): Promise<ResolvedClient>;
  register(body: unknown, now: number): Promise<Record<string, unknown>>;
  /** Checks the secret of a confidential client (public clients pass). */
  authenticate(client: ResolvedClient, secret: string | undefined): boolean;
}

export function createClients(opts: { store: OAuthStore; fetcher: MetadataFetcher; listed: { clientId: string; clientName: string | undefined; redirectUris: string[] }[]; now: () => number }): Clients {
  const { store, fetcher } = opts;
  return {
    async resolve(clientId) {
      if (clientId.length > 2000) throw new ClientError('invalid_client', 'client_id is too long');
      const listed = opts.listed.find((c) => c.clientId === clientId);
      if (listed) return { clientId, clientName: listed.clientName ?? clientId, redirectUris: listed.redirectUris, kind: 'options', authMethod: 'none' };
      const reg = store.client(clientId);
      // An unused registration past its day is gone, whether or not the sweep has run.
      if (reg && (reg.used_at !== undefined || opts.now() - reg.created_at < UNUSED_CLIENT_MS)) return { clientId, clientName: reg.client_name ?? 'Unnamed client', redirectUris: reg.redirect_uris, kind: 'dynamic', authMethod: reg.token_endpoint_auth_method, secretHash: reg.secret_hash };
      if (isMetadataDocumentUrl(clientId)) {
        try {
          const doc = await fetcher.get(clientId);
          return { clientId, clientName: doc.clientName ?? new URL(clientId).host, redirectUris: doc.redirectUris, kind: 'metadata_document', authMethod: 'none' };
        } catch (err) {
          if (err instanceof MetadataDocumentError) throw new ClientError('invalid_client', err.message);
          throw err;
        }
      }
      throw new ClientError('invalid_client', 'unknown client_id (not registered, not listed in the options, not a metadata document URL)');
    },

    async register(body, now) {
      const parsed = RegistrationSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || '(body)';
        throw new ClientError(field.startsWith('redirect_uris') ? 'invalid_redirect_uri' : 'invalid_client_metadata', `${field}: ${issue?.message ?? 'invalid'}`);
      }
      const m = parsed.data;
      for (const uri of m.redirect_uris) {
        const problem = redirectUriProblem(uri);
        if (problem) throw new ClientError('invalid_redirect_uri', `redirect URI ${uri.slice(0, 100)}: ${problem}`);
      }
      const grants = m.grant_types ?? ['authorization_code', 'refresh_token'];
      if (grants.some((g) => g !== 'authorization_code' && g !== 'refresh_token')) throw new ClientError('invalid_client_metadata', 'grant_types: only authorization_code and refresh_token are supported');
      if (m.response_types && m.response_types.some((r) => r !== 'code')) throw new ClientError('invalid_client_metadata', 'response_types: only code is supported');
      store.expireClients(now, UNUSED_CLIENT_MS);
      if (store.clientCount >= MAX_CLIENTS && !store.dropOldestUnusedClient()) throw new ClientError('temporarily_unavailable', 'too many registered clients');
      const method = m.token_endpoint_auth_method ?? 'none';
      const secret = method === 'none' ? undefined : randomToken();
      const clientId = `dcr_${randomToken(18)}`;
      store.addClient({ client_id: clientId, client_name: m.client_name, redirect_uris: m.redirect_uris, token_endpoint_auth_method: method, secret_hash: secret ? sha256(secret) : undefined, created_at: now });
      await store.persist();
      return {
        client_id: clientId,
        ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
        client_id_issued_at: Math.floor(now / 1000),
        redirect_uris: m.redirect_uris,
        ...(m.client_name ? { client_name: m.client_name } : {}),
        token_endpoint_auth_method: method,
        grant_types: grants,
        response_types: ['code'],
        ...(m.scope ? { scope: m.scope } : {}),
      };
    },

    authenticate(client, secret) {
      if (client.authMethod === 'none') return true;
      if (secret === undefined || !client.secretHash) return false;
      const a = Buffer.from(sha256(secret));
      const b = Buffer.from(client.secretHash);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
