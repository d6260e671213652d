// Home Assistant's config REST API for YAML-backed items (README rules 30-32): GET, POST (create
// or replace, 200 {"result":"ok"}, the reload runs after the answer) and DELETE of
// /api/config/{automation,script,scene}/config/<id>, and its errors as AppErrors a model can act on.
import { AppError } from '../errors.js';
import { fromRestStatus, restMessage } from '../ha/errors.js';
import type { StoredObject } from '../policy/gate.js';
import type { EditContext } from './kind.js';

const path = (kind: string, id: string): string => `/api/config/${kind}/config/${encodeURIComponent(id)}`;

function failure(kind: string, id: string, status: number, body: unknown, what: string): AppError {
  const text = restMessage(body) ?? '';
  // A valid token that is not an administrator's gets 401 here (the config API is admin-only).
  if (status === 401) {
    return new AppError('forbidden', `Home Assistant refused to ${what} ${kind} ${id}: editing the configuration needs an administrator.`, "Use an administrator's Home Assistant token, or an API key of the add-on.");
  }
  if (text === 'Resource not found') return new AppError('not_found', `There is no ${kind} ${id}.`, `ha_config with action "list" and kind "${kind}" lists them.`, { details: { kind, id } });
  if (status === 400 && text.startsWith('Message malformed: ')) {
    const message = text.slice('Message malformed: '.length);
    return new AppError('validation_error', `Home Assistant refused the ${kind}: ${message}.`, 'Fix the config where the path (@ data[...]) points, then call again.', {
      details: { problems: [{ path: 'config', message }] },
    });
  }
  if (status === 400 && text.startsWith('Key malformed: ')) {
    return new AppError('invalid_input', `Home Assistant refused the id: ${text.slice('Key malformed: '.length)}.`, 'Use lower-case letters, digits and underscores for the id.');
  }
  return fromRestStatus(status, body, `${what} ${kind} ${id}`);
}

export async function readConfig(ctx: EditContext, kind: string, id: string): Promise<StoredObject> {
  const res = await ctx.ha.rest('GET', path(kind, id), { creds: ctx.creds });
  if (res.status === 404) return null;
  if (res.status !== 200) throw failure(kind, id, res.status, res.body, 'read');
  if (!res.body || typeof res.body !== 'object' || Array.isArray(res.body)) throw new AppError('ha_error', `Home Assistant sent no config for ${kind} ${id}.`, 'Retry; check the Home Assistant log.');
  return res.body as Record<string, unknown>;
}

export async function saveConfig(ctx: EditContext, kind: string, id: string, config: Record<string, unknown>): Promise<void> {
  const res = await ctx.ha.rest('POST', path(kind, id), { body: config, creds: ctx.creds });
  if (res.status !== 200) throw failure(kind, id, res.status, res.body, 'save');
}

export async function deleteConfig(ctx: EditContext, kind: string, id: string): Promise<void> {
  const res = await ctx.ha.rest('DELETE', path(kind, id), { creds: ctx.creds });
  if (res.status !== 200) throw failure(kind, id, res.status, res.body, 'delete');
}

/** Home Assistant's validate_config for triggers, conditions and actions: one problem per invalid part. */
export async function validateParts(ctx: EditContext, parts: Record<string, unknown>, pathOf: (key: string) => string = (k) => k): Promise<{ path: string; message: string }[]> {
  const msg: Record<string, unknown> = { type: 'validate_config' };
  for (const [k, v] of Object.entries(parts)) if (v !== undefined) msg[k] = v;
  if (Object.keys(msg).length === 1) return [];
  const result = await ctx.ha.command<Record<string, { valid: boolean; error: string | null } | undefined>>(msg);
  const out: { path: string; message: string }[] = [];
  for (const [k, r] of Object.entries(result ?? {})) if (r && !r.valid) out.push({ path: pathOf(k), message: r.error ?? 'invalid' });
  return out;
}
