// Live resources: a change feed over the shared cache that says "this resource URI changed",
// coalesced to at most one notice per URI per interval, and the per-session subscription sets
// (2025 resources/subscribe) that turn notices into notifications/resources/updated.
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { HomeCache } from '../ha/types.js';
import { OVERVIEW_URI, entityUri } from '../home/uris.js';

export const COALESCE_MS = 250;
/** Resource subscriptions one session (2025) or one subscriptions/listen stream (2026-07-28) may hold. */
export const MAX_SUBSCRIPTIONS = 100;

type Listener = (uri: string) => void;

/** One per cache: turns state events into coalesced "URI changed" notices. */
export class ResourceFeed {
  private readonly listeners = new Set<Listener>();
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private attached = false;
  private readonly onState = (entityId: string): void => {
    this.touch(entityUri(entityId));
    this.touch(OVERVIEW_URI);
  };

  constructor(
    private readonly cache: HomeCache,
    private readonly intervalMs = COALESCE_MS,
  ) {}

  /** Registers a listener; the cache is only watched while someone listens. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.attached) {
      this.cache.on('state', this.onState);
      this.attached = true;
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.attached) {
        this.cache.off('state', this.onState);
        this.attached = false;
        for (const t of this.pending.values()) clearTimeout(t);
        this.pending.clear();
        this.lastSent.clear();
      }
    };
  }

  private touch(uri: string): void {
    if (this.pending.has(uri)) return; // already scheduled: this change rides along
    const now = Date.now();
    const wait = (this.lastSent.get(uri) ?? -Infinity) + this.intervalMs - now;
    if (wait <= 0) return this.emit(uri, now);
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      this.emit(uri, Date.now());
    }, wait);
    timer.unref();
    this.pending.set(uri, timer);
  }

  private emit(uri: string, now: number): void {
    this.lastSent.set(uri, now);
    for (const l of this.listeners) l(uri);
  }
}

const feeds = new WeakMap<HomeCache, ResourceFeed>();

export function resourceFeed(cache: HomeCache): ResourceFeed {
  let feed = feeds.get(cache);
  if (!feed) feeds.set(cache, (feed = new ResourceFeed(cache)));
  return feed;
}

/** One session's resources/subscribe set, capped; notifies through `send`. */
export class SessionSubscriptions {
  private readonly uris = new Set<string>();
  private stop: (() => void) | undefined;

  constructor(
    private readonly feed: ResourceFeed,
    private readonly max: number,
    private readonly send: (uri: string) => void,
  ) {}

  get size(): number {
    return this.uris.size;
  }

  add(uri: string): void {
    if (this.uris.has(uri)) return;
    if (this.uris.size >= this.max) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `This session already has ${this.max} resource subscriptions, the most allowed. Unsubscribe from some (resources/unsubscribe) or subscribe to hass://overview for changes anywhere.`,
      );
    }
    this.uris.add(uri);
    this.stop ??= this.feed.listen((changed) => {
      if (this.uris.has(changed)) this.send(changed);
    });
  }

  remove(uri: string): void {
    this.uris.delete(uri);
    if (this.uris.size === 0) this.dispose();
  }

  dispose(): void {
    this.uris.clear();
    this.stop?.();
    this.stop = undefined;
  }
}
