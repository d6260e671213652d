// Reads are served from the live cache; before it has ever loaded there is nothing to serve.
import { AppError } from '../errors.js';
import type { HaClient, HomeCache } from '../ha/types.js';

export interface CacheView {
  cache: HomeCache;
  /** True while the connection to Home Assistant is down: data may be out of date. */
  stale: boolean;
}

export function liveCache(ctx: { ha: HaClient }): CacheView {
  const { ha } = ctx;
  // Until the first full load, services and registries may be missing: answering from a half
  // loaded cache would turn "not loaded yet" into "not found".
  if (!ha.cache.loaded) {
    if (ha.status === 'auth_failed') {
      throw new AppError('ha_unreachable', "Home Assistant refused the add-on's token.", 'Check HOMEASSISTANT_TOKEN (or restart the add-on so the Supervisor issues a new token).');
    }
    throw new AppError(
      'ha_unreachable',
      'Home Assistant is not reachable yet, or its data is still loading.',
      'Retry in a few seconds; if it persists, check that Home Assistant is running and the URL is right.',
    );
  }
  return { cache: ha.cache, stale: ha.status !== 'connected' };
}
