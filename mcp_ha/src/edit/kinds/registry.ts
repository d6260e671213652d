// Registry kinds: entity entries (name, area, icon, aliases, labels, enabled; no create or
// delete), devices (area, name), and areas, floors and labels (create, rename, delete). Each
// stored form is the entry's editable fields only; update sets all of them (a field left out is
// cleared), so undo can put an entry back as it was. Home Assistant makes area, floor and label
// ids from the name: an id that is not the name's slug (undo of a delete after a rename) is
// created under a name that slugifies to it, then renamed.
import { distance } from 'fastest-levenshtein';
import { AppError } from '../../errors.js';
import type { HomeCache } from '../../ha/types.js';
import { adminWrites } from '../adminOnly.js';
import { until } from '../appear.js';
import type { Applied, EditKind, ListedObject, Problem } from '../kind.js';
import {
  createNamed,
  deleteNamed,
  getEntityEntry,
  listNamed,
  NAMED_FIELDS,
  updateDeviceEntry,
  updateEntityEntry,
  updateNamed,
  type NamedRegistry,
} from '../registryApi.js';
import { slugify } from '../slug.js';

type Obj = Record<string, unknown>;

const ENTITY_FIELDS = ['name', 'area_id', 'icon', 'aliases', 'labels', 'disabled_by'] as const;
const DEVICE_FIELDS = ['area_id', 'name_by_user'] as const;

const pick = (o: Obj, keys: readonly string[]): Obj => {
  const out: Obj = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  return out;
};

/** Problems shared by the registry kinds: unknown keys, wrong types, unknown areas/floors/labels. */
function fieldProblems(cache: HomeCache, config: Obj, allowed: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const k of Object.keys(config)) if (!allowed.includes(k)) problems.push({ path: k, message: `not a field of this entry; the fields are ${allowed.join(', ')}` });
  const ref = (key: string, map: ReadonlyMap<string, unknown>, what: string, v: unknown): void => {
    if (typeof v !== 'string' || map.has(v)) return;
    const near = [...map.keys()]
      .map((k) => [k, distance(k, v)] as const)
      .filter(([, d]) => d <= Math.max(2, Math.floor(v.length / 3)))
      .sort((a, b) => a[1] - b[1])
      .slice(0, 3)
      .map(([k]) => k);
    problems.push({ path: key, message: `no ${what} ${v}`, ...(near.length ? { closest: near } : {}) });
  };
  for (const [k, v] of Object.entries(config)) {
    if (['aliases', 'labels'].includes(k)) {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) problems.push({ path: k, message: `${k} must be a list of strings` });
      else if (k === 'labels') v.forEach((l: string, i) => ref(`labels[${i}]`, cache.labels, 'label', l));
    } else if (k === 'disabled_by') {
      if (v !== null && v !== 'user') problems.push({ path: k, message: 'disabled_by is null (enabled) or "user" (disabled)' });
    } else if (k === 'level') {
      if (v !== null && !Number.isInteger(v)) problems.push({ path: k, message: 'level must be an integer or null' });
    } else if (v !== null && typeof v !== 'string') problems.push({ path: k, message: `${k} must be a string or null` });
    if (k === 'area_id') ref(k, cache.areas, 'area', v);
    if (k === 'floor_id') ref(k, cache.floors, 'floor', v);
  }
  return problems;
}

/** Waits until the cache shows the registry change (it reloads a registry after its event). */
function settled(cache: HomeCache, ready: () => boolean): Promise<Applied> {
  return until(cache, 'registry', ready).then((ok) => (ok ? {} : { note: 'Home Assistant has not announced the change yet; it shows in a moment.' }));
}

export const entityKind: EditKind = adminWrites({
  kind: 'entity',
  article: 'an entity registry entry',
  actions: ['list', 'get', 'update'],
  async list(ctx) {
    const out: ListedObject[] = [];
    for (const e of ctx.ha.cache.entities.values()) out.push({ id: e.entity_id, name: e.name ?? e.original_name ?? undefined, state: ctx.ha.cache.getState(e.entity_id)?.state });
    return out;
  },
  async read(ctx, id) {
    try {
      const e = await getEntityEntry(ctx.ha, id);
      return { name: e.name ?? null, area_id: e.area_id ?? null, icon: e.icon ?? null, aliases: e.aliases ?? [], labels: e.labels ?? [], disabled_by: e.disabled_by ?? null };
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return null;
      throw err;
    }
  },
  create() {
    throw new AppError('invalid_input', 'Entity registry entries are made by their integrations.', 'Use action "update" on an existing entity.');
  },
  async update(ctx, id, config) {
    const c = pick(config, ENTITY_FIELDS);
    await updateEntityEntry(ctx.ha, id, {
      name: (c.name as string | null | undefined) ?? null,
      area_id: (c.area_id as string | null | undefined) ?? null,
      icon: (c.icon as string | null | undefined) ?? null,
      aliases: (c.aliases as string[] | undefined) ?? [],
      labels: (c.labels as string[] | undefined) ?? [],
      disabled_by: (c.disabled_by as 'user' | null | undefined) ?? null,
    });
  },
  remove() {
    throw new AppError('invalid_input', 'Entity registry entries are not deleted here.', 'Disable it instead: update with disabled_by "user".');
  },
  async validate(ctx, config) {
    return fieldProblems(ctx.ha.cache, config, ENTITY_FIELDS);
  },
  newId() {
    throw new AppError('invalid_input', 'Entity registry entries cannot be created.', 'Use action "update" with the entity id.');
  },
  entityOf: (_cache, id) => id,
  reload(ctx, id) {
    const cache = ctx.ha.cache;
    const before = cache.entities.get(id);
    return { done: () => settled(cache, () => cache.entities.get(id) !== before) };
  },
}, 'the entity registry');

export const deviceKind: EditKind = adminWrites({
  kind: 'device',
  article: 'a device',
  actions: ['list', 'get', 'update'],
  async list(ctx) {
    return [...ctx.ha.cache.devices.values()].map((d) => ({ id: d.id, name: d.name_by_user ?? d.name ?? undefined, ...(d.area_id ? { state: `area ${d.area_id}` } : {}) }));
  },
  async read(ctx, id) {
    // The cache follows device_registry_updated; the device list itself is large.
    const d = ctx.ha.cache.devices.get(id);
    return d ? { area_id: d.area_id ?? null, name_by_user: d.name_by_user ?? null } : null;
  },
  create() {
    throw new AppError('invalid_input', 'Devices are made by their integrations.', 'Use action "update" on an existing device.');
  },
  async update(ctx, id, config) {
    const c = pick(config, DEVICE_FIELDS);
    const want = { area_id: (c.area_id as string | null | undefined) ?? null, name_by_user: (c.name_by_user as string | null | undefined) ?? null };
    await updateDeviceEntry(ctx.ha, id, want);
    // read() answers from the cache: let it catch up first (it reloads on device_registry_updated).
    const cache = ctx.ha.cache;
    await until(cache, 'registry', () => {
      const d = cache.devices.get(id);
      return (d?.area_id ?? null) === want.area_id && (d?.name_by_user ?? null) === want.name_by_user;
    });
  },
  remove() {
    throw new AppError('invalid_input', 'Devices are not deleted here.', 'Remove the integration or the device in Home Assistant.');
  },
  async validate(ctx, config) {
    return fieldProblems(ctx.ha.cache, config, DEVICE_FIELDS);
  },
  newId() {
    throw new AppError('invalid_input', 'Devices cannot be created.', 'Use action "update" with the device id.');
  },
  reload(ctx, id) {
    const cache = ctx.ha.cache;
    const before = cache.devices.get(id);
    return { done: () => settled(cache, () => cache.devices.get(id) !== before) };
  },
}, 'the device registry');

const cacheMap = (cache: HomeCache, kind: NamedRegistry): ReadonlyMap<string, unknown> => (kind === 'area' ? cache.areas : kind === 'floor' ? cache.floors : cache.labels);

function namedKind(kind: NamedRegistry, article: string): EditKind {
  const idKey = `${kind}_id`;
  const fields = NAMED_FIELDS[kind];
  // The stored form: every editable field, so that update (which sets them all) and undo are exact.
  const storedOf = (e: Obj): Obj => {
    const out: Obj = {};
    for (const f of fields) out[f] = e[f] ?? (f === 'aliases' || f === 'labels' ? [] : null);
    return out;
  };
  const notFound = (err: unknown): boolean => err instanceof AppError && /ID doesn't exist/.test(err.message);
  return adminWrites({
    kind,
    article,
    actions: ['list', 'get', 'create', 'update', 'delete'],
    async list(ctx) {
      return (await listNamed(ctx.ha, kind)).map((e) => ({ id: String(e[idKey]), name: e.name }));
    },
    async read(ctx, id) {
      const e = (await listNamed(ctx.ha, kind)).find((x) => x[idKey] === id);
      return e ? storedOf(e) : null;
    },
    async create(ctx, id, config) {
      const c = pick(config, fields);
      const name = String(c.name ?? '');
      if (slugify(name) === id) return String((await createNamed(ctx.ha, kind, c))[idKey]);
      const made = String((await createNamed(ctx.ha, kind, { ...c, name: id }))[idKey]);
      await updateNamed(ctx.ha, kind, made, { name });
      return made;
    },
    async update(ctx, id, config) {
      const c = storedOf(pick(config, fields));
      if (config.name === undefined) delete c.name;
      try {
        await updateNamed(ctx.ha, kind, id, c);
      } catch (err) {
        if (notFound(err)) throw new AppError('not_found', `There is no ${kind} ${id}.`, `ha_config with action "list" and kind "${kind}" lists them.`);
        throw err;
      }
    },
    async remove(ctx, id) {
      try {
        await deleteNamed(ctx.ha, kind, id);
      } catch (err) {
        if (notFound(err)) throw new AppError('not_found', `There is no ${kind} ${id}.`, `ha_config with action "list" and kind "${kind}" lists them.`);
        throw err;
      }
    },
    async validate(ctx, config) {
      const problems = fieldProblems(ctx.ha.cache, config, fields);
      if (typeof config.name !== 'string' || !config.name.trim()) problems.push({ path: 'name', message: `required: name, the ${kind}'s name` });
      return problems;
    },
    newId(config, cache) {
      const base = slugify(typeof config.name === 'string' ? config.name : '');
      const taken = cacheMap(cache, kind);
      let id = base;
      for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
      return id;
    },
    reload(ctx, id) {
      const cache = ctx.ha.cache;
      // The cache replaces its maps on a reload: look them up each time.
      const now = (): unknown => cacheMap(cache, kind).get(id);
      const before = now();
      return { done: (exists) => settled(cache, () => (exists ? now() !== undefined && now() !== before : now() === undefined)) };
    },
  }, `${kind}s`);
}

export const areaKind = namedKind('area', 'an area');
export const floorKind = namedKind('floor', 'a floor');
export const labelKind = namedKind('label', 'a label');

