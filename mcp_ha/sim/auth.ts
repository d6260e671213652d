// Access tokens and the users behind them. HA answers 401 for unknown tokens on REST and
// auth_invalid on the WebSocket; a revoked token also ends the sockets opened with it.
// Long-lived tokens live here; other stores (the OAuth tokens of sim/oauth.ts) add a resolver.

export interface SimUser {
  id: string;
  name: string;
  is_admin: boolean;
}

export class TokenStore {
  private tokens = new Map<string, SimUser>();
  private revokeListeners = new Set<(token: string) => void>();
  private resolvers: ((token: string) => SimUser | undefined)[] = [];

  constructor(readonly defaultUser: SimUser) {}

  add(token: string, user: Partial<SimUser> & { id: string; name: string } = this.defaultUser): void {
    this.tokens.set(token, { is_admin: true, ...user });
  }

  revoke(token: string): void {
    this.tokens.delete(token);
    for (const fn of this.revokeListeners) fn(token);
  }

  user(token: string | undefined): SimUser | undefined {
    if (token === undefined) return undefined;
    const user = this.tokens.get(token);
    if (user) return user;
    for (const resolve of this.resolvers) {
      const found = resolve(token);
      if (found) return found;
    }
    return undefined;
  }

  /** Another source of valid tokens, asked after the long-lived ones. */
  addResolver(fn: (token: string) => SimUser | undefined): void {
    this.resolvers.push(fn);
  }

  /** The long-lived tokens and their users (auth/refresh_tokens lists them). */
  longLived(): [string, SimUser][] {
    return [...this.tokens];
  }

  onRevoke(fn: (token: string) => void): () => void {
    this.revokeListeners.add(fn);
    return () => this.revokeListeners.delete(fn);
  }

  first(): string | undefined {
    return this.tokens.keys().next().value;
  }
}
