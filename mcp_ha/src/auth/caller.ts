// Who is calling: an API key from the add-on options, or a Home Assistant user with their own token.
import type { Credentials } from '../ha/types.js';

export type Caller =
  | { kind: 'api_key'; name: string }
  | { kind: 'ha_user'; token: string; tokenHash: string };

/** The credentials a caller's Home Assistant requests are made with. */
export function credentialsOf(caller: Caller): Credentials {
  return caller.kind === 'ha_user' ? { token: caller.token } : {};
}

/** A label for logs and the audit log; never contains a secret. */
export function callerLabel(caller: Caller): string {
  return caller.kind === 'api_key' ? `api_key:${caller.name}` : `ha_user:${caller.tokenHash.slice(0, 12)}`;
}
