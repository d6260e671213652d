// Who is looking at the add-on's page, and may they act. Inside Home Assistant the Supervisor's
// ingress proxy names the logged-in user (X-Remote-User-Id/-Name/-Display-Name); whether that user
// is an admin is asked of Home Assistant (config/auth/list over the service's own connection, which
// the Supervisor's admin user makes), cached for 30 s. Outside Home Assistant the page's API takes
// the same bearer tokens as /mcp: an API key may act (an admin put it in the options); a Home
// Assistant token may look only, since nothing but its own WebSocket login would tell its user.
import { z } from 'zod';
import type { Caller } from '../auth/caller.js';
import type { HaClient } from '../ha/types.js';

export interface Viewer {
  via: 'ingress' | 'bearer';
  /** Shown on the page; never a secret. */
  name: string;
  admin: boolean;
  /** Why not, when not an admin. */
  reason?: string;
  /** Whom the page's own tool runs and actions are recorded as. */
  caller: Caller;
}

const ADMIN_TTL_MS = 30_000;
const HaUsers = z.array(z.looseObject({ id: z.string(), is_active: z.boolean().optional(), group_ids: z.array(z.string()).optional() }));

export interface AdminCheck {
  isAdmin(userId: string): Promise<boolean>;
}

export function createAdminCheck(ha: Pick<HaClient, 'command'>, ttlMs = ADMIN_TTL_MS): AdminCheck {
  let cached: { until: number; admins: Set<string> } | undefined;
  let loading: Promise<Set<string>> | undefined;
  const load = async (): Promise<Set<string>> => {
    const users = HaUsers.parse(await ha.command({ type: 'config/auth/list' }));
    const admins = new Set(users.filter((u) => u.is_active !== false && u.group_ids?.includes('system-admin')).map((u) => u.id));
    cached = { until: Date.now() + ttlMs, admins };
    return admins;
  };
  return {
    async isAdmin(userId) {
      if (cached && cached.until > Date.now()) return cached.admins.has(userId);
      loading ??= load().finally(() => (loading = undefined));
      // Fails closed: no answer from Home Assistant, no actions.
      return (await loading.catch(() => new Set<string>())).has(userId);
    },
  };
}

const header = (v: string | string[] | undefined): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s.slice(0, 128);
};

/** The viewer the ingress proxy's headers name; undefined without a user id. */
export async function ingressViewer(headers: Record<string, string | string[] | undefined>, admins: AdminCheck): Promise<Viewer | undefined> {
  const id = header(headers['x-remote-user-id']);
  if (id === undefined) return undefined;
  const name = header(headers['x-remote-user-display-name']) ?? header(headers['x-remote-user-name']) ?? id;
  const admin = await admins.isAdmin(id);
  // Recorded in the audit log as api_key:page:<login>, the way an API key's name is.
  const login = (header(headers['x-remote-user-name']) ?? id).slice(0, 58);
  return {
    via: 'ingress',
    name,
    admin,
    ...(admin ? {} : { reason: 'Only Home Assistant administrators can act here.' }),
    caller: { kind: 'api_key', name: `page:${login}` },
  };
}

export function bearerViewer(caller: Caller): Viewer {
  if (caller.kind === 'api_key') return { via: 'bearer', name: `API key ${caller.name}`, admin: true, caller };
  return {
    via: 'bearer',
    name: 'Home Assistant token',
    admin: false,
    reason: 'A Home Assistant token can look here; act through MCP, with an API key, or from the page in Home Assistant\'s sidebar.',
    caller,
  };
}
