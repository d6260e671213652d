// What an editable kind of object is (automation, script, scene, and the helpers, registries
// and dashboards added next to them): an adapter over Home Assistant's own commands. The edit
// engine (engine.ts) does the rest the same way for every kind: validation, the gate, backups,
// the version check, the diff, waiting for the result, undo.
import type { Credentials, HaClient, HomeCache } from '../ha/types.js';
import type { StoredObject } from '../policy/gate.js';

export const EDIT_ACTIONS = ['list', 'get', 'create', 'update', 'delete'] as const;
export type EditAction = (typeof EDIT_ACTIONS)[number];

/** What an adapter works with: the client, and whose rights the writes use. */
export interface EditContext {
  ha: HaClient;
  /** The caller's Home Assistant token, or the service's (undefined). */
  creds: Credentials;
}

/** One line of a list answer. */
export interface ListedObject {
  id: string;
  entity_id?: string | undefined;
  name?: string | undefined;
  state?: string | undefined;
}

/** A problem a model can fix: where in the config, what is wrong, and the closest existing names. */
export interface Problem {
  path: string;
  message: string;
  closest?: string[];
}

/** How the write showed in Home Assistant once it took effect (the entity it has now). */
export interface Applied {
  entity_id?: string | undefined;
  state?: string | undefined;
  note?: string | undefined;
}

export interface EditKind {
  /** Its name in ha_config's `kind`, e.g. "automation". */
  readonly kind: string;
  /** For messages: "an automation". */
  readonly article: string;
  /** The actions it supports (a registry entry cannot be created, for one). */
  readonly actions: readonly EditAction[];
  list(ctx: EditContext): Promise<ListedObject[]>;
  /** The stored form, or null when there is none. */
  read(ctx: EditContext, id: string): Promise<StoredObject>;
  /**
   * Creates the object, with this id where the kind takes one from the caller (undo recreates
   * a deleted object with its old id); returns the id it got.
   */
  create(ctx: EditContext, id: string, config: Record<string, unknown>): Promise<string>;
  /** Replaces the whole object. */
  update(ctx: EditContext, id: string, config: Record<string, unknown>): Promise<void>;
  remove(ctx: EditContext, id: string): Promise<void>;
  /** Problems that keep the config from being saved ([] when none): Home Assistant's own check plus ours. */
  validate?(ctx: EditContext, config: Record<string, unknown>, id: string): Promise<Problem[]>;
  /** A fresh id for create without one. */
  newId(config: Record<string, unknown>, cache: HomeCache): string;
  /** The entity the object has now, if any. */
  entityOf?(cache: HomeCache, id: string): string | undefined;
  /**
   * Called just before a write: watches Home Assistant apply it (its reload runs after the answer).
   * `done` waits briefly until it shows and says how; `exists` is whether the object exists after the write.
   */
  reload?(ctx: EditContext, id: string): { done(exists: boolean): Promise<Applied> };
}
