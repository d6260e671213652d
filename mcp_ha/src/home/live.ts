// One live view per Home Assistant cache, shared by every session: the search index and the
// fan-out of "the entity list changed" to MCP sessions (one cache listener, not one per session).
import type { HomeCache } from '../ha/types.js';
import { EntitySearchIndex } from './searchIndex.js';

export interface HomeLive {
  search: EntitySearchIndex;
  /** Called when entities appear or go (or after a resync); returns the unsubscribe. */
  onEntityListChanged(listener: () => void): () => void;
  /** How many listeners are registered (one per open MCP server): a leak shows here. */
  readonly listenerCount: number;
}

const views = new WeakMap<HomeCache, HomeLive>();

export function homeLive(cache: HomeCache): HomeLive {
  let view = views.get(cache);
  if (!view) {
    const listeners = new Set<() => void>();
    const notify = (): void => {
      for (const l of listeners) l();
    };
    cache.on('entities', notify);
    cache.on('resync', notify);
    view = {
      search: new EntitySearchIndex(cache),
      onEntityListChanged(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      get listenerCount() {
        return listeners.size;
      },
    };
    views.set(cache, view);
  }
  return view;
}
