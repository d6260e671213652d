// The private CA (SSL_CERT_FILE), read once and shared by REST (undici) and the WebSocket (ws).
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Logger } from 'pino';

/**
 * Node's public roots plus the PEM bundle in `caFile`, or undefined for Node's defaults.
 * The public roots stay trusted so that setting SSL_CERT_FILE cannot break a Home Assistant
 * with a public certificate (Nabu Casa, Let's Encrypt).
 */
export function loadCa(caFile: string | undefined, logger: Logger): string[] | undefined {
  if (!caFile) return undefined;
  try {
    const pem = readFileSync(caFile, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in the file');
    return [...rootCertificates, pem];
  } catch (err) {
    // Not fatal: the connection then fails with a certificate error that names SSL_CERT_FILE.
    logger.error({ caFile, err: (err as Error).message }, 'cannot read the CA bundle in SSL_CERT_FILE; using the default CAs');
    return undefined;
  }
}
