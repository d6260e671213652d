// In-memory, short-lived state of a sign-in: the pending authorization between our /authorize,
// Home Assistant's login and the consent page (10 minutes), and our authorization codes (60 s,
// single use, bound to client, redirect URI, PKCE challenge and resource). Bounded: the oldest
// entry goes when full. A restart in the middle of a sign-in means signing in again.
import type { ResolvedClient } from './clients.js';
import { sha256 } from './crypto.js';
import type { HaTokens, HaUser } from './upstream.js';

export const PENDING_MS = 10 * 60_000;
export const CODE_MS = 60_000;
const MAX_ENTRIES = 1000;

export interface Pending {
  id: string;
  /** sha256 of the browser cookie that started it: only that browser may finish it. */
  browser: string;
  client: ResolvedClient;
  redirectUri: string;
  state: string | undefined;
  challenge: string;
  resource: string;
  scope: string;
  createdAt: number;
  /** After the Home Assistant login. */
  user?: HaUser;
  ha?: HaTokens & { refreshToken: string };
  csrf?: string;
}

export interface CodeGrant {
  clientId: string;
  client: ResolvedClient;
  redirectUri: string;
  challenge: string;
  resource: string;
  scope: string;
  user: HaUser;
  ha: HaTokens & { refreshToken: string };
  expiresAt: number;
}

/** A map whose entries expire and whose size is capped (oldest dropped first). */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly onDrop?: (value: V) => void,
  ) {}

  set(key: string, value: V): void {
    this.sweep();
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value as string;
      this.drop(oldest);
    }
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= this.now()) {
      this.drop(key);
      return undefined;
    }
    return e.value;
  }

  /** Removes and returns (single use). */
  take(key: string): V | undefined {
    const v = this.get(key);
    if (v !== undefined) this.entries.delete(key);
    return v;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  sweep(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.until <= now) this.drop(k);
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    this.entries.delete(key);
    if (e) this.onDrop?.(e.value);
  }
}

/** Codes are looked up by hash, so the map never holds one that could be replayed from a heap dump. */
export const codeKey = (code: string): string => sha256(code);
