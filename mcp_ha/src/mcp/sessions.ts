// Open MCP sessions: each a transport and its server, with an owner, idle expiry and a cap.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from 'pino';
import { callerLabel, type Caller } from '../auth/caller.js';

export interface Session {
  id: string;
  transport: StreamableHTTPServerTransport;
  server: Server;
  caller: Caller;
  lastSeen: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly max: number,
    private readonly idleMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.sweep(), Math.max(1000, Math.min(idleMs / 4, 60_000)));
    this.timer.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  get full(): boolean {
    return this.sessions.size >= this.max;
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
    this.logger.info({ session: session.id, caller: callerLabel(session.caller), open: this.sessions.size }, 'mcp session opened');
  }

  /** The session if it exists and belongs to this caller; a session is never usable with another credential. */
  get(id: string, caller: Caller): Session | undefined {
    const s = this.sessions.get(id);
    if (!s || callerLabel(s.caller) !== callerLabel(caller)) return undefined;
    s.lastSeen = Date.now();
    return s;
  }

  /** Forget a session the transport closed (DELETE or error). */
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
    const expired = [...this.sessions.values()].filter((s) => now - s.lastSeen > this.idleMs);
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
