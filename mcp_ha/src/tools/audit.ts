// ha_audit_log: what the AI did, from the audit log: filters, newest first, with counts, success
// rate and median duration over everything that matched.
import { z } from 'zod';
import { AppError } from '../errors.js';
import { matches, stats, type AuditFilter } from '../audit/query.js';
import type { AuditRecord } from '../audit/record.js';
import { callerLabel } from '../auth/caller.js';
import { page } from './paging.js';
import { MAX_DOMAIN, MAX_NAME, entityIdArg, nameArg } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

const OUTCOMES = ['success', 'refused', 'failed', 'pending', 'unknown'] as const;

function time(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new AppError('invalid_input', `${name} is not a date: "${v}".`, 'Use ISO 8601, e.g. 2026-01-31T18:00:00Z.');
  return t;
}

/** Compact by default: before/after states (and a config edit's object versions) only on request, they are most of a record's size. */
function project(r: AuditRecord, withStates: boolean): Record<string, unknown> {
  const { v: _v, before, after, change, ...rest } = r;
  if (withStates) return { ...rest, before, after, ...(change ? { change } : {}) };
  return change ? { ...rest, change: { kind: change.kind, id: change.id, ...(change.entity_id ? { entity_id: change.entity_id } : {}) } } : rest;
}

export const auditLog = defineTool({
  name: 'ha_audit_log',
  title: 'Audit log',
  description:
    'Writes the AI asked for (allowed, refused, failed), newest first: filter by time, entity, caller, outcome; counts, success rate, median duration.',
  toolset: 'read',
  input: z.object({
    id: nameArg().min(1).optional().describe('One record, in full'),
    since: nameArg().optional().describe('ISO time, e.g. 2026-01-31T18:00:00Z'),
    until: nameArg().optional().describe('ISO time'),
    entity_id: entityIdArg().optional(),
    caller: nameArg().optional().describe('"me", or a caller label such as "api_key:claude"'),
    outcome: z.enum(OUTCOMES).optional(),
    tool: nameArg().optional().describe('e.g. "ha_undo"'),
    service: z.string().max(MAX_DOMAIN + 1 + MAX_NAME).optional().describe('e.g. "light.turn_on"'),
    include_states: z.boolean().default(false).describe('Include before/after entity states'),
    limit: z.number().int().min(1).max(200).default(20).describe('Max records (default 20)'),
    offset: z.number().int().min(0).default(0),
  }),
  output: z.object({
    records: z.array(z.record(z.string(), z.unknown())),
    stats: z.object({
      count: z.number().int(),
      by_outcome: z.record(z.string(), z.number().int()),
      success_rate: z.number().nullable(),
      median_duration_ms: z.number().nullable(),
    }),
    total: z.number().int(),
    offset: z.number().int(),
    has_more: z.boolean(),
  }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const filter: AuditFilter = {
      since: time('since', input.since),
      until: time('until', input.until),
      entityId: input.entity_id,
      caller: input.caller === 'me' ? callerLabel(ctx.caller) : input.caller,
      outcome: input.outcome,
      tool: input.tool,
      service: input.service,
    };
    const all = await ctx.audit.readAll({ since: filter.since });
    const hits = (input.id !== undefined ? all.filter((r) => r.id === input.id) : all.filter((r) => matches(r, filter))).reverse();
    if (input.id !== undefined && !hits.length) throw new AppError('not_found', `No audit record ${input.id}.`, 'Call ha_audit_log without id to list recent records.');
    const p = page(hits, input.limit, input.offset);
    return {
      records: p.items.map((r) => project(r, input.include_states || input.id !== undefined)),
      stats: stats(hits),
      total: p.total,
      offset: p.offset,
      has_more: p.has_more,
    };
  },
});
