// service_not_found: an unknown domain or service, with what exists instead.
import { AppError } from '../errors.js';
import type { Services } from '../ha/schemas.js';

/** service_not_found for an unknown domain or service, naming what exists. */
export function serviceNotFound(services: Services, domain: string, service?: string): AppError {
  const domainServices = services[domain];
  if (!domainServices) {
    const domains = Object.keys(services).sort();
    return new AppError('service_not_found', `Domain ${domain} has no services.`, `Known domains: ${domains.join(', ')}.`, {
      details: { domain, domains },
    });
  }
  const names = Object.keys(domainServices).sort();
  return new AppError(
    'service_not_found',
    `Service ${domain}.${service ?? ''} not found.`,
    `${domain} services: ${names.join(', ')}. Call ha_list_services with domain "${domain}" and a service for its fields.`,
    { details: { domain, service, services: names } },
  );
}
