// The smaller REST endpoints: status, config, events, error log, calendars, check_config,
// the shopping list, template rendering (config items: configs.ts).
import { newContext } from '../state/context.js';
import { SHOPPING_LIST, todoItems } from '../state/domains/lists.js';
import { renderForRest } from '../template.js';
import { parseIsoMicros } from '../util/time.js';
import { isObject, parseJson, type RestRequest } from './context.js';
import { empty, json, message, type Reply } from './respond.js';

export const apiStatus = (): Reply => message(200, 'API running.');

export const coreState = (): Reply =>
  json(200, '{"state":"RUNNING","recorder_state":{"migration_in_progress":false,"migration_is_live":false}}');

export const getConfig = (req: RestRequest): Reply => json(200, JSON.stringify(req.home.data.config));

export const getComponents = (req: RestRequest): Reply =>
  json(200, JSON.stringify(req.home.data.extras?.components ?? req.home.data.config.components ?? []));

export function listEvents(req: RestRequest): Reply {
  const recorded = req.home.data.extras?.eventListeners ?? [
    { event: 'state_changed', listener_count: 1 },
    { event: 'call_service', listener_count: 1 },
  ];
  return json(200, JSON.stringify(recorded));
}

export function fireEvent(req: RestRequest): Reply {
  const eventType = req.params[0]!;
  let data: Record<string, unknown> = {};
  if (req.body !== '') {
    const parsed = parseJson(req.body);
    if (!parsed.ok) return message(400, 'Event data should be valid JSON.');
    if (parsed.value !== null && !isObject(parsed.value)) return message(400, 'Event data should be a JSON object');
    data = (parsed.value as Record<string, unknown> | null) ?? {};
  }
  req.home.bus.fire(eventType, data, newContext(req.user.id), 'REMOTE');
  return message(200, `Event ${eventType} fired.`);
}

export const errorLog = (req: RestRequest): Reply => ({
  kind: 'octet',
  status: 200,
  body: req.home.system.errorLog(),
});

export function listCalendars(req: RestRequest): Reply {
  const cals = (req.home.data.extras?.calendars ?? []).map((c) => ({ name: c.name, entity_id: c.entity_id }));
  return json(200, JSON.stringify(cals));
}

export function calendarEvents(req: RestRequest): Reply {
  const cal = req.home.data.extras?.calendars?.find((c) => c.entity_id === req.params[0]);
  const start = req.query.get('start');
  const end = req.query.get('end');
  if (!cal || !start || !end) return empty(400);
  const s = parseIsoMicros(start);
  const e = parseIsoMicros(end);
  if (s === null || e === null) return empty(400);
  const events = cal.events.filter((ev) => {
    const evStart = parseIsoMicros(String((ev.start as Record<string, string>).dateTime ?? (ev.start as Record<string, string>).date));
    const evEnd = parseIsoMicros(String((ev.end as Record<string, string>).dateTime ?? (ev.end as Record<string, string>).date));
    return evStart !== null && evEnd !== null && evEnd > s && evStart < e;
  });
  return json(200, JSON.stringify(events));
}

export const checkConfig = (req: RestRequest): Reply => json(200, JSON.stringify(req.home.system.checkConfig));

/** GET /api/shopping_list: todo.shopping_list's items as {name, id, complete}, in list order. */
export const shoppingList = (req: RestRequest): Reply =>
  json(200, JSON.stringify(todoItems(req.home, SHOPPING_LIST).map((i) => ({ name: i.summary, id: i.uid, complete: i.status === 'completed' }))));

export async function renderTemplate(req: RestRequest): Promise<Reply> {
  const parsed = parseJson(req.body);
  if (!parsed.ok) return message(400, 'Invalid JSON specified.');
  if (!isObject(parsed.value)) return message(400, 'Template data should be a JSON object.');
  const tpl = parsed.value.template;
  const variables = isObject(parsed.value.variables) ? parsed.value.variables : undefined;
  const out = await renderForRest(req.home, String(tpl ?? ''), variables);
  if (!out.ok) return message(400, `Error rendering template: ${out.error}`);
  return { kind: 'text', status: 200, body: out.result };
}
