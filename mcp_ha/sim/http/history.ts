// GET /api/history/period[/<start>] and GET /api/logbook[/<start>].
import type { HistoryRow } from '../state/recorder.js';
import { nowMicros, parseIsoMicros } from '../util/time.js';
import type { RestRequest } from './context.js';
import { json, message, type Reply } from './respond.js';

const DAY_US = 86_400_000_000;

// Domains whose attribute-only changes count as significant (homeassistant.components.recorder).
const SIGNIFICANT_DOMAINS = new Set(['climate', 'device_tracker', 'humidifier', 'thermostat', 'water_heater']);

export function significantRows(entityId: string, rows: HistoryRow[]): HistoryRow[] {
  if (SIGNIFICANT_DOMAINS.has(entityId.slice(0, entityId.indexOf('.')))) return rows;
  return rows.filter((r, i) => i === 0 || r.lcUs === r.us);
}

function timeRange(req: RestRequest): { start: number; end: number } | Reply {
  const now = nowMicros();
  let start = now - DAY_US;
  if (req.params[0] !== undefined) {
    const parsed = parseIsoMicros(decodeURIComponent(req.params[0]));
    if (parsed === null) return message(400, 'Invalid datetime');
    start = parsed;
  }
  let end = start + DAY_US;
  const endText = req.query.get('end_time');
  if (endText !== null) {
    const parsed = parseIsoMicros(endText);
    if (parsed === null) return message(400, 'Invalid end_time');
    end = parsed;
  }
  return { start, end };
}

export function historyPeriod(req: RestRequest): Reply {
  const range = timeRange(req);
  if ('kind' in range) return range;
  const filter = req.query.get('filter_entity_id');
  if (!filter) return message(400, 'filter_entity_id is missing');
  const minimal = req.query.has('minimal_response');
  const noAttributes = req.query.has('no_attributes');
  const significant = !['0', 'false'].includes(req.query.get('significant_changes_only') ?? '1');
  const out: string[] = [];
  for (const id of filter.split(',').map((s) => s.trim().toLowerCase())) {
    let rows = req.recorder.states(id, range.start, range.end);
    if (significant) rows = significantRows(id, rows);
    if (!rows.length) continue;
    const items = rows.map((r, i) =>
      minimal && i > 0
        ? JSON.stringify({ state: r.state, last_changed: r.last_changed })
        : JSON.stringify({
            entity_id: r.entity_id,
            state: r.state,
            attributes: noAttributes ? {} : r.attributes,
            last_changed: r.last_changed,
            last_updated: r.last_updated,
          }),
    );
    out.push(`[${items.join(',')}]`);
  }
  return json(200, `[${out.join(',')}]`);
}

export function logbook(req: RestRequest): Reply {
  const range = timeRange(req);
  if ('kind' in range) return range;
  const entity = req.query.get('entity');
  const ids = entity ? entity.split(',').map((s) => s.trim()) : undefined;
  const rows = req.recorder.entries(range.start, range.end, ids);
  return json(200, `[${rows.map((r) => JSON.stringify(r.entry)).join(',')}]`);
}
