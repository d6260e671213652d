// ha_system: Home Assistant's health and housekeeping in one tool, by action. Reads: the log
// file's tail (GET /api/error_log), system_log/list, repairs, pending updates (update.* states),
// check_config, persistent notifications. Writes go through the service gate: notify, dismiss,
// and restart / reload, which always ask for confirmation (SENSITIVE_SERVICES). Log text and
// notifications have their secrets masked; every list is paged and cut under ~8,000 tokens.
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { ServiceCall } from '../ha/types.js';
import { LEVELS, SystemLogEntrySchema, logLine, logWanted, parseLog, systemLogLine } from '../home/errorLog.js';
import { liveCache } from '../home/liveCache.js';
import { maskSecrets } from '../home/secrets.js';
import { formatTime, homeZone } from '../home/time.js';
import { MAX_ANSWER_TOKENS, estimateTokens } from '../home/tokens.js';
import { RELOAD_DOMAINS } from '../policy/defaults.js';
import { commandFor, throwIfCancelled } from './history.js';
import { domainArg, nameArg } from './limits.js';
import { adminCommand, restBody, restFor } from './systemAccess.js';
import { defineTool, type ToolContext } from './tool.js';

const ACTIONS = ['log', 'system_log', 'repairs', 'updates', 'check_config', 'notifications', 'notify', 'dismiss', 'restart', 'reload'] as const;
const LOG_TIMEOUT_MS = 30_000;
/** The tail of the log that is read: a log grown for months need not be parsed whole for its last records. */
const MAX_LOG_CHARS = 4_000_000;
/** check_config loads every integration's config schema: it can take a while on a big setup. */
const CHECK_TIMEOUT_MS = 120_000;

type Answer = { action: string; items?: string[]; total?: number; has_more?: boolean; note?: string; result?: string };

/** One page of lines, cut to stay under the answer bound; says how to get the rest. */
function pageOf(action: string, lines: string[], limit: number, offset: number, narrow: string): Answer {
  const items: string[] = [];
  let size = 100;
  let i = offset;
  for (; i < lines.length && items.length < limit; i++) {
    size += estimateTokens(lines[i]!) + 2;
    if (size > MAX_ANSWER_TOKENS && items.length) break;
    items.push(lines[i]!);
  }
  const out: Answer = { action, items, total: lines.length, has_more: i < lines.length };
  if (out.has_more) out.note = `${lines.length - i} more: offset ${i}${items.length < limit ? ' (cut to stay under ~8,000 tokens)' : ''}, or ${narrow}.`;
  return out;
}

/** A write through the gate; the answer's result names what was done and its audit id. */
async function write(ctx: ToolContext, call: ServiceCall, confirmToken: string | undefined, done: string): Promise<string> {
  const outcome = await ctx.gate.execute({ call, caller: ctx.caller, sessionId: ctx.sessionId, tool: 'ha_system', confirmToken, elicit: ctx.elicit, confirmedByUser: ctx.confirmedByUser });
  return outcome.audit_id ? `${done} (audit ${outcome.audit_id})` : done;
}

export const system = defineTool({
  name: 'ha_system',
  title: 'Home Assistant system',
  description: 'Home Assistant health: error log tail, system_log, repairs, updates, check_config, notifications; notify, dismiss; restart or reload (confirmed).',
  toolset: 'admin',
  input: z.object({
    action: z.enum(ACTIONS),
    level: z.enum(LEVELS).optional().describe('Logs: this level and up'),
    integration: domainArg().optional().describe('Logs: e.g. "zha"'),
    message: z.string().min(1).max(4000).optional(),
    title: nameArg().optional(),
    notification_id: nameArg().optional(),
    reload: domainArg().optional().describe('"all" (default), "core" or a domain'),
    confirm_token: nameArg().optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(100_000).default(0),
  }),
  output: z.object({
    action: z.string(),
    items: z.array(z.string()).optional(),
    result: z.string().optional(),
    total: z.number().optional(),
    has_more: z.boolean().optional(),
    note: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async run(input, ctx) {
    const { cache } = liveCache(ctx);
    const tz = homeZone(cache);
    const mask = (s: string): string => maskSecrets(s, [ctx.config.ha.token]);
    const filter = { level: input.level, integration: input.integration };
    const narrow = input.level || input.integration ? 'a narrower level or integration' : 'filter by level or integration';
    const { action, limit, offset } = input;

    switch (action) {
      case 'log': {
        const res = await restFor(ctx, 'GET', '/api/error_log', LOG_TIMEOUT_MS);
        const body = restBody(res, 'the error log', ctx.caller);
        const whole = typeof body === 'string' ? body : '';
        const text = whole.length > MAX_LOG_CHARS ? whole.slice(whole.indexOf('\n', whole.length - MAX_LOG_CHARS) + 1) : whole;
        throwIfCancelled(ctx.signal);
        // Newest first: the tail is what matters.
        const records = parseLog(text).filter((r) => logWanted(r, filter)).reverse();
        let prev: string | undefined;
        const lines = records.map((r) => {
          const line = mask(logLine(r, prev));
          prev = r.date;
          return line;
        });
        const out = pageOf(action, lines, limit, offset, narrow);
        if (text.length < whole.length) out.note = `${out.note ? `${out.note} ` : ''}Only the last ${Math.round(text.length / 1e6)} MB of the ${Math.round(whole.length / 1e6)} MB log were read.`;
        if (!lines.length) out.note = `No ${input.level ?? ''} records${input.integration ? ` from ${input.integration}` : ''} in the log.`.replace('  ', ' ');
        return out;
      }
      case 'system_log': {
        const entries = z.array(SystemLogEntrySchema).parse(await adminCommand(ctx, { type: 'system_log/list' }, 'the system log'));
        const lines = entries.filter((e) => logWanted({ level: e.level, logger: e.name }, filter)).sort((a, b) => b.timestamp - a.timestamp).map((e) => mask(systemLogLine(e, tz)));
        return pageOf(action, lines, limit, offset, narrow);
      }
      case 'repairs': {
        const raw = z.object({ issues: z.array(z.record(z.string(), z.unknown())) }).parse(await commandFor(ctx, { type: 'repairs/list_issues' }));
        const lines = raw.issues.map((i) => {
          const breaks = typeof i.breaks_in_ha_version === 'string' ? `, breaks in ${i.breaks_in_ha_version}` : '';
          const placeholders = i.translation_placeholders && typeof i.translation_placeholders === 'object' ? ` ${JSON.stringify(i.translation_placeholders)}` : '';
          const flags = [i.ignored ? 'ignored' : '', i.is_fixable ? 'fixable in Settings > Repairs' : ''].filter(Boolean).join(', ');
          return mask(`${String(i.severity)} ${String(i.domain)}: ${String(i.issue_id)}${placeholders}${breaks}${flags ? ` (${flags})` : ''}${typeof i.learn_more_url === 'string' ? ` ${i.learn_more_url}` : ''}`);
        });
        const out = pageOf(action, lines, limit, offset, 'nothing narrower');
        if (!lines.length) out.note = 'No repairs: Home Assistant reports no issues.';
        return out;
      }
      case 'updates': {
        const lines: string[] = [];
        let current = 0;
        for (const s of cache.states()) {
          if (!s.entity_id.startsWith('update.')) continue;
          const a = s.attributes;
          if (s.state !== 'on') {
            current++;
            continue;
          }
          const progress = a.in_progress === true ? ` installing${typeof a.update_percentage === 'number' ? ` ${a.update_percentage}%` : ''}` : '';
          const skipped = a.skipped_version ? ` (skipped ${String(a.skipped_version)})` : '';
          lines.push(`${s.entity_id}: ${String(a.installed_version ?? '?')} → ${String(a.latest_version ?? '?')}${a.title ? ` ${String(a.title)}` : ''}${progress}${skipped}`);
        }
        lines.sort();
        const out = pageOf(action, lines, limit, offset, 'nothing narrower');
        out.note = `${lines.length} pending, ${current} up to date or skipped.${out.note ? ` ${out.note}` : ''} Install with ha_call_service update.install (asks confirmation if configured).`;
        return out;
      }
      case 'check_config': {
        const res = await restFor(ctx, 'POST', '/api/config/core/check_config', CHECK_TIMEOUT_MS);
        const body = z.object({ result: z.string(), errors: z.string().nullable().optional(), warnings: z.string().nullable().optional() }).loose().parse(restBody(res, 'check_config', ctx.caller));
        const out: Answer = { action, result: body.result };
        const items = [body.errors ? `errors: ${mask(body.errors)}` : '', body.warnings ? `warnings: ${mask(body.warnings)}` : ''].filter(Boolean);
        if (items.length) out.items = items;
        out.note = body.result === 'valid' ? 'The configuration is valid: a restart or reload is safe.' : 'Fix these before restarting: Home Assistant would not start with them.';
        return out;
      }
      case 'notifications': {
        const list = z.array(z.object({ notification_id: z.string(), title: z.string().nullable().optional(), message: z.string(), created_at: z.string() }).loose()).parse(await commandFor(ctx, { type: 'persistent_notification/get' }));
        const lines = list
          .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
          .map((n) => mask(`${formatTime(Date.parse(n.created_at), tz)} ${n.notification_id}: ${n.title ? `${n.title}: ` : ''}${n.message.length > 600 ? `${n.message.slice(0, 599)}…` : n.message}`));
        return pageOf(action, lines, limit, offset, 'nothing narrower');
      }
      case 'notify': {
        if (!input.message) throw new AppError('invalid_input', 'notify needs a message.', 'Give message (and optionally title and notification_id).');
        const data: Record<string, unknown> = { message: input.message };
        if (input.title !== undefined) data.title = input.title;
        if (input.notification_id !== undefined) data.notification_id = input.notification_id;
        return { action, result: await write(ctx, { domain: 'persistent_notification', service: 'create', service_data: data }, input.confirm_token, 'created') };
      }
      case 'dismiss': {
        const id = input.notification_id;
        if (!id) throw new AppError('invalid_input', 'dismiss needs a notification_id.', 'action "notifications" lists them with their ids.');
        const list = z.array(z.object({ notification_id: z.string() }).loose()).parse(await commandFor(ctx, { type: 'persistent_notification/get' }));
        if (!list.some((n) => n.notification_id === id)) {
          const ids = list.map((n) => n.notification_id).slice(0, 10);
          throw new AppError('not_found', `No notification "${id}".`, ids.length ? `Open notifications: ${ids.join(', ')}.` : 'There are no open notifications.', { details: { notification_id: id, open: ids } });
        }
        return { action, result: await write(ctx, { domain: 'persistent_notification', service: 'dismiss', service_data: { notification_id: id } }, input.confirm_token, 'dismissed') };
      }
      case 'restart': {
        const result = await write(ctx, { domain: 'homeassistant', service: 'restart' }, input.confirm_token, 'restarting');
        return { action, result, note: 'Home Assistant is restarting: answers may fail for a minute, then work again.' };
      }
      case 'reload': {
        const what = input.reload ?? 'all';
        const call: ServiceCall =
          what === 'all' ? { domain: 'homeassistant', service: 'reload_all' } : what === 'core' ? { domain: 'homeassistant', service: 'reload_core_config' } : { domain: what, service: 'reload' };
        if (what !== 'all' && what !== 'core' && (!RELOAD_DOMAINS.includes(what) || !cache.services[what]?.reload)) {
          const can = RELOAD_DOMAINS.filter((d) => cache.services[d]?.reload);
          throw new AppError('invalid_input', `"${what}" cannot be reloaded here.`, `Use "all", "core" or one of: ${can.join(', ')}.`);
        }
        return { action, result: await write(ctx, call, input.confirm_token, `reloaded ${what}`) };
      }
    }
  },
});
