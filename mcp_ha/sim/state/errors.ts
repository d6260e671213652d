// The failures a service call can end in, mapped by the WS and REST layers to HA's answers.

/** vol.Invalid: WS `invalid_format` with this text; REST 400 "400: Bad Request". */
export class InvalidData extends Error {
  override name = 'InvalidData';
}

/** ServiceNotFound: WS `not_found` with translation; REST 400. */
export class ServiceNotFound extends Error {
  override name = 'ServiceNotFound';
  constructor(readonly domain: string, readonly service: string) {
    super(`Service ${domain}.${service} not found.`);
  }
}

/** ServiceValidationError: WS `service_validation_error` ("Validation error: …"); REST 500. */
export class ServiceValidationError extends Error {
  override name = 'ServiceValidationError';
  constructor(
    message: string,
    readonly translationKey: string,
    readonly placeholders: Record<string, string>,
    readonly translationDomain: string,
  ) {
    super(message);
  }
}

/** Any other HomeAssistantError: WS `home_assistant_error`; REST 500. */
export class HomeAssistantError extends Error {
  override name = 'HomeAssistantError';
}
