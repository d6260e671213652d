// Section 6 of the page: who may connect (API key names, OAuth consents and grants by Home
// Assistant user and client) and the effective policy in words.
import type { Config } from '../config/schema.js';
import type { OAuthService } from '../auth/oauth/service.js';
import { SENSITIVE_SERVICES } from '../policy/defaults.js';

/** What the page needs of the OAuth service: its grants API and whether its store is open. */
export type OAuthGrants = Pick<OAuthService, 'grants' | 'available'>;

/** Users x clients shown at most; a household has a handful. */
export const MAX_ACCESS_ROWS = 100;

const HOW_REGISTERED = { dynamic: 'dynamic client registration', metadata_document: 'client metadata document', options: 'listed in the add-on options' } as const;
const HOW_TO_ENABLE = 'OAuth sign-in is off. Set the add-on option base_url to the address the Internet reaches this server at (e.g. https://ha.example.com/mcp) and restart the add-on: clients such as Claude.ai and ChatGPT then sign in with a Home Assistant account, and their grants are listed here.';

const list = (xs: readonly string[]): string => (xs.length ? xs.join(', ') : 'none');

function hostOf(uri: string): string | null {
  try {
    return new URL(uri).host || null;
  } catch {
    return null;
  }
}

type Kind = keyof typeof HOW_REGISTERED;

/** How a client registered, when no grant says so (a consent outlives its grants): from its id's form. */
function kindOf(config: Config, clientId: string): Kind | undefined {
  if (config.oauth?.clients.some((c) => c.clientId === clientId)) return 'options';
  if (/^https?:\/\//.test(clientId)) return 'metadata_document';
  return clientId.startsWith('dcr_') ? 'dynamic' : undefined;
}

/** Where a client listed in the options redirects; registrations are not shown to the page. */
function redirectHost(config: Config, clientId: string, kind: Kind | undefined): string | null {
  if (kind !== 'options') return null;
  const uris = config.oauth?.clients.find((c) => c.clientId === clientId)?.redirectUris ?? [];
  return [...new Set(uris.map(hostOf).filter((h) => h !== null))].join(', ') || null;
}

export interface AccessGrant {
  id: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
}

export interface AccessClient {
  user_id: string;
  user_name: string;
  client_id: string;
  client_name: string;
  how_registered: string | null;
  redirect_host: string | null;
  /** A metadata document client's host (its client id is the document's URL). */
  document_host: string | null;
  scope: string;
  /** When the user allowed this client (remembered consent); null once forgotten while a grant lives. */
  consented_at: string | null;
  grants: AccessGrant[];
  last_used_at: string | null;
}

function oauthOf(config: Config, oauth: OAuthGrants | undefined) {
  if (!config.oauth || !oauth) return { enabled: false, available: false, how_to_enable: HOW_TO_ENABLE, clients: [] as AccessClient[], has_more: false };
  const rows = new Map<string, AccessClient>();
  const key = (userId: string, clientId: string) => JSON.stringify([userId, clientId]);
  const row = (r: { user_id: string; user_name: string; client_id: string; client_name: string; scope: string }) => {
    const k = key(r.user_id, r.client_id);
    let x = rows.get(k);
    if (!x) {
      x = { user_id: r.user_id, user_name: r.user_name, client_id: r.client_id, client_name: r.client_name, how_registered: null, redirect_host: null, document_host: null, scope: r.scope, consented_at: null, grants: [], last_used_at: null };
      rows.set(k, x);
    }
    return x;
  };
  for (const c of oauth.grants.consents()) row(c).consented_at = c.granted_at;
  const kinds = new Map<string, Kind>();
  for (const g of oauth.grants.list()) {
    const x = row(g);
    kinds.set(g.client_id, g.client_kind);
    x.grants.push({ id: g.id, created_at: g.created_at, last_used_at: g.last_used_at, expires_at: g.expires_at });
    if (!x.last_used_at || g.last_used_at > x.last_used_at) x.last_used_at = g.last_used_at;
  }
  for (const x of rows.values()) {
    const kind = kinds.get(x.client_id) ?? kindOf(config, x.client_id);
    x.how_registered = kind ? HOW_REGISTERED[kind] : null;
    x.redirect_host = redirectHost(config, x.client_id, kind);
    x.document_host = kind === 'metadata_document' ? hostOf(x.client_id) : null;
    x.grants.sort((a, b) => b.created_at.localeCompare(a.created_at));
  }
  // Most recently used first; by user name, then client name, for the rest.
  const all = [...rows.values()].sort((a, b) => (b.last_used_at ?? '').localeCompare(a.last_used_at ?? '') || a.user_name.localeCompare(b.user_name) || a.client_name.localeCompare(b.client_name));
  return {
    enabled: true,
    available: oauth.available,
    how_to_enable: oauth.available ? null : 'The OAuth store did not open (see the add-on log: a changed oauth encryption key?). Nothing can be listed or revoked until it does.',
    clients: all.slice(0, MAX_ACCESS_ROWS),
    has_more: all.length > MAX_ACCESS_ROWS,
  };
}

export function accessOf(config: Config, oauth?: OAuthGrants) {
  const p = config.policy;
  const words: string[] = [];
  if (p.readOnly) words.push('Read-only: every service call is refused (read_only).');
  else {
    words.push(`Allowed services: ${list(p.allowedServices)} (allowed_services).`);
    words.push(p.blockedServices.length ? `Blocked, whatever else says: ${list(p.blockedServices)} (blocked_services).` : 'No service is blocked beyond the built-in rules (blocked_services).');
    words.push(`Asking the user first: ${list(p.confirmServices)} (confirm_services), and always ${SENSITIVE_SERVICES.join(', ')} and opening a door, gate or garage.`);
    words.push(`A confirmation waits ${Math.round(p.confirmationTimeoutMs / 1000)} s (confirmation_timeout_seconds).`);
    words.push(
      config.ui.pageApprovals
        ? 'Clients that cannot ask their user wait for an administrator on this page (page_approvals).'
        : 'Clients that cannot ask their user get a confirm_token to repeat the call with (page_approvals is off).',
    );
  }
  words.push(`Toolsets offered: ${list(config.toolsets)}.`);
  return {
    api_keys: config.apiKeys.map((k) => k.name),
    oauth: oauthOf(config, oauth),
    policy: { read_only: p.readOnly, allowed: p.allowedServices, blocked: p.blockedServices, confirm: p.confirmServices, toolsets: config.toolsets, page_approvals: config.ui.pageApprovals, words },
  };
}
