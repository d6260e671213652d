// The OAuth store: registered clients, remembered consents and grants (a grant is one refresh
// token family: who, which client, the Home Assistant refresh token behind it). Kept in memory,
// written as one encrypted file (<data>/oauth/store.jwe) after every change, atomically; the
// answer that hands out a token waits for that write, so a kill -9 never loses an issued token.
// listGrants/revokeGrant/revokeConsent are the internal API for the add-on's web page.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomicFile.js';
import { seal, unseal } from './crypto.js';

const STORE_FILE = 'store.jwe';
/** Spent refresh tokens a grant remembers (reuse detection); older ones count as unknown. */
const MAX_SPENT = 20;

const RegisteredClientSchema = z.object({
  client_id: z.string(),
  client_name: z.string().optional(),
  redirect_uris: z.array(z.string()),
  token_endpoint_auth_method: z.enum(['none', 'client_secret_post', 'client_secret_basic']),
  /** sha256 of the secret, for confidential clients. */
  secret_hash: z.string().optional(),
  created_at: z.number(),
  /** Set once a grant was made for it; unused registrations expire. */
  used_at: z.number().optional(),
});
export type RegisteredClient = z.infer<typeof RegisteredClientSchema>;

const ConsentSchema = z.object({
  user_id: z.string(),
  user_name: z.string(),
  client_id: z.string(),
  client_name: z.string(),
  scope: z.string(),
  granted_at: z.number(),
});
export type Consent = z.infer<typeof ConsentSchema>;

const GrantSchema = z.object({
  id: z.string(),
  client_id: z.string(),
  client_name: z.string(),
  client_kind: z.enum(['dynamic', 'metadata_document', 'options']),
  user_id: z.string(),
  user_name: z.string(),
  resource: z.string(),
  scope: z.string(),
  ha_refresh_token: z.string(),
  /** sha256 of the live refresh token. */
  refresh_hash: z.string(),
  spent_hashes: z.array(z.string()),
  created_at: z.number(),
  last_used_at: z.number(),
  expires_at: z.number(),
});
export type Grant = z.infer<typeof GrantSchema>;

const StateSchema = z.object({
  v: z.literal(1),
  clients: z.array(RegisteredClientSchema),
  consents: z.array(ConsentSchema),
  grants: z.array(GrantSchema),
});
type State = z.infer<typeof StateSchema>;

/** What the web page may show of a grant: never a token. */
export interface GrantSummary {
  id: string;
  user_id: string;
  user_name: string;
  client_id: string;
  client_name: string;
  client_kind: Grant['client_kind'];
  scope: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
}

export class StoreKeyError extends Error {
  override name = 'StoreKeyError';
}

export class OAuthStore {
  private state: State = { v: 1, clients: [], consents: [], grants: [] };
  private writing: Promise<void> = Promise.resolve();
  private readonly file: string;

  constructor(
    dir: string,
    private readonly key: Buffer,
  ) {
    this.file = join(dir, STORE_FILE);
  }

  /** Reads the file; a key that does not open it throws StoreKeyError and leaves the file as it is. */
  async load(): Promise<void> {
    // Temporary files of writes a crash cut off.
    const dir = dirname(this.file);
    if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.startsWith(`${STORE_FILE}.`) && f.endsWith('.tmp')) rmSync(join(dir, f), { force: true });
    if (!existsSync(this.file)) return;
    let text: string;
    try {
      text = await unseal(readFileSync(this.file, 'utf8'), this.key);
    } catch {
      throw new StoreKeyError(`the OAuth store ${this.file} cannot be opened with this key`);
    }
    const parsed = StateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new StoreKeyError(`the OAuth store ${this.file} has an unknown layout`);
    this.state = parsed.data;
  }

  /** Writes the current state; concurrent callers share the queue, each waits for a write that has its change. */
  persist(): Promise<void> {
    const next = this.writing.then(async () => writeFileAtomic(this.file, await seal(JSON.stringify(this.state), this.key), 0o600));
    this.writing = next.catch(() => undefined);
    return next;
  }

  // ---- clients (dynamic registration) ----

  client(id: string): RegisteredClient | undefined {
    return this.state.clients.find((c) => c.client_id === id);
  }

  get clientCount(): number {
    return this.state.clients.length;
  }

  addClient(c: RegisteredClient): void {
    this.state.clients.push(c);
  }

  /** Drops registrations never used within maxAgeMs; returns how many. */
  expireClients(now: number, maxAgeMs: number): number {
    const before = this.state.clients.length;
    this.state.clients = this.state.clients.filter((c) => c.used_at !== undefined || now - c.created_at < maxAgeMs);
    return before - this.state.clients.length;
  }

  /** The oldest unused registration goes first when the store is full. */
  dropOldestUnusedClient(): boolean {
    const i = this.state.clients.findIndex((c) => c.used_at === undefined);
    if (i < 0) return false;
    this.state.clients.splice(i, 1);
    return true;
  }

  // ---- consents ----

  consent(userId: string, clientId: string): Consent | undefined {
    return this.state.consents.find((c) => c.user_id === userId && c.client_id === clientId);
  }

  rememberConsent(c: Consent): void {
    this.state.consents = this.state.consents.filter((x) => !(x.user_id === c.user_id && x.client_id === c.client_id));
    this.state.consents.push(c);
  }

  consents(filter: { userId?: string; clientId?: string } = {}): Consent[] {
    return this.state.consents.filter((c) => (filter.userId === undefined || c.user_id === filter.userId) && (filter.clientId === undefined || c.client_id === filter.clientId));
  }

  // ---- grants ----

  grant(id: string): Grant | undefined {
    return this.state.grants.find((g) => g.id === id);
  }

  grantByRefreshHash(hash: string): { grant: Grant; spent: boolean } | undefined {
    for (const g of this.state.grants) {
      if (g.refresh_hash === hash) return { grant: g, spent: false };
      if (g.spent_hashes.includes(hash)) return { grant: g, spent: true };
    }
    return undefined;
  }

  addGrant(g: Grant): void {
    this.state.grants.push(g);
    const c = this.client(g.client_id);
    if (c && c.used_at === undefined) c.used_at = g.created_at;
  }

  /** Rotation: the old refresh token becomes spent, the new one live. */
  rotate(g: Grant, newHash: string, now: number, idleMs: number): void {
    g.spent_hashes = [g.refresh_hash, ...g.spent_hashes].slice(0, MAX_SPENT);
    g.refresh_hash = newHash;
    g.last_used_at = now;
    g.expires_at = now + idleMs;
  }

  removeGrant(id: string): Grant | undefined {
    const i = this.state.grants.findIndex((g) => g.id === id);
    if (i < 0) return undefined;
    return this.state.grants.splice(i, 1)[0];
  }

  grants(filter: { userId?: string; clientId?: string } = {}): Grant[] {
    return this.state.grants.filter((g) => (filter.userId === undefined || g.user_id === filter.userId) && (filter.clientId === undefined || g.client_id === filter.clientId));
  }

  /** Grants idle past their expiry; removed and returned (their Home Assistant tokens are revoked by the caller). */
  expireGrants(now: number): Grant[] {
    const gone = this.state.grants.filter((g) => g.expires_at <= now);
    if (gone.length) this.state.grants = this.state.grants.filter((g) => g.expires_at > now);
    return gone;
  }

  /** Forgets a consent and returns the grants made under it (removed too). */
  removeConsent(userId: string, clientId: string): Grant[] {
    this.state.consents = this.state.consents.filter((c) => !(c.user_id === userId && c.client_id === clientId));
    const gone = this.grants({ userId, clientId });
    this.state.grants = this.state.grants.filter((g) => !gone.includes(g));
    return gone;
  }
}

export function summarize(g: Grant): GrantSummary {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    id: g.id,
    user_id: g.user_id,
    user_name: g.user_name,
    client_id: g.client_id,
    client_name: g.client_name,
    client_kind: g.client_kind,
    scope: g.scope,
    created_at: iso(g.created_at),
    last_used_at: iso(g.last_used_at),
    expires_at: iso(g.expires_at),
  };
}
