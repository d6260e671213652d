// Open 2025-era MCP sessions (Streamable HTTP and legacy SSE): each a transport and its server,
// with an owner, idle expiry and a cap. A full store makes room by closing the least recently
// used idle session, the caller's own first, and no caller may hold more than its share, so
// clients that reconnect without DELETE (the SDK's own Client.close() sends none) never lock
// anyone out.
import type { Server, Transport } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { callerLabel, type Caller } from '../auth/caller.js';

export interface Session {
  id: string;
  kind: 'streamable' | 'sse';
  transport: Transport;
  server: Server;
  caller: Caller;
  lastSeen: number;
  /** Requests being answered right now: a busy session is never evicted. */
  busy: number;
}

export type Admission = { ok: true } | { ok: false; reason: 'caller_limit' | 'full' };

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly max: number,
    private readonly idleMs: number,
    private readonly logger: Logger,
    /** Most sessions one caller may hold: all but a quarter of the store (at least one slot stays for others). */
    private readonly perCaller = Math.max(1, max - Math.max(1, Math.floor(max / 4))),
  ) {
    this.timer = setInterval(() => void this.sweep(), Math.max(1000, Math.min(idleMs / 4, 60_000)));
    this.timer.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Each open session's kind, caller, client (from initialize) and protocol revision, for the add-on's page. */
  summary(): { id: string; kind: Session['kind']; caller: string; client: string; protocol: string | undefined; idle_s: number }[] {
    const now = Date.now();
    return [...this.sessions.values()].map((s) => {
      const client = s.server.getClientVersion();
      return {
        id: s.id,
        kind: s.kind,
        caller: callerLabel(s.caller),
        client: client ? `${client.name} ${client.version}`.slice(0, 100) : 'unknown',
        protocol: s.server.getNegotiatedProtocolVersion(),
        idle_s: Math.round((now - s.lastSeen) / 1000),
      };
    });
  }

  /**
   * Makes room for one more session of this caller: when the caller is at its share, its own
   * least recently used session goes; when the store is full, the caller's own least recently
   * used session goes, else that of the caller holding the most sessions. Busy sessions (a request
   * in flight) are never closed; only when every session is busy is the answer no.
   */
  async admit(caller: Caller): Promise<Admission> {
    const label = callerLabel(caller);
    const own = [...this.sessions.values()].filter((s) => callerLabel(s.caller) === label);
    if (own.length >= this.perCaller) {
      const victim = this.lru(own);
      if (!victim) return { ok: false, reason: 'caller_limit' };
      await this.evict(victim, 'caller at its session limit');
    }
    if (this.sessions.size < this.max) return { ok: true };
    const victim = this.lru(own) ?? this.lru(this.largestHolder());
    if (!victim) return { ok: false, reason: 'full' };
    await this.evict(victim, 'store full');
    return { ok: true };
  }

  /** The sessions of the caller that holds the most. */
  private largestHolder(): Session[] {
    const by = new Map<string, Session[]>();
    for (const s of this.sessions.values()) {
      const label = callerLabel(s.caller);
      const list = by.get(label) ?? [];
      list.push(s);
      by.set(label, list);
    }
    let best: Session[] = [];
    for (const list of by.values()) if (list.filter((s) => s.busy === 0).length > best.filter((s) => s.busy === 0).length) best = list;
    return best;
  }

  /** The least recently used session that is not busy. */
  private lru(candidates: Session[]): Session | undefined {
    let best: Session | undefined;
    for (const s of candidates) {
      if (s.busy > 0) continue;
      if (!best || s.lastSeen < best.lastSeen) best = s;
    }
    return best;
  }

  private async evict(s: Session, why: string): Promise<void> {
    this.logger.info({ session: s.id, caller: callerLabel(s.caller), why }, 'mcp session evicted');
    await this.close(s.id);
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
    this.logger.info({ session: session.id, kind: session.kind, caller: callerLabel(session.caller), open: this.sessions.size }, 'mcp session opened');
  }

  /** The session if it exists and belongs to this caller; a session is never usable with another credential. */
  get(id: string, caller: Caller): Session | undefined {
    const s = this.sessions.get(id);
    if (!s || callerLabel(s.caller) !== callerLabel(caller)) return undefined;
    s.lastSeen = Date.now();
    return s;
  }

  /** Runs fn while marking the session busy (not evictable). */
  async use<T>(s: Session, fn: () => Promise<T>): Promise<T> {
    s.busy++;
    try {
      return await fn();
    } finally {
      s.busy--;
      s.lastSeen = Date.now();
    }
  }

  /** Forget a session its transport closed (DELETE, stream end or error). */
  forget(id: string): void {
    if (this.sessions.delete(id)) this.logger.info({ session: id, open: this.sessions.size }, 'mcp session closed');
  }

  async close(id: string): Promise<void> {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    await s.transport.close().catch(() => undefined);
    await s.server.close().catch(() => undefined);
  }

  async sweep(now = Date.now()): Promise<void> {
    const expired = [...this.sessions.values()].filter((s) => s.busy === 0 && now - s.lastSeen > this.idleMs);
    for (const s of expired) {
      this.logger.info({ session: s.id }, 'mcp session expired');
      await this.close(s.id);
    }
  }

  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }
}
