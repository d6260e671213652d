// The OAuth store's key and what is derived from it: the key comes from OAUTH_ENCRYPTION_KEY or
// is generated once into <data>/oauth/key (mode 0600). The store is one JWE (dir, A256GCM) made
// by jose; access tokens are HS256 JWTs signed with an HKDF-derived key. Nothing here is a cipher
// of our own: node:crypto for randomness, hashes and HKDF, jose for JWE and JWS.
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { writeFileAtomic } from './atomicFile.js';

const KEY_FILE = 'key';

/** The store key: the configured one, else the one kept in the data folder (made on first start). */
export async function loadStoreKey(dir: string, configured: Buffer | undefined): Promise<{ key: Buffer; source: 'env' | 'file' | 'generated' }> {
  if (configured) return { key: configured, source: 'env' };
  const file = join(dir, KEY_FILE);
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return { key, source: 'file' };
  }
  const key = randomBytes(32);
  await writeFileAtomic(file, `${key.toString('base64')}\n`, 0o600);
  return { key, source: 'generated' };
}

/** A sub-key for one purpose, so that the store key itself never signs anything. */
export function deriveKey(key: Buffer, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', key, Buffer.alloc(0), `mcp-ha oauth ${purpose}`, 32));
}

export async function seal(plaintext: string, key: Buffer): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(new Uint8Array(key));
}

/** The plaintext; throws when the key does not open it (wrong key or a damaged file). */
export async function unseal(jwe: string, key: Buffer): Promise<string> {
  const { plaintext } = await compactDecrypt(jwe.trim(), new Uint8Array(key), { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
  return new TextDecoder().decode(plaintext);
}

/** An unguessable value (codes, refresh tokens, ids): 32 random bytes, base64url. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export const pkceChallenge = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');
