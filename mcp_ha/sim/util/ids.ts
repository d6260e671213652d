// Context ids are ULIDs (26 chars of Crockford base32: 48-bit time + 80 random bits);
// user, device and registry ids are 32 hex chars (uuid4().hex).
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function ulid(timeMs: number = Date.now()): string {
  let out = '';
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32] + out;
    t = Math.floor(t / 32);
  }
  const rnd = randomBytes(16);
  for (let i = 0; i < 16; i++) out += CROCKFORD[rnd[i]! % 32];
  return out;
}

export function hexId(): string {
  return randomBytes(16).toString('hex');
}

export function randomToken(): string {
  return randomBytes(32).toString('hex');
}
