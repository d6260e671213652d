// The resource URIs the server serves.
export const OVERVIEW_URI = 'hass://overview';
export const ENTITY_PREFIX = 'hass://entity/';

/** The entity id of a hass://entity/ URI; undefined for another URI, null for bad percent-encoding. */
export function entityIdOf(uri: string): string | undefined | null {
  if (!uri.startsWith(ENTITY_PREFIX)) return undefined;
  try {
    return decodeURIComponent(uri.slice(ENTITY_PREFIX.length));
  } catch {
    return null;
  }
}

export const entityUri = (entityId: string): string => `${ENTITY_PREFIX}${entityId}`;
