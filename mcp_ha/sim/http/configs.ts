// /api/config/{automation,script,scene}/config/<id>: GET, POST (create or replace), DELETE, with
// Home Assistant's statuses and messages (README rules 30-32; rest-config-crud.json).
import { configsOf, deleteItem, invalidItem, saveItem, type ConfigKind } from '../state/configs.js';
import { slugify } from '../state/registries.js';
import { isObject, parseJson, type RestRequest } from './context.js';
import { json, message, type Reply } from './respond.js';

const OK = '{"result":"ok"}';

export function getItem(kind: ConfigKind) {
  return (req: RestRequest): Reply => {
    const cfg = configsOf(req.home, kind)[req.params[0]!];
    return cfg ? json(200, JSON.stringify(cfg)) : message(404, 'Resource not found');
  };
}

export function postItem(kind: ConfigKind) {
  return (req: RestRequest): Reply => {
    const id = req.params[0]!;
    if (kind === 'script' && slugify(id) !== id) return message(400, `Key malformed: invalid slug ${id} (try ${slugify(id)})`);
    const parsed = parseJson(req.body);
    if (!parsed.ok) return message(400, 'Invalid JSON specified');
    if (!isObject(parsed.value)) return message(400, 'Message malformed: expected a dictionary');
    const problem = invalidItem(kind, parsed.value);
    if (problem) return message(400, `Message malformed: ${problem}`);
    saveItem(req.home, kind, id, parsed.value);
    return json(200, OK);
  };
}

export function deleteItemRoute(kind: ConfigKind) {
  return (req: RestRequest): Reply => (deleteItem(req.home, kind, req.params[0]!) ? json(200, OK) : message(400, 'Resource not found'));
}
