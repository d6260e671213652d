// ha_names: the household's names for things, learned from use (src/home/names): list them, and
// remember or forget one when the user says so (forget answers with what it forgot).
import { z } from 'zod';
import { AppError } from '../errors.js';
import { requireState } from '../home/entityLookup.js';
import { liveCache } from '../home/liveCache.js';
import { MAX_NAME_CHARS } from '../home/names/phrase.js';
import { namesOf, type HouseholdNames } from '../home/names/household.js';
import { entityIdArg } from './limits.js';
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
  description: 'Names the household uses for entities ("the big lamp"), learned from use; search ranks them first. Remember or forget one when the user says so.',
  toolset: 'write',
  input: z.object({
    action: z.enum(['list', 'remember', 'forget']),
    name: z.string().min(1).max(200).optional(),
    entity_id: entityIdArg().optional(),
    offset: z.number().int().min(0).max(10_000).default(0),
  }),
  output: z.object({
    names: z.array(Row),
    total: z.number().int(),
    has_more: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run(input, ctx) {
    const memory = household(ctx);
    let rows;
    if (input.action === 'remember') {
      if (input.name === undefined || input.entity_id === undefined) {
        throw new AppError('invalid_input', 'remember needs name and entity_id.', 'Call again with the name the user said and the entity_id it stands for.');
      }
      requireState(liveCache(ctx).cache, input.entity_id);
      if (!memory.remember(input.name, input.entity_id)) throw noName(input.name);
      rows = memory.list({ name: input.name });
    } else if (input.action === 'forget') {
      if (input.name === undefined && input.entity_id === undefined) {
        throw new AppError('invalid_input', 'forget needs name, entity_id or both.', 'Give the name to forget (for every entity, or with entity_id for one), or entity_id alone to forget all its names.');
      }
      // The answer lists what was forgotten.
      rows = memory.list({ name: input.name, entity_id: input.entity_id });
      memory.forget(input.name, input.entity_id);
    } else {
      rows = memory.list({ name: input.name, entity_id: input.entity_id });
    }
    return { names: rows.slice(input.offset, input.offset + PAGE), total: rows.length, has_more: rows.length > input.offset + PAGE };
  },
});
