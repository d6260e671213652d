// ha_list_services: what Home Assistant can do, compact per domain, in full for one service.
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { ServiceDescription } from '../ha/schemas.js';
import { flatFields } from '../policy/validate.js';
import { liveCache } from '../home/liveCache.js';
import { serviceNotFound } from '../home/serviceNotFound.js';
import { page, pagingInput, pagingOutput } from './paging.js';
import { domainArg, serviceArg } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

const CompactService = z.object({
  service: z.string(),
  fields: z.array(z.string()),
  required: z.array(z.string()).optional(),
  response: z.enum(['optional', 'only']).optional(),
});

const FullService = z.object({
  domain: z.string(),
  service: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  fields: z.record(z.string(), z.unknown()),
  target: z.unknown().optional(),
  response: z.unknown().optional(),
});

/** Field names and the required ones, with collapsible sections flattened. */
function fieldNames(desc: ServiceDescription): { all: string[]; required: string[] } {
  const fields = [...flatFields(desc)];
  return { all: fields.map(([name]) => name), required: fields.filter(([, f]) => f.required).map(([name]) => name) };
}

function compact(service: string, desc: ServiceDescription): z.infer<typeof CompactService> {
  const { all, required } = fieldNames(desc);
  const out: z.infer<typeof CompactService> = { service, fields: all };
  if (required.length) out.required = required;
  if (desc.response) out.response = desc.response.optional ? 'optional' : 'only';
  return out;
}

export const listServices = defineTool({
  name: 'ha_list_services',
  title: 'List services',
  description:
    'Services per domain: names, field names, required fields. Give domain and service for full field details (selectors, ranges, options).',
  toolset: 'read',
  input: z.object({
    domain: domainArg().optional().describe('Only this domain, e.g. "light"'),
    service: serviceArg().optional().describe('With domain: full details of this service'),
    ...pagingInput,
  }),
  output: z.object({
    domains: z.array(z.object({ domain: z.string(), services: z.array(CompactService) })).optional(),
    service: FullService.optional(),
    ...pagingOutput,
  }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache } = liveCache(ctx);
    const services = cache.services;
    if (input.service !== undefined) {
      if (input.domain === undefined) {
        throw new AppError('invalid_input', 'service needs domain.', 'Pass both domain and service, e.g. domain "light", service "turn_on".');
      }
      const desc = services[input.domain]?.[input.service];
      if (!desc) throw serviceNotFound(services, input.domain, input.service);
      const full: z.infer<typeof FullService> = { domain: input.domain, service: input.service, fields: desc.fields };
      if (desc.name !== undefined) full.name = desc.name;
      if (desc.description !== undefined) full.description = desc.description;
      if (desc.target !== undefined) full.target = desc.target;
      if (desc.response !== undefined) full.response = desc.response;
      return { service: full, total: 1, offset: 0, has_more: false };
    }
    let domains = Object.keys(services).sort();
    if (input.domain !== undefined) {
      if (!services[input.domain]) throw serviceNotFound(services, input.domain);
      domains = [input.domain];
    }
    const p = page(domains, input.limit, input.offset);
    return {
      domains: p.items.map((domain) => ({
        domain,
        services: Object.entries(services[domain] ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, desc]) => compact(name, desc)),
      })),
      total: p.total,
      offset: p.offset,
      has_more: p.has_more,
    };
  },
});
