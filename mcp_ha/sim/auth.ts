// Access tokens and the users behind them. HA answers 401 for unknown tokens on REST and
// auth_invalid on the WebSocket; a revoked token also ends the sockets opened with it.

export interface SimUser {
  id: string;
  name: string;
  is_admin: boolean;
}

export class TokenStore {
  private tokens = new Map<string, SimUser>();
  private revokeListeners = new Set<(token: string) => void>();

  constructor(readonly defaultUser: SimUser) {}

  add(token: string, user: Partial<SimUser> & { id: string; name: string } = this.defaultUser): void {
    this.tokens.set(token, { is_admin: true, ...user });
  }

  revoke(token: string): void {
    this.tokens.delete(token);
    for (const fn of this.revokeListeners) fn(token);
  }

  user(token: string | undefined): SimUser | undefined {
    return token === undefined ? undefined : this.tokens.get(token);
  }

  onRevoke(fn: (token: string) => void): () => void {
    this.revokeListeners.add(fn);
    return () => this.revokeListeners.delete(fn);
  }

  first(): string | undefined {
    return this.tokens.keys().next().value;
  }
}
