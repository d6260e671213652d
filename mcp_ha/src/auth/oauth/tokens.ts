// Our access tokens: HS256 JWTs (jose) naming issuer, audience (the resource they were asked
// for), the Home Assistant user, the client and the grant; valid ACCESS_TOKEN_SECONDS. A token is
// only accepted when its grant still exists, so revocation takes effect at once.
import { SignJWT, decodeJwt, errors, jwtVerify } from 'jose';
import { deriveKey, randomToken } from './crypto.js';

export const ACCESS_TOKEN_SECONDS = 900;

export interface AccessClaims {
  sub: string;
  client_id: string;
  grant: string;
  scope: string;
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: 'expired' | 'audience' | 'invalid' };

export interface AccessTokens {
  sign(claims: AccessClaims, audience: string): Promise<{ token: string; expiresIn: number }>;
  verify(token: string): Promise<VerifyResult>;
  /** Is this a JWT this server issued (by its iss claim, unverified)? Home Assistant's own tokens are JWTs too. */
  isOurs(token: string): boolean;
}

export function createAccessTokens(opts: { key: Buffer; issuer: string; audiences: string[]; ttlSeconds?: number; now?: () => number }): AccessTokens {
  const secret = deriveKey(opts.key, 'access token');
  const ttl = opts.ttlSeconds ?? ACCESS_TOKEN_SECONDS;
  const now = opts.now ?? Date.now;
  return {
    async sign(claims, audience) {
      const iat = Math.floor(now() / 1000);
      const token = await new SignJWT({ client_id: claims.client_id, grant: claims.grant, scope: claims.scope })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setIssuer(opts.issuer)
        .setAudience(audience)
        .setSubject(claims.sub)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl)
        .setJti(randomToken(16))
        .sign(secret);
      return { token, expiresIn: ttl };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, { issuer: opts.issuer, audience: opts.audiences, algorithms: ['HS256'], typ: 'at+jwt', currentDate: new Date(now()) });
        const { sub, client_id, grant, scope } = payload as Record<string, unknown>;
        if (typeof sub !== 'string' || typeof client_id !== 'string' || typeof grant !== 'string' || typeof scope !== 'string') return { ok: false, reason: 'invalid' };
        return { ok: true, claims: { sub, client_id, grant, scope } };
      } catch (err) {
        if (err instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
        if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') return { ok: false, reason: 'audience' };
        return { ok: false, reason: 'invalid' };
      }
    },
    isOurs(token) {
      if (token.length > 8192 || token.split('.').length !== 3) return false;
      try {
        return decodeJwt(token).iss === opts.issuer;
      } catch {
        return false;
      }
    },
  };
}
