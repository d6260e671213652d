// The resource URIs the server serves (hass://), shared by the MCP layer and completion.
export const OVERVIEW_URI = 'hass://overview';
export const ENTITY_PREFIX = 'hass://entity/';
export const ENTITY_URI_TEMPLATE = `${ENTITY_PREFIX}{entity_id}`;

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
