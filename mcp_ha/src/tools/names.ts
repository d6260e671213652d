// ha_names: the household's names for things, learned from use (src/home/names): list them,
// remember or forget one when the user says so (forget answers with what it forgot), and share
// a sure one with Assist as an alias in Home Assistant's entity registry (home/names/alias.ts).
import { z } from 'zod';
import { AppError } from '../errors.js';
import { requireState } from '../home/entityLookup.js';
import { liveCache } from '../home/liveCache.js';
import { SHARE_CONFIDENCE, shareAlias } from '../home/names/alias.js';
import { MAX_NAME_CHARS } from '../home/names/phrase.js';
import { namesOf, type HouseholdNames } from '../home/names/household.js';
import { entityIdArg, nameArg } from './limits.js';
import { defineTool, type ToolContext } from './tool.js';

const PAGE = 50;

const Row = z.object({
  name: z.string(),
  entity_id: z.string(),
  count: z.number(),
  confidence: z.number(),
  last_used: z.string(),
  source: z.enum(['search', 'lookup', 'told']),
});

function household(ctx: ToolContext): HouseholdNames {
  const names = namesOf(liveCache(ctx).cache);
  if (!names) {
    throw new AppError('policy_denied', 'Learning names is off in the add-on options (learn_names: false).', 'Find entities with ha_search_entities; the user can turn learn_names on in the add-on options.', {
      details: { option: 'learn_names' },
    });
  }
  return names;
}

const noName = (name: string): AppError =>
  new AppError('invalid_input', `"${name.slice(0, 80)}" is no name for a thing.`, `Give the words the user calls it, e.g. "the big lamp" (at most 6 words, ${MAX_NAME_CHARS} characters).`);

export const householdNames = defineTool({
  name: 'ha_names',
  title: 'Household names',
  description:
    'Names the household uses for entities ("the big lamp"), learned from use; search ranks them first. remember/forget when the user says so; share makes one an Assist alias.',
  toolset: 'write',
  input: z.object({
    action: z.enum(['list', 'remember', 'forget', 'share']),
    name: z.string().max(200).optional(),
    entity_id: entityIdArg().optional(),
    offset: z.number().int().min(0).max(10_000).default(0),
    confirm_token: nameArg().optional(),
  }),
  output: z.object({
    names: z.array(Row),
    total: z.number().int(),
    has_more: z.boolean(),
    audit_id: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async run(input, ctx) {
    const memory = household(ctx);
    const page = (rows: z.infer<typeof Row>[], auditId?: string) => ({
      names: rows.slice(input.offset, input.offset + PAGE),
      total: rows.length,
      has_more: rows.length > input.offset + PAGE,
      ...(auditId ? { audit_id: auditId } : {}),
    });
    const { action, name, entity_id: entityId } = input;
    if (action === 'list') return page(memory.list({ name, entity_id: entityId }));
    if (action === 'forget') {
      if (name === undefined && entityId === undefined) {
        throw new AppError('invalid_input', 'forget needs name, entity_id or both.', 'Give the name to forget (for every entity, or with entity_id for one), or entity_id alone to forget all its names.');
      }
      // The answer lists what was forgotten.
      const rows = memory.list({ name, entity_id: entityId });
      memory.forget(name, entityId);
      return page(rows);
    }
    if (name === undefined || entityId === undefined) {
      throw new AppError('invalid_input', `${action} needs name and entity_id.`, 'Call again with the name the user said and the entity_id it stands for.');
    }
    requireState(liveCache(ctx).cache, entityId);
    if (action === 'remember') {
      if (!memory.remember(name, entityId)) throw noName(name);
      return page(memory.list({ name }));
    }
    const [row] = memory.list({ name, entity_id: entityId });
    if (!row || row.confidence < SHARE_CONFIDENCE) {
      throw new AppError(
        'validation_error',
        `"${name.slice(0, 80)}" is not sure enough for ${entityId} to share (confidence ${row?.confidence ?? 0}, needs ${SHARE_CONFIDENCE}).`,
        'Share a name the household used more than once, or remember it first if the user says it is right.',
      );
    }
    const shared = await shareAlias(ctx, {
      entityId, alias: row.name, caller: ctx.caller, sessionId: ctx.sessionId, confirmToken: input.confirm_token, elicit: ctx.elicit, confirmedByUser: ctx.confirmedByUser,
    });
    return page([row], shared.audit_id);
  },
});
