// Admin-only reads for ha_trace and ha_system, with Home Assistant's own permission answer.
// REST requests go with the caller's credentials, so Home Assistant itself refuses a non-admin
// user (401 on an admin endpoint). WebSocket commands use the service's socket; for a caller with
// their own token, whether that user is an administrator is asked first over REST (an admin-only
// config read that answers 404 to admins and 401 to others), cached per token for a minute.
import { AppError } from '../errors.js';
import { credentialsOf } from '../auth/caller.js';
import { fromRestStatus } from '../ha/errors.js';
import type { RestResponse } from '../ha/types.js';
import { commandFor, throwIfCancelled } from './history.js';
import type { ToolContext } from './tool.js';

const VERDICT_MS = 60_000;
const MAX_VERDICTS = 1_000;
const verdicts = new Map<string, { admin: boolean; until: number }>();

export const notAdmin = (what: string): AppError =>
  new AppError('forbidden', `Home Assistant refused ${what}: it needs an administrator account.`, "Use an administrator's token (or the add-on's API key), or ask an administrator to look.");

/** A REST answer as the caller, or the call given up when the caller cancels. */
export async function restFor(ctx: Pick<ToolContext, 'ha' | 'signal' | 'caller'>, method: string, path: string, timeoutMs: number): Promise<RestResponse> {
  throwIfCancelled(ctx.signal);
  const call = ctx.ha.rest(method, path, { creds: credentialsOf(ctx.caller), timeoutMs });
  let onAbort: (() => void) | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => reject(new AppError('internal_error', 'The call was cancelled.', 'Nothing to do; call again if the answer is still needed.'));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  cancelled.catch(() => undefined);
  try {
    return await Promise.race([call, cancelled]);
  } finally {
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** A REST answer's body, or the error for its status; 401 as the caller means "not an admin" (the token itself was checked at sign-in). */
export function restBody(res: RestResponse, what: string, caller: ToolContext['caller']): unknown {
  if (res.status >= 200 && res.status < 300) return res.body;
  if (res.status === 401 && caller.kind === 'ha_user') throw notAdmin(what);
  throw fromRestStatus(res.status, res.body, what);
}

async function isAdmin(ctx: ToolContext): Promise<boolean> {
  if (ctx.caller.kind !== 'ha_user') return true;
  const key = ctx.caller.tokenHash;
  const cached = verdicts.get(key);
  if (cached && cached.until > Date.now()) return cached.admin;
  const res = await restFor(ctx, 'GET', '/api/config/automation/config/mcp_ha_admin_check', 10_000);
  if (res.status !== 401 && res.status !== 404 && res.status !== 200) throw fromRestStatus(res.status, res.body, 'the administrator check');
  const admin = res.status !== 401;
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, { admin, until: Date.now() + VERDICT_MS });
  return admin;
}

/** An admin-only WebSocket command, refused as Home Assistant would refuse the caller's own user. */
export async function adminCommand<T>(ctx: ToolContext, msg: Record<string, unknown>, what: string): Promise<T> {
  if (!(await isAdmin(ctx))) throw notAdmin(what);
  try {
    return await commandFor<T>(ctx, msg);
  } catch (err) {
    if (err instanceof AppError && err.code === 'forbidden') throw notAdmin(what);
    throw err;
  }
}
