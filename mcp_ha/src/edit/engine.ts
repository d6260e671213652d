// The edit engine: list, get, create, update and delete of any kind (kinds/), the same way for
// each: validation before anything is saved, the gate (read_only, toolset, policy, confirmation
// for deletes, audit), the version check against what the model read, a backup of the previous
// version, the write, then the stored form read back, a compact diff, and the entity as it shows.
import { AppError } from '../errors.js';
import type { Caller } from '../auth/caller.js';
import { credentialsOf } from '../auth/caller.js';
import type { HaClient } from '../ha/types.js';
import type { Elicit } from '../policy/confirm.js';
import type { ServiceGate, StoredObject } from '../policy/gate.js';
import type { BackupStore } from './backups.js';
import { diffObjects } from './diff.js';
import type { Applied, EditAction, EditContext, EditKind, Problem } from './kind.js';
import { EDIT_KINDS, editKind } from './kinds/index.js';
import { versionOf } from './version.js';

export const LIST_PAGE = 100;
/** A config in an error answer stops here (the answer stays bounded); `get` gives it whole. */
const MAX_CONFIG_IN_ERROR = 6000;

export interface EditDeps {
  ha: HaClient;
  gate: ServiceGate;
  backups: BackupStore;
  caller: Caller;
  sessionId: string | undefined;
  elicit?: Elicit | undefined;
  confirmedByUser?: boolean | undefined;
}

export interface EditRequest {
  kind: string;
  action: EditAction;
  id?: string | undefined;
  config?: Record<string, unknown> | undefined;
  version?: string | undefined;
  offset?: number | undefined;
  confirmToken?: string | undefined;
}

export interface EditAnswer {
  kind: string;
  action: EditAction;
  id?: string;
  entity_id?: string;
  state?: string;
  version?: string;
  config?: Record<string, unknown>;
  items?: { id: string; entity_id?: string | undefined; name?: string | undefined; state?: string | undefined }[];
  total?: number;
  has_more?: boolean;
  diff?: string[];
  audit_id?: string;
  backup?: string;
  note?: string;
}

/** What a write does besides the gate's bookkeeping (shared with undo). */
export interface WriteSpec {
  kind: EditKind;
  action: 'create' | 'update' | 'delete';
  id: string;
  config?: Record<string, unknown> | undefined;
  /** The version the caller read (update, delete); checked against the stored form just before the write. */
  version?: string | undefined;
  /** The audit record's data (bound into the confirmation hash). */
  data: Record<string, unknown>;
  tool: string;
  confirmToken?: string | undefined;
  undoOf?: string[] | undefined;
  /** Skip validation (undo restores what was saved before). */
  trusted?: boolean;
}

export interface WriteResult {
  before: StoredObject;
  after: StoredObject;
  applied: Applied;
  backup?: string | undefined;
  audit_id?: string | undefined;
}

const ctxOf = (deps: EditDeps): EditContext => ({ ha: deps.ha, creds: credentialsOf(deps.caller) });

function bounded(config: StoredObject): StoredObject | string {
  if (config === null) return null;
  const text = JSON.stringify(config);
  return text.length <= MAX_CONFIG_IN_ERROR ? config : `${text.slice(0, MAX_CONFIG_IN_ERROR)}... (cut; ha_config get gives it whole)`;
}

function invalid(message: string, suggestion: string): AppError {
  return new AppError('invalid_input', message, suggestion);
}

export function kindOrThrow(name: string): EditKind {
  const k = editKind(name);
  if (!k) throw invalid(`Unknown kind ${name}.`, `Kinds: ${EDIT_KINDS.map((x) => x.kind).join(', ')}.`);
  return k;
}

async function notFound(ctx: EditContext, kind: EditKind, id: string): Promise<AppError> {
  const ids = (await kind.list(ctx).catch(() => [])).map((i) => i.id);
  const near = ids.filter((x) => x.includes(id) || id.includes(x)).slice(0, 5);
  return new AppError('not_found', `There is no ${kind.kind} ${id}.`, `ha_config with action "list" and kind "${kind.kind}" lists them${near.length ? `; close: ${near.join(', ')}` : ''}.`, {
    details: { kind: kind.kind, id },
  });
}

function invalidConfig(kind: EditKind, problems: Problem[]): AppError {
  const first = problems.slice(0, 3).map((p) => `${p.path}: ${p.message}${p.closest?.length ? ` (did you mean ${p.closest.join(', ')}?)` : ''}`);
  return new AppError(
    'validation_error',
    `The ${kind.kind} is invalid, nothing was saved: ${first.join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}.`,
    'Fix every problem listed in details.problems (path, message, closest existing names), then call again.',
    { details: { problems } },
  );
}

/** One write through the gate: the caller's checks, then backup, write, read-back and settle. */
export async function writeObject(deps: EditDeps, spec: WriteSpec): Promise<WriteResult> {
  const ctx = ctxOf(deps);
  const { kind, action, id } = spec;
  let backup: string | undefined;
  let applied: Applied = {};
  const entityId = kind.entityOf?.(deps.ha.cache, id);
  const out = await deps.gate.executeCommand({
    service: `config.${kind.kind}_${action}`,
    kind: kind.kind,
    id,
    entityId,
    data: spec.data,
    tool: spec.tool,
    caller: deps.caller,
    sessionId: deps.sessionId,
    confirmToken: spec.confirmToken,
    elicit: deps.elicit,
    confirmedByUser: deps.confirmedByUser,
    undoOf: spec.undoOf,
    confirmReason: action === 'delete' ? `deleting ${kind.article} cannot be taken back without ha_undo` : undefined,
    question: action === 'delete' ? `Allow the AI to delete ${kind.kind} ${id}${entityId ? ` (${entityId})` : ''}?` : undefined,
    check: async () => {
      if (spec.trusted || action === 'delete' || !kind.validate) return;
      const problems = await kind.validate(ctx, spec.config ?? {}, id);
      if (problems.length) throw invalidConfig(kind, problems);
    },
    read: async () => {
      const current = await kind.read(ctx, id);
      if (action === 'create') {
        if (current !== null) {
          throw new AppError('conflict', `${kind.kind} ${id} already exists.`, 'Use action "update" with the version from "get", or another id.', {
            details: { version: versionOf(current) },
          });
        }
        return current;
      }
      if (current === null) throw await notFound(ctx, kind, id);
      if (spec.version !== undefined && spec.version !== versionOf(current)) {
        throw new AppError(
          'conflict',
          `${kind.kind} ${id} changed in Home Assistant since you read it (version ${spec.version}, now ${versionOf(current)}): someone edited it, nothing was saved.`,
          'Show the user what changed (details.config is the current version), then apply your edit to it and call again with version from details.',
          { details: { version: versionOf(current), config: bounded(current), ...(spec.config ? { your_changes: diffObjects(current, spec.config).lines } : {}) } },
        );
      }
      return current;
    },
    write: async (before, auditId) => {
      if (before !== null) backup = deps.backups.save({ kind: kind.kind, id, audit_id: auditId, service: `config.${kind.kind}_${action}`, config: before });
      const watch = kind.reload?.(ctx, id);
      let got = id;
      if (action === 'create') got = await kind.create(ctx, id, spec.config ?? {});
      else if (action === 'update') await kind.update(ctx, id, spec.config ?? {});
      else await kind.remove(ctx, id);
      const after = action === 'delete' ? null : ((await kind.read(ctx, got)) ?? spec.config ?? null);
      applied = (await watch?.done(action !== 'delete')) ?? {};
      return { after, result: got };
    },
  });
  return { before: out.before, after: out.after, applied, backup, audit_id: out.audit_id };
}

export async function runEdit(deps: EditDeps, req: EditRequest): Promise<EditAnswer> {
  const kind = kindOrThrow(req.kind);
  const { action } = req;
  if (!kind.actions.includes(action)) throw invalid(`${kind.kind} has no action ${action}.`, `Its actions: ${kind.actions.join(', ')}.`);
  const ctx = ctxOf(deps);
  const base = { kind: kind.kind, action };
  if (action === 'list') {
    const all = await kind.list(ctx);
    const offset = req.offset ?? 0;
    const items = all.slice(offset, offset + LIST_PAGE);
    const more = offset + items.length < all.length;
    return { ...base, items, total: all.length, has_more: more, ...(more ? { note: `Call again with offset ${offset + items.length} for more.` } : {}) };
  }
  const needId = (): string => {
    if (req.id === undefined) throw invalid(`${action} needs the id of the ${kind.kind}.`, `ha_config with action "list" and kind "${kind.kind}" gives the ids.`);
    return req.id;
  };
  const needConfig = (): Record<string, unknown> => {
    if (!req.config) throw invalid(`${action} needs config: the whole ${kind.kind} as Home Assistant stores it.`, 'For update, "get" it first, change it and send it whole with its version.');
    return req.config;
  };
  const needVersion = async (id: string): Promise<string> => {
    if (req.version !== undefined) return req.version;
    const current = await kind.read(ctx, id);
    if (current === null) throw await notFound(ctx, kind, id);
    throw new AppError('invalid_input', `${action} needs the version you read, so that an edit made meanwhile in Home Assistant is not overwritten.`, `Check details.config is what you meant to change, then call again with version "${versionOf(current)}".`, {
      details: { version: versionOf(current), config: bounded(current) },
    });
  };
  if (action === 'get') {
    const id = needId();
    const config = await kind.read(ctx, id);
    if (config === null) throw await notFound(ctx, kind, id);
    const entity = kind.entityOf?.(deps.ha.cache, id);
    return { ...base, id, ...(entity ? { entity_id: entity } : {}), version: versionOf(config), config };
  }
  let id: string;
  let config: Record<string, unknown> | undefined;
  let version: string | undefined;
  if (action === 'create') {
    config = needConfig();
    id = req.id ?? kind.newId(config, deps.ha.cache);
  } else {
    id = needId();
    if (action === 'update') config = needConfig();
    version = await needVersion(id);
  }
  const data: Record<string, unknown> = { kind: kind.kind, action, id };
  if (version !== undefined) data.version = version;
  if (config !== undefined) data.config = config;
  const res = await writeObject(deps, { kind, action, id, config, version, data, tool: 'ha_config', confirmToken: req.confirmToken });
  const answer: EditAnswer = { ...base, id, version: versionOf(res.after), diff: diffLines(res.before, res.after) };
  if (res.applied.entity_id) answer.entity_id = res.applied.entity_id;
  if (res.applied.state) answer.state = res.applied.state;
  if (res.applied.note) answer.note = res.applied.note;
  if (res.audit_id) answer.audit_id = res.audit_id;
  if (res.backup) answer.backup = res.backup;
  return answer;
}

export function diffLines(before: StoredObject, after: StoredObject): string[] {
  const d = diffObjects(before, after);
  return d.more ? [...d.lines, `... ${d.more} more changes`] : d.lines;
}
