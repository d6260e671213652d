// Maps service-call failures to WS error results, exactly as HA words them.
import { HomeAssistantError, InvalidData, ServiceNotFound, ServiceValidationError } from '../../state/errors.js';
import type { WsConnection } from '../connection.js';

export function sendServiceError(conn: WsConnection, id: number, err: unknown, validationPrefix = 'Validation error: '): void {
  if (err instanceof ServiceNotFound) {
    conn.error(id, 'not_found', err.message, {
      translation_key: 'service_not_found',
      translation_placeholders: { domain: err.domain, service: err.service },
      translation_domain: 'homeassistant',
    });
  } else if (err instanceof InvalidData) {
    conn.error(id, 'invalid_format', err.message);
  } else if (err instanceof ServiceValidationError) {
    conn.error(id, 'service_validation_error', `${validationPrefix}${err.message}`, {
      translation_key: err.translationKey,
      translation_placeholders: err.placeholders,
      translation_domain: err.translationDomain,
    });
  } else if (err instanceof HomeAssistantError) {
    conn.error(id, 'home_assistant_error', err.message);
  } else {
    conn.error(id, 'unknown_error', (err as Error).message || 'Unknown error');
  }
}
