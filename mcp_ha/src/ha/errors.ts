// Home Assistant failures -> AppError. Messages carry Home Assistant's own text where it helps a
// model fix its call, and never a token (only error codes, service names and HA's messages).
import { AppError } from '../errors.js';

/** The `error` object of a failed WebSocket result. */
export interface WsErrorBody {
  code: string;
  message: string;
  translation_key?: string;
  translation_placeholders?: Record<string, string>;
  translation_domain?: string;
}

const RETRY = 'Retry in a few seconds; if it persists, check that Home Assistant is running and reachable.';

export function unreachable(message: string, cause?: unknown): AppError {
  return new AppError('ha_unreachable', message, RETRY, cause === undefined ? {} : { cause });
}

export function connectionLost(): AppError {
  return new AppError(
    'ha_unreachable',
    'The connection to Home Assistant was lost before it answered; the request may or may not have been carried out.',
    'Check the current state, then retry if needed.',
  );
}

export function timedOut(what: string, ms: number): AppError {
  return new AppError(
    'ha_timeout',
    `Home Assistant did not answer ${what} within ${ms} ms; it may still carry it out.`,
    'Check the current state before retrying; Home Assistant may be busy or slow.',
  );
}

export function unauthorized(): AppError {
  return new AppError(
    'unauthorized',
    'Home Assistant refused the access token.',
    'Use a valid long-lived access token (Profile > Security in Home Assistant).',
  );
}

/** A failed WebSocket result. */
export function fromWsError(err: WsErrorBody): AppError {
  const details: Record<string, unknown> = { ha_code: err.code };
  if (err.translation_key) details.translation_key = err.translation_key;
  if (err.translation_placeholders) details.translation_placeholders = err.translation_placeholders;
  switch (err.code) {
    case 'not_found':
      if (err.translation_key === 'service_not_found' || /^Service \S+ not found\.$/.test(err.message)) {
        return new AppError('service_not_found', err.message, 'List the available services and use one of them.', { details });
      }
      return new AppError('not_found', err.message, 'Check the id; list what exists first.', { details });
    case 'invalid_format':
    case 'service_validation_error':
    case 'invalid_info':
    case 'invalid_start_time':
      return new AppError('validation_error', err.message, 'Fix the data as the message says and retry.', { details });
    case 'template_error':
      return new AppError('template_error', err.message, 'Fix the template and retry.', { details });
    case 'unauthorized':
      return new AppError('forbidden', err.message, 'This needs an administrator account in Home Assistant.', { details });
    case 'timeout':
      return new AppError('ha_timeout', err.message, 'Retry later; Home Assistant was too slow to answer.', { details });
    default:
      return new AppError('ha_error', err.message, 'Home Assistant could not carry this out; check its log for details.', {
        details,
      });
  }
}

/** `{"message": "..."}` bodies, else the text body, else undefined. */
export function restMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return typeof body === 'string' && body.trim() ? body.trim() : undefined;
}

/** A non-2xx REST answer that has no more precise meaning for the caller. */
export function fromRestStatus(status: number, body: unknown, what: string): AppError {
  const text = restMessage(body);
  if (status === 401) return unauthorized();
  if (status === 403) return new AppError('forbidden', `Home Assistant refused ${what}: ${text ?? 'forbidden'}.`, 'This needs more rights in Home Assistant.');
  if (status === 404) return new AppError('not_found', `Home Assistant: ${text ?? 'not found'} (${what}).`, 'Check the id; list what exists first.');
  if (status === 400) return new AppError('validation_error', `Home Assistant rejected ${what}: ${text ?? 'bad request'}.`, 'Fix the request and retry.');
  if (status === 502 || status === 503 || status === 504) {
    return unreachable(`Home Assistant is not available (HTTP ${status} for ${what}).`);
  }
  return new AppError('ha_error', `Home Assistant failed on ${what} (HTTP ${status}).`, 'Check the Home Assistant log for the cause.', {
    details: { http_status: status },
  });
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Every `code` on an error and its causes (undici and ws wrap the socket error). */
function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** A network-level failure (no HTTP answer) talking to `base`. */
export function fromTransportError(err: unknown, base: string): AppError {
  if (err instanceof AppError) return err;
  const codes = errorCodes(err);
  const tls = codes.find((c) => TLS_CODES.has(c));
  if (tls) {
    return new AppError(
      'ha_unreachable',
      `The TLS certificate of Home Assistant at ${base} is not trusted (${tls}).`,
      'If Home Assistant uses a private CA or a self-signed certificate, set SSL_CERT_FILE to that CA bundle (PEM) and restart.',
      { cause: err, details: { tls_error: tls } },
    );
  }
  if (codes.some((c) => /TIMEOUT|ETIMEDOUT/.test(c))) return unreachable(`Connecting to Home Assistant at ${base} timed out.`, err);
  const code = codes.find((c) => !c.startsWith('UND_ERR_')) ?? codes[0];
  const what =
    code === 'ECONNREFUSED' ? 'refused the connection' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'could not be resolved' : 'is not reachable';
  return unreachable(`Home Assistant at ${base} ${what}${code ? ` (${code})` : ''}.`, err);
}
