// WebSocket edits (helpers, registries, dashboards) go over the service's own connection, which
// is an administrator's: a caller with its own Home Assistant token must be an administrator
// too, or a non-admin user could edit through us what Home Assistant refuses them. Checked with
// an admin-only REST read that changes nothing (the config API answers 401 to non-admins, 404
// for an unknown id to admins), remembered a minute per token.
import { AppError } from '../errors.js';
import type { EditContext, EditKind } from './kind.js';

const PROBE = '/api/config/automation/config/mcp_ha_admin_check';
const TTL_MS = 60_000;
const MAX_REMEMBERED = 256;
const verdicts = new Map<string, { admin: boolean; at: number }>();

export async function requireAdmin(ctx: EditContext, what: string): Promise<void> {
  const token = ctx.creds.token;
  if (!token) return;
  let v = verdicts.get(token);
  if (!v || Date.now() - v.at > TTL_MS) {
    const res = await ctx.ha.rest('GET', PROBE, { creds: ctx.creds });
    v = { admin: res.status !== 401 && res.status !== 403, at: Date.now() };
    if (verdicts.size >= MAX_REMEMBERED) verdicts.delete(verdicts.keys().next().value!);
    verdicts.set(token, v);
  }
  if (!v.admin) {
    throw new AppError('forbidden', `Home Assistant allows only administrators to change ${what}.`, "Use an administrator's Home Assistant token, or an API key of the add-on.");
  }
}

/** The kind with every write checked by requireAdmin first. */
export function adminWrites(kind: EditKind, what: string): EditKind {
  return {
    ...kind,
    async create(ctx, id, config) {
      await requireAdmin(ctx, what);
      return kind.create(ctx, id, config);
    },
    async update(ctx, id, config) {
      await requireAdmin(ctx, what);
      return kind.update(ctx, id, config);
    },
    async remove(ctx, id) {
      await requireAdmin(ctx, what);
      return kind.remove(ctx, id);
    },
  };
}
