// Sharing a household name with Assist: the name becomes an alias of the entity in Home
// Assistant's entity registry (config/entity_registry/update aliases), so that voice commands
// understand it too. Only a name the household is sure of; always confirmed by a human; written
// through the gate's executeCommand (policy by the pseudo-service config.entity_alias_add, audit
// with the aliases before and after) and undone by ha_undo through aliasRestorer.
import { z } from 'zod';
import type { ChangeUndo, RestoreChange, UndoRequest } from '../../audit/undo.js';
import type { Caller } from '../../auth/caller.js';
import { AppError } from '../../errors.js';
import type { HaClient } from '../../ha/types.js';
import type { Elicit } from '../../policy/confirm.js';
import type { ServiceGate, StoredObject } from '../../policy/gate.js';

/** The kind of object an alias share changes, in the audit log's change record. */
export const ALIAS_KIND = 'entity_alias';
export const ALIAS_ADD = 'config.entity_alias_add';
const ALIAS_RESTORE = 'config.entity_alias_restore';
/** Two uses agreeing, or the user's word. */
export const SHARE_CONFIDENCE = 0.7;

const Aliases = z.array(z.string().nullable()).max(1000);
const EntryAliases = z.looseObject({ entity_id: z.string(), aliases: Aliases.default([]) });

export interface AliasDeps {
  ha: Pick<HaClient, 'command' | 'cache'>;
  gate: Pick<ServiceGate, 'executeCommand'>;
}

export interface ShareRequest {
  entityId: string;
  alias: string;
  caller: Caller;
  sessionId: string | undefined;
  confirmToken?: string | undefined;
  elicit?: Elicit | undefined;
  confirmedByUser?: boolean | undefined;
}

/** The entity's aliases in the registry now, as the stored form the audit log keeps. */
async function readAliases(ha: AliasDeps['ha'], entityId: string): Promise<{ aliases: (string | null)[] }> {
  const raw = await ha.command({ type: 'config/entity_registry/get', entity_id: entityId });
  const parsed = EntryAliases.safeParse(raw);
  if (!parsed.success) throw new AppError('ha_error', 'Home Assistant answered config/entity_registry/get in an unexpected form.', 'Check that Home Assistant is 2024.1 or newer; report this if it is.');
  return { aliases: parsed.data.aliases };
}

async function writeAliases(ha: AliasDeps['ha'], entityId: string, aliases: (string | null)[]): Promise<{ aliases: (string | null)[] }> {
  const raw = await ha.command({ type: 'config/entity_registry/update', entity_id: entityId, aliases });
  const parsed = z.looseObject({ entity_entry: EntryAliases }).safeParse(raw);
  return { aliases: parsed.success ? parsed.data.entity_entry.aliases : aliases };
}

const aliasesOf = (o: StoredObject): (string | null)[] => (o && Array.isArray(o.aliases) ? (o.aliases as (string | null)[]) : []);
const same = (a: (string | null)[], b: (string | null)[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const has = (aliases: (string | null)[], alias: string): boolean => aliases.some((a) => a !== null && a.trim().toLowerCase() === alias.toLowerCase());

/** Adds the alias (once; an alias already there is left as it is). */
export async function shareAlias(deps: AliasDeps, req: ShareRequest): Promise<{ added: boolean; aliases: (string | null)[]; audit_id?: string | undefined }> {
  const out = await deps.gate.executeCommand({
    service: ALIAS_ADD,
    toolset: 'write',
    kind: ALIAS_KIND,
    id: req.entityId,
    entityId: req.entityId,
    data: { entity_id: req.entityId, alias: req.alias },
    confirmReason: 'it changes what Assist answers to',
    question: `Add "${req.alias}" as an alias of ${req.entityId} in Home Assistant, so that Assist understands it too?`,
    caller: req.caller,
    sessionId: req.sessionId,
    tool: 'ha_names',
    confirmToken: req.confirmToken,
    elicit: req.elicit,
    confirmedByUser: req.confirmedByUser,
    // Before anyone is asked: only registry entries have aliases.
    check: async () => {
      if (!deps.ha.cache.entities.get(req.entityId)) {
        throw new AppError(
          'validation_error',
          `${req.entityId} has no entity registry entry (its integration gives it no unique id), so Home Assistant cannot give it aliases.`,
          'Keep the name here (ha_names remember); Assist cannot learn it for this entity.',
        );
      }
    },
    read: () => readAliases(deps.ha, req.entityId),
    write: async (before) => {
      const current = aliasesOf(before);
      if (has(current, req.alias)) return { after: before, result: false };
      return { after: await writeAliases(deps.ha, req.entityId, [...current, req.alias]), result: true };
    },
  });
  return { added: out.result, aliases: aliasesOf(out.after), audit_id: out.audit_id };
}

/**
 * ha_undo for alias shares: the aliases as they were before, unless someone changed them since.
 * Other kinds of object change go to `next` (the config edits' restorer), if any.
 */
export function aliasRestorer(deps: AliasDeps, next?: RestoreChange): RestoreChange {
  return async (rec, req: UndoRequest): Promise<ChangeUndo> => {
    const { change } = rec;
    if (change.kind !== ALIAS_KIND) {
      if (next) return next(rec, req);
      return { kind: change.kind, id: change.id, status: 'not_restored', audit_ids: [], problems: ['object changes cannot be undone here'] };
    }
    const out: ChangeUndo = { kind: change.kind, id: change.id, status: 'not_restored', audit_ids: [] };
    const before = aliasesOf(change.before);
    let current: (string | null)[];
    try {
      current = (await readAliases(deps.ha, change.id)).aliases;
    } catch (err) {
      return { ...out, problems: [err instanceof AppError ? err.message : `${change.id} cannot be read`] };
    }
    if (same(current, before)) return { ...out, status: 'unchanged', note: 'its aliases are already as before' };
    if (change.after !== undefined && change.after !== null && !same(current, aliasesOf(change.after))) {
      return { ...out, problems: [`the aliases of ${change.id} were changed after this action; undoing would overwrite that`] };
    }
    try {
      const res = await deps.gate.executeCommand({
        service: ALIAS_RESTORE,
        toolset: 'write',
        kind: ALIAS_KIND,
        id: change.id,
        entityId: change.id,
        data: { entity_id: change.id, aliases: before },
        caller: req.caller,
        sessionId: req.sessionId,
        tool: 'ha_undo',
        undoOf: [rec.id],
        elicit: req.elicit,
        read: () => readAliases(deps.ha, change.id),
        write: async () => ({ after: await writeAliases(deps.ha, change.id, before), result: undefined }),
      });
      return { ...out, status: 'restored', action: 'update', audit_ids: res.audit_id ? [res.audit_id] : [] };
    } catch (err) {
      if (err instanceof AppError && (err.code === 'read_only' || err.code === 'confirmation_required')) throw err;
      const audit = err instanceof AppError && typeof err.details?.audit_id === 'string' ? [err.details.audit_id] : [];
      return { ...out, audit_ids: audit, problems: [err instanceof AppError ? `${err.message} ${err.suggestion}` : 'failed'] };
    }
  };
}
