// ha_call_service: the general write tool. Every call goes through the service gate
// (policy, validation, confirmation, audit); this file only shapes the request.
import { z } from 'zod';
import { AppError } from '../errors.js';
import { StateSchema } from '../ha/schemas.js';
import type { ServiceCall } from '../ha/types.js';
import { learnFromUse, missesOf } from '../home/names/household.js';
import { MAX_ENTITY_ID, domainArg, jsonObjectArg, nameArg, serviceArg } from './limits.js';
import { defineTool } from './tool.js';

const id = (): z.ZodString => z.string().min(1).max(MAX_ENTITY_ID, `at most ${MAX_ENTITY_ID} characters (Home Assistant's limit for an id)`);
const ids = z.union([id(), z.array(id()).min(1).max(200)]);
const asList = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export const TargetSchema = z.object({
  entity_id: ids.optional(),
  device_id: ids.optional(),
  area_id: ids.optional(),
  floor_id: ids.optional(),
  label_id: ids.optional(),
});

export const callService = defineTool({
  name: 'ha_call_service',
  title: 'Call a service',
  description:
    'Call a Home Assistant service, e.g. light.turn_on, on entity_id or target. Subject to the add-on\'s service policy; may ask for confirmation.',
  toolset: 'write',
  input: z.object({
    domain: domainArg().describe('e.g. "light"'),
    service: serviceArg().describe('e.g. "turn_on"'),
    entity_id: ids.optional().describe('Entity id(s) to act on'),
    target: TargetSchema.optional().describe('Alternative to entity_id: entities, devices, areas, floors or labels'),
    service_data: jsonObjectArg('service_data').optional().describe('Service fields, e.g. {"brightness": 128}'),
    return_response: z.boolean().optional().describe('For services that return data, e.g. weather.get_forecasts'),
    confirm_token: nameArg().optional().describe('Token from a confirmation_required answer, to confirm that exact call'),
  }),
  output: z.object({
    success: z.boolean(),
    service: z.string(),
    target: z.record(z.string(), z.array(z.string())),
    changed_states: z.array(StateSchema),
    response: z.unknown().optional(),
    audit_id: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async run(input, ctx) {
    const data = { ...(input.service_data ?? {}) };
    // Models often put the target inside service_data, as Home Assistant's YAML allows.
    const dataEntity = data.entity_id === undefined ? undefined : ids.safeParse(data.entity_id);
    if (dataEntity && !dataEntity.success) {
      const issue = dataEntity.error.issues[0];
      throw new AppError('invalid_input', `service_data.entity_id: ${issue?.message ?? 'not an entity id or a list of them'}.`, 'Give entity_id as "light.kitchen" or a list of such ids, best at the top level of the arguments.');
    }
    delete data.entity_id;
    const entityIds = asList(input.entity_id) ?? asList(input.target?.entity_id) ?? asList(dataEntity?.data);
    if (input.entity_id !== undefined && input.target?.entity_id !== undefined) {
      throw new AppError('invalid_input', 'Give entity_id or target.entity_id, not both.', 'Put all entities in one of them.');
    }

    const target: Record<string, string[]> = {};
    if (entityIds) target.entity_id = entityIds;
    for (const key of ['device_id', 'area_id', 'floor_id', 'label_id'] as const) {
      const v = asList(input.target?.[key]);
      if (v) target[key] = v;
    }
    const call: ServiceCall = {
      domain: input.domain,
      service: input.service,
      target: Object.keys(target).length ? target : undefined,
      service_data: Object.keys(data).length ? data : undefined,
      return_response: input.return_response,
    };
    const outcome = await missesOf(ctx, ctx.gate.execute({
      call,
      caller: ctx.caller,
      sessionId: ctx.sessionId,
      tool: 'ha_call_service',
      confirmToken: input.confirm_token,
      elicit: ctx.elicit,
      confirmedByUser: ctx.confirmedByUser,
    }));
    learnFromUse(ctx, entityIds, 'action');
    const out: {
      success: boolean; service: string; target: Record<string, string[]>; changed_states: typeof outcome.changed_states;
      response?: unknown; audit_id?: string;
    } = {
      success: true,
      service: `${input.domain}.${input.service}`,
      target,
      changed_states: outcome.changed_states,
    };
    if (outcome.response !== undefined) out.response = outcome.response;
    if (outcome.audit_id !== undefined) out.audit_id = outcome.audit_id;
    return out;
  },
});
