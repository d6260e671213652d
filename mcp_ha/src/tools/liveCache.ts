// Reads are served from the live cache; before it has ever loaded there is nothing to serve.
import { AppError } from '../errors.js';
import type { HomeCache } from '../ha/types.js';
import type { ToolContext } from './tool.js';

export interface CacheView {
  cache: HomeCache;
  /** True while the connection to Home Assistant is down: data may be out of date. */
  stale: boolean;
}

export function liveCache(ctx: Pick<ToolContext, 'ha'>): CacheView {
  const { ha } = ctx;
  if (!ha.cache.ready && ha.cache.lastUpdate === undefined) {
    throw new AppError(
      'ha_unreachable',
      ha.status === 'auth_failed'
        ? 'Home Assistant refused the add-on\'s token.'
        : 'Home Assistant is not reachable yet.',
      ha.status === 'auth_failed'
        ? 'Check HOMEASSISTANT_TOKEN (or restart the add-on so the Supervisor issues a new token).'
        : 'Retry in a few seconds; if it persists, check that Home Assistant is running and the URL is right.',
    );
  }
  return { cache: ha.cache, stale: ha.status !== 'connected' };
}
