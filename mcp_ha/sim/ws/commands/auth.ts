// auth/refresh_tokens: the current user's tokens, as in ws-auth-flow.json (keys in HA's order;
// OAuth refresh tokens expire 90 days after their last use, long-lived ones never).
import { createHash } from 'node:crypto';
import { isoFromMicros } from '../../util/time.js';
import type { CommandTable } from './types.js';

const iso = (ms: number | null): string | null => (ms === null ? null : isoFromMicros(ms * 1000));

export const authCommands: CommandTable = {
  'auth/refresh_tokens': {
    handler: (conn, id) => {
      const user = conn.user!;
      const { oauth, tokens } = conn.deps;
      const current = conn.token === undefined ? undefined : oauth.validateAccessToken(conn.token)?.id;
      const out: Record<string, unknown>[] = [];
      for (const [token, owner] of tokens.longLived()) {
        if (owner.id !== user.id) continue;
        out.push({
          auth_provider_type: null,
          client_icon: null,
          client_id: null,
          client_name: 'simulator',
          created_at: iso(oauth.startedAt),
          expire_at: null,
          id: createHash('sha256').update(token).digest('hex').slice(0, 32),
          is_current: conn.token === token,
          last_used_at: null,
          last_used_ip: null,
          type: 'long_lived_access_token',
        });
      }
      for (const rt of oauth.refreshTokensOf(user.id)) {
        out.push({
          auth_provider_type: 'homeassistant',
          client_icon: null,
          client_id: rt.clientId,
          client_name: null,
          created_at: iso(rt.createdAt),
          expire_at: iso(rt.expireAt),
          id: rt.id,
          is_current: rt.id === current,
          last_used_at: iso(rt.lastUsedAt),
          last_used_ip: rt.lastUsedIp,
          type: 'normal',
        });
      }
      conn.result(id, JSON.stringify(out));
    },
  },
};
