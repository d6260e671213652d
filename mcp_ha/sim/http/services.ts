// /api/services and POST /api/services/<domain>/<service> (with ?return_response).
import { newContext } from '../state/context.js';
import { HomeAssistantError, InvalidData, ServiceNotFound, ServiceValidationError } from '../state/errors.js';
import { isObject, parseJson, type RestRequest } from './context.js';
import { crash, json, message, plain, type Reply } from './respond.js';

let servicesCache: { src: object; json: string } | null = null;

export function getServices(req: RestRequest): Reply {
  const services = req.home.services;
  if (servicesCache?.src !== services) {
    servicesCache = { src: services, json: JSON.stringify(Object.entries(services).map(([domain, s]) => ({ domain, services: s }))) };
  }
  return json(200, servicesCache.json);
}

export function callService(req: RestRequest): Reply {
  const [domain, service] = req.params as [string, string];
  let data: Record<string, unknown> = {};
  if (req.body !== '') {
    const parsed = parseJson(req.body);
    if (!parsed.ok) return message(400, 'Data should be valid JSON.');
    if (!isObject(parsed.value)) return plain(400, 'Bad Request');
    data = parsed.value;
  }
  const returnResponse = req.query.has('return_response');
  const description = req.home.services[domain]?.[service];
  if (description) {
    const response = description.response as { optional?: boolean } | undefined;
    if (returnResponse && !response) return message(400, 'Service does not support responses. Remove return_response from request.');
    if (!returnResponse && response && !response.optional) {
      return message(400, 'Service call requires responses but caller did not ask for responses. Add ?return_response to query parameters.');
    }
    // An entity service called with no body at all fails its schema (entity_id is required).
    if (req.body === '' && 'target' in description) return plain(400, 'Bad Request');
  }
  try {
    const result = req.home.callService({
      domain,
      service,
      data,
      returnResponse,
      context: newContext(req.user.id),
      targetPath: 'data',
    });
    const changed = `[${result.changed.map((s) => JSON.stringify(s)).join(',')}]`;
    if (returnResponse) return json(200, `{"changed_states":${changed},"service_response":${JSON.stringify(result.response ?? null)}}`);
    return json(200, changed);
  } catch (err) {
    if (err instanceof ServiceNotFound || err instanceof InvalidData) return plain(400, 'Bad Request');
    if (err instanceof ServiceValidationError || err instanceof HomeAssistantError) return crash();
    throw err;
  }
}
