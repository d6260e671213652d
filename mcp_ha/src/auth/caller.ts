// Who is calling: an API key from the add-on options, a Home Assistant user with their own token,
// or a Home Assistant user signed in through our OAuth server with some client.
import type { Credentials } from '../ha/types.js';

export type Caller =
  | { kind: 'api_key'; name: string }
  | { kind: 'ha_user'; token: string; tokenHash: string }
  | OAuthCaller;

/** Acts as the Home Assistant user behind an OAuth grant; haToken() is that user's current Home Assistant access token. */
export interface OAuthCaller {
  kind: 'oauth';
  userId: string;
  userName: string;
  clientId: string;
  clientName: string;
  grantId: string;
  haToken(): string;
}

/** The credentials a caller's Home Assistant requests are made with. */
export function credentialsOf(caller: Caller): Credentials {
  if (caller.kind === 'ha_user') return { token: caller.token };
  if (caller.kind === 'oauth') return { token: caller.haToken() };
  return {};
}

// Names a client or user chose: printable and short in labels.
const clip = (s: string): string => s.replace(/[^\p{L}\p{N} ._-]/gu, '').slice(0, 40) || '?';

/** A label for logs and the audit log; never contains a secret. */
export function callerLabel(caller: Caller): string {
  if (caller.kind === 'api_key') return `api_key:${caller.name}`;
  if (caller.kind === 'oauth') return `oauth:${clip(caller.userName)}@${clip(caller.clientName)}#${caller.grantId.slice(0, 8)}`;
  return `ha_user:${caller.tokenHash.slice(0, 12)}`;
}
