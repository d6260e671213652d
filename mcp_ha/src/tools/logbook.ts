// ha_logbook: what happened, newest first, one short line per entry
// ("14:03:12 light.kitchen: turned on (by Anna)"), from logbook/get_events; filtered by
// entities, area or domain; paginated, and cut to stay under about 8,000 tokens.
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { requireState } from '../home/entityLookup.js';
import { liveCache } from '../home/liveCache.js';
import { findArea, placementOf } from '../home/placement.js';
import { Clock, homeZone, resolveSpan } from '../home/time.js';
import { MAX_ANSWER_TOKENS, estimateTokens } from '../home/tokens.js';
import { commandFor, spanLabels, throwIfCancelled, timeArg } from './history.js';
import { domainArg, entityIdArg, nameArg } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

/** A logbook/get_events entry (WS shape: `when` in epoch seconds). */
interface Entry {
  when: number;
  entity_id?: string;
  state?: string;
  name?: string;
  message?: string;
  domain?: string;
  context_user_id?: string;
  context_event_type?: string;
  context_domain?: string;
  context_service?: string;
  context_entity_id?: string;
  context_name?: string;
}

const MAX_DAYS = 31;
/** Beyond this many entities a domain filter is applied here rather than sent to Home Assistant. */
const MAX_SENT_IDS = 500;

const domainOf = (id: string): string => id.slice(0, id.indexOf('.'));

/** What a state change means, in the words of Home Assistant's logbook where they are short. */
function changeText(entityId: string, state: string, deviceClass: unknown): string {
  if (state === 'unavailable') return 'became unavailable';
  if (state === 'unknown') return 'became unknown';
  const domain = domainOf(entityId);
  if (domain === 'binary_sensor') {
    const open = ['door', 'window', 'opening', 'garage_door'].includes(String(deviceClass));
    const motion = ['motion', 'occupancy', 'presence'].includes(String(deviceClass));
    if (state === 'on') return open ? 'opened' : motion ? 'detected motion' : 'turned on';
    if (state === 'off') return open ? 'closed' : motion ? 'cleared' : 'turned off';
  }
  if (domain === 'person' || domain === 'device_tracker') {
    if (state === 'home') return 'arrived home';
    if (state === 'not_home') return 'left home';
    return `is at ${state}`;
  }
  if (state === 'on' || state === 'off') return `turned ${state}`;
  if (['locked', 'unlocked', 'opened', 'closed', 'open', 'jammed'].includes(state) && (domain === 'lock' || domain === 'cover' || domain === 'valve')) {
    return state === 'open' ? 'opened' : state;
  }
  return `changed to ${state}`;
}

class Lines {
  private readonly users = new Map<string, string>();
  constructor(private readonly cache: HomeCache) {
    for (const s of cache.states()) {
      if (s.entity_id.startsWith('person.') && typeof s.attributes.user_id === 'string') {
        this.users.set(s.attributes.user_id, String(s.attributes.friendly_name ?? s.entity_id));
      }
    }
  }

  private by(e: Entry): string {
    if (e.context_user_id) return this.users.get(e.context_user_id) ?? `user ${e.context_user_id.slice(0, 8)}`;
    if (e.context_entity_id && e.context_entity_id !== e.entity_id) return e.context_entity_id;
    if (e.context_event_type === 'call_service' && e.context_domain && e.context_service) return `${e.context_domain}.${e.context_service}`;
    return '';
  }

  line(e: Entry, clock: Clock): string {
    const what = e.entity_id ?? e.name ?? e.domain ?? 'home';
    let text: string;
    if (e.message !== undefined) text = e.message;
    else if (e.state !== undefined && e.entity_id) text = changeText(e.entity_id, e.state, (this.cache.getState(e.entity_id) as HaState | undefined)?.attributes.device_class);
    else text = 'event';
    // An automation's own "triggered by ..." says enough; the service that started it adds nothing.
    const by = e.message !== undefined && !e.context_user_id && !e.context_entity_id ? '' : this.by(e);
    return `${clock.label(Math.round(e.when * 1000))} ${what}: ${text}${by ? ` (by ${by})` : ''}`;
  }
}

export const logbook = defineTool({
  name: 'ha_logbook',
  title: 'Logbook',
  description: 'What happened and who or what did it (user, automation, script), newest first. Filter by entities, area or domain; paginated.',
  toolset: 'read',
  input: z.object({
    start: timeArg().optional().describe('ISO 8601 or relative: "-24h", "yesterday", "this week"... Default -24h'),
    end: timeArg().optional().describe('Default now'),
    entity_ids: z.array(entityIdArg()).min(1).max(50).optional(),
    area: nameArg().optional().describe('Area id or name'),
    domain: domainArg().optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(100_000).default(0),
  }),
  output: z.object({
    time_zone: z.string(),
    start: z.string(),
    end: z.string(),
    entries: z.array(z.string()),
    total: z.number(),
    offset: z.number(),
    has_more: z.boolean(),
    note: z.string().optional(),
  }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache } = liveCache(ctx);
    const tz = homeZone(cache);
    const now = Date.now();
    const span = resolveSpan(input, tz, now, '-24h');
    const days = (span.end - span.start) / 86_400_000;
    if (days > MAX_DAYS + 0.05) {
      throw new AppError('invalid_input', `The period is ${Math.round(days)} days; the logbook covers at most ${MAX_DAYS} days per call.`, 'Ask for a shorter period (Home Assistant keeps 10 days by default), or narrow it with entity_ids, area or domain.');
    }

    // The entities asked about: the intersection of entity_ids, area and domain.
    let ids: Set<string> | undefined;
    if (input.entity_ids) {
      for (const id of input.entity_ids) requireState(cache, id);
      ids = new Set(input.entity_ids);
    }
    if (input.area !== undefined) {
      const area = findArea(cache, input.area);
      const inArea = new Set<string>();
      for (const s of cache.states()) if (placementOf(cache, s.entity_id).area_id === area) inArea.add(s.entity_id);
      ids = ids ? new Set([...ids].filter((id) => inArea.has(id))) : inArea;
    }
    const domain = input.domain;
    if (domain && ids) ids = new Set([...ids].filter((id) => domainOf(id) === domain));
    const base = spanLabels(span, tz, now);
    if (ids && !ids.size) {
      return { ...base, entries: [], total: 0, offset: input.offset, has_more: false, note: 'No entities match these filters.' };
    }
    let send = ids ? [...ids] : undefined;
    if (!send && domain) {
      const inDomain: string[] = [];
      for (const s of cache.states()) if (domainOf(s.entity_id) === domain) inDomain.push(s.entity_id);
      if (!inDomain.length) return { ...base, entries: [], total: 0, offset: input.offset, has_more: false, note: `No ${domain} entities in this home.` };
      if (inDomain.length <= MAX_SENT_IDS) send = inDomain;
    }
    const raw = await commandFor<Entry[]>(ctx, {
      type: 'logbook/get_events',
      start_time: new Date(span.start).toISOString(),
      end_time: new Date(span.end).toISOString(),
      ...(send ? { entity_ids: send } : {}),
    });
    throwIfCancelled(ctx.signal);
    const wanted = (e: Entry): boolean => {
      if (typeof e.when !== 'number') return false;
      if (!ids && !domain) return true;
      if (!e.entity_id) return false;
      return (!ids || ids.has(e.entity_id)) && (!domain || domainOf(e.entity_id) === domain);
    };
    const entries = raw.filter(wanted).sort((a, b) => b.when - a.when);
    const lines = new Lines(cache);
    const clock = new Clock(tz, true);
    const page: string[] = [];
    let size = 200;
    let i = input.offset;
    for (; i < entries.length && page.length < input.limit; i++) {
      const text = lines.line(entries[i]!, clock);
      size += estimateTokens(text) + 2;
      if (size > MAX_ANSWER_TOKENS && page.length) break;
      page.push(text);
    }
    const out: { note?: string } & typeof base & { entries: string[]; total: number; offset: number; has_more: boolean } = { ...base, entries: page, total: entries.length, offset: input.offset, has_more: i < entries.length };
    if (out.has_more) {
      out.note = `${entries.length - i} older entries: offset ${i}${page.length < input.limit ? ' (cut to stay under ~8,000 tokens)' : ''}, or a shorter period.`;
    }
    return out;
  },
});
