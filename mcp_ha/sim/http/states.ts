// /api/states and /api/states/<entity_id> (GET, POST, DELETE), as HA's APIEntityStateView.
import { newContext } from '../state/context.js';
import { validEntityId } from '../state/store.js';
import { isObject, parseJson, type RestRequest } from './context.js';
import { json, message, type Reply } from './respond.js';

export function getStates(req: RestRequest): Reply {
  return json(200, req.home.store.allStatesBuffer());
}

export function getState(req: RestRequest): Reply {
  const body = req.home.store.stateJson(req.params[0]!);
  return body === undefined ? message(404, 'Entity not found.') : json(200, body);
}

export function postState(req: RestRequest): Reply {
  const entityId = req.params[0]!;
  const parsed = parseJson(req.body);
  if (!parsed.ok) return message(400, 'Invalid JSON specified.');
  const data = parsed.value;
  if (!isObject(data)) return message(400, 'State data should be a JSON object.');
  if (data.state === undefined || data.state === null) return message(400, 'No state specified.');
  if (!validEntityId(entityId)) return message(400, 'Invalid entity ID specified.');
  const state = data.state;
  // HA stringifies what it is given; longer than 255 characters is refused.
  const text = typeof state === 'string' ? state : JSON.stringify(state);
  if (text.length > 255) return message(400, 'Invalid state specified.');
  const attributes = isObject(data.attributes) ? data.attributes : {};
  const existed = req.home.store.has(entityId);
  const { state: st } = req.home.store.set(entityId, text, attributes, {
    forceUpdate: data.force_update === true,
    context: newContext(req.user.id),
  });
  return json(existed ? 200 : 201, JSON.stringify(st), [['Location', `/api/states/${entityId}`]]);
}

export function deleteState(req: RestRequest): Reply {
  return req.home.store.remove(req.params[0]!, newContext(req.user.id))
    ? message(200, 'Entity removed.')
    : message(404, 'Entity not found.');
}
