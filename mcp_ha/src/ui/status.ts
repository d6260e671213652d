// Section 1 of the page: Home Assistant connection, MCP sessions and revisions, the server itself.
import type { HaClient } from '../ha/types.js';
import type { SessionStore } from '../mcp/sessions.js';
import { VERSION } from '../version.js';

/** Protocol revisions seen on /mcp (the MCP-Protocol-Version header), with counts and last use. */
export class ProtocolTally {
  private readonly seen = new Map<string, { requests: number; last: number }>();

  note(version: string | string[] | undefined): void {
    const v = Array.isArray(v0(version)) ? undefined : v0(version);
    if (v === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return;
    const entry = this.seen.get(v) ?? { requests: 0, last: 0 };
    if (!this.seen.has(v) && this.seen.size >= 20) return; // real revisions are few; odd headers do not grow this
    entry.requests++;
    entry.last = Date.now();
    this.seen.set(v, entry);
  }

  list(): { protocol: string; requests: number; last_at: string }[] {
    return [...this.seen].sort((a, b) => b[1].last - a[1].last).map(([protocol, e]) => ({ protocol, requests: e.requests, last_at: new Date(e.last).toISOString() }));
  }
}

const v0 = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export interface StatusDeps {
  ha: HaClient;
  sessions: SessionStore;
  tally: ProtocolTally;
  startedAt: number;
  lastResync: () => number | undefined;
}

export function statusOf(d: StatusDeps) {
  const { ha } = d;
  const sessions = d.sessions.summary();
  const byClient = new Map<string, { client: string; protocol: string | null; kind: string; sessions: number }>();
  for (const s of sessions) {
    const key = `${s.client}\0${s.protocol ?? ''}\0${s.kind}`;
    const e = byClient.get(key) ?? { client: s.client, protocol: s.protocol ?? null, kind: s.kind, sessions: 0 };
    e.sessions++;
    byClient.set(key, e);
  }
  const resync = d.lastResync();
  return {
    home_assistant: {
      status: ha.status,
      connected: ha.status === 'connected',
      version: ha.version ?? null,
      entities: ha.cache.size,
      cache_ready: ha.cache.ready,
      stale: ha.cache.stale,
      last_resync: resync === undefined ? null : new Date(resync).toISOString(),
      last_update: ha.cache.lastUpdate === undefined ? null : new Date(ha.cache.lastUpdate).toISOString(),
    },
    mcp: {
      open_sessions: sessions.length,
      by_client: [...byClient.values()].sort((a, b) => b.sessions - a.sessions).slice(0, 50),
      protocols: d.tally.list(),
    },
    server: { version: VERSION, uptime_s: Math.round((Date.now() - d.startedAt) / 1000), started_at: new Date(d.startedAt).toISOString() },
  };
}
