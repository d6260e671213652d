// Requests Fastify refuses before any route or hook runs, answered in the project's error shape
// ({error, status_code, message, suggestion}) instead of Fastify's own body:
// - frameworkErrors: a path with a malformed percent-encoding (/%ZZ, /%, overlong UTF-8 such as
//   %c0%ae) that the router cannot decode, and the router's other errors;
// - clientErrorHandler: what Node's HTTP parser rejects (a control character in the URL,
//   headers too large, a request that never finished), written to the socket directly.
// No route, authentication or Host check has run at that point, so the answers name nothing
// about the service beyond /health, and never echo what was sent.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const CHECK = 'Check the URL your client is configured with; GET /health answers without credentials.';

function frameworkError(error: FastifyError): AppError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new AppError(
        'invalid_input',
        'The request URL is not valid: a "%" must start an escape of valid UTF-8, such as %20.',
        `Percent-encode the path (a literal "%" is %25). ${CHECK}`,
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('invalid_input', 'A part of the request URL is too long.', CHECK, { statusCode: 414 });
    default:
      return new AppError('invalid_input', 'The request could not be routed.', CHECK, { statusCode: error.statusCode && error.statusCode < 500 ? error.statusCode : 400 });
  }
}

function frameworkErrors(error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const e = frameworkError(error);
  void reply.code(e.statusCode).send(e.toBody());
}

function clientError(err: NodeJS.ErrnoException): AppError {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('invalid_input', 'The request did not arrive in time.', 'Send the whole request at once and retry.', { statusCode: 408 });
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('invalid_input', 'The request headers are too large.', 'Send smaller headers (cookies, tokens) and retry.', { statusCode: 431 });
    case 'HPE_INVALID_URL':
      return new AppError('invalid_input', 'The request URL is not valid: it contains characters a URL cannot contain.', `Percent-encode the path. ${CHECK}`);
    default:
      return new AppError('invalid_input', 'The request is not valid HTTP/1.1.', `Check the client or proxy in front of the service. ${CHECK}`);
  }
}

/** Like Fastify's default (nothing to do on a reset or a closed socket), with our body. */
function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const e = clientError(err);
  this.log.debug({ code: err.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(e.toBody());
    socket.write(
      `HTTP/1.1 ${e.statusCode} ${STATUS_CODES[e.statusCode] ?? 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Spread into Fastify's options. */
export const badRequestOptions = { frameworkErrors, clientErrorHandler };
