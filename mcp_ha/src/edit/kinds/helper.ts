// Helpers (UI-created input_boolean, input_number, input_select, input_text, input_datetime,
// input_button, counter, timer) over their storage collections. The id is the entity id
// (`counter.visits`); the stored form is {type, ...item} without the item's id. Home Assistant
// makes the id from the name, so an id that is not the name's slug (undo of a delete after a
// rename) is created under a name that slugifies to it, then renamed.
import { AppError } from '../../errors.js';
import { slugify } from '../slug.js';
import { createHelper, deleteHelper, HELPER_TYPES, HelperTypeSchema, listHelpers, updateHelper, type HelperItem, type HelperType } from '../helperApi.js';
import type { EditContext, EditKind, ListedObject, Problem } from '../kind.js';
import { adminWrites } from '../adminOnly.js';
import { entityShown } from '../appear.js';

function split(id: string): { type: HelperType; objectId: string } {
  const dot = id.indexOf('.');
  const type = HelperTypeSchema.safeParse(id.slice(0, dot));
  if (dot < 1 || !type.success || !id.slice(dot + 1)) {
    throw new AppError('invalid_input', `${id} is no helper id.`, `A helper id is its entity id: <type>.<id> with type one of ${HELPER_TYPES.join(', ')}.`);
  }
  return { type: type.data, objectId: id.slice(dot + 1) };
}

const stored = (type: HelperType, item: HelperItem): Record<string, unknown> => {
  const { id: _id, ...rest } = item;
  return { type, ...rest };
};

/** The fields Home Assistant takes: the config without our `type` (and a stray `id`). */
const fieldsOf = (config: Record<string, unknown>): Record<string, unknown> => {
  const { type: _t, id: _i, ...rest } = config;
  return rest;
};

async function find(ctx: EditContext, type: HelperType, objectId: string): Promise<HelperItem | undefined> {
  return (await listHelpers(ctx.ha, type)).find((h) => h.id === objectId);
}

export const helperKind: EditKind = adminWrites({
  kind: 'helper',
  article: 'a helper',
  actions: ['list', 'get', 'create', 'update', 'delete'],

  async list(ctx) {
    const lists = await Promise.all(HELPER_TYPES.map(async (type) => ({ type, items: await listHelpers(ctx.ha, type) })));
    const out: ListedObject[] = [];
    for (const { type, items } of lists) {
      for (const h of items) {
        const entityId = `${type}.${h.id}`;
        out.push({ id: entityId, entity_id: entityId, name: h.name, state: ctx.ha.cache.getState(entityId)?.state });
      }
    }
    return out;
  },

  async read(ctx, id) {
    const { type, objectId } = split(id);
    const item = await find(ctx, type, objectId);
    return item ? stored(type, item) : null;
  },

  async create(ctx, id, config) {
    const { type, objectId } = split(id);
    const fields = fieldsOf(config);
    const name = typeof fields.name === 'string' ? fields.name : '';
    if (slugify(name) === objectId) return `${type}.${(await createHelper(ctx.ha, type, fields)).id}`;
    // Home Assistant takes the id from the name: create under the id, then rename.
    const made = await createHelper(ctx.ha, type, { ...fields, name: objectId });
    await updateHelper(ctx.ha, type, made.id, fields);
    return `${type}.${made.id}`;
  },

  async update(ctx, id, config) {
    const { type, objectId } = split(id);
    await updateHelper(ctx.ha, type, objectId, fieldsOf(config));
  },

  async remove(ctx, id) {
    const { type, objectId } = split(id);
    await deleteHelper(ctx.ha, type, objectId);
  },

  async validate(_ctx, config, id) {
    const problems: Problem[] = [];
    const { type } = split(id);
    if (config.type !== undefined && config.type !== type) problems.push({ path: 'type', message: `type ${String(config.type)} does not match the id's ${type}` });
    if (typeof config.name !== 'string' || !config.name.trim()) problems.push({ path: 'name', message: 'required: name, the helper\'s name (its id comes from it)' });
    return problems;
  },

  newId(config, cache) {
    const type = HelperTypeSchema.safeParse(config.type);
    if (!type.success) {
      throw new AppError('invalid_input', 'A new helper needs its type.', `Put "type" in config: one of ${HELPER_TYPES.join(', ')}; or give id as <type>.<id>.`);
    }
    const base = slugify(typeof config.name === 'string' ? config.name : '');
    let objectId = base;
    for (let i = 2; cache.getState(`${type.data}.${objectId}`) || cache.entities.has(`${type.data}.${objectId}`); i++) objectId = `${base}_${i}`;
    return `${type.data}.${objectId}`;
  },

  entityOf: (cache, id) => (cache.getState(id) ? id : undefined),

  reload(ctx, id) {
    return { done: (exists) => entityShown(ctx.ha.cache, id, exists) };
  },
}, 'helpers');
