// Mapping Home Assistant failures to our error codes, with the texts Home Assistant sends.
import t from 'tap';
import { fromRestStatus, fromTransportError, fromWsError } from '../../src/ha/errors.js';
import { backoffDelay } from '../../src/ha/socket.js';

t.test('WebSocket error codes', async (t) => {
  const notFound = fromWsError({
    code: 'not_found',
    message: 'Service light.no_such_service not found.',
    translation_key: 'service_not_found',
    translation_placeholders: { domain: 'light', service: 'no_such_service' },
    translation_domain: 'homeassistant',
  });
  t.equal(notFound.code, 'service_not_found');
  t.equal(notFound.statusCode, 404);
  t.equal(fromWsError({ code: 'not_found', message: 'Entity not found' }).code, 'not_found');
  const invalid = fromWsError({ code: 'invalid_format', message: "expected int for dictionary value @ data['brightness']" });
  t.equal(invalid.code, 'validation_error');
  t.equal(invalid.message, "expected int for dictionary value @ data['brightness']");
  t.equal(fromWsError({ code: 'service_validation_error', message: 'Validation error: x' }).code, 'validation_error');
  t.equal(fromWsError({ code: 'home_assistant_error', message: 'Cannot write' }).code, 'ha_error');
  t.equal(fromWsError({ code: 'template_error', message: 'Exceeded maximum execution time of 0.5s' }).code, 'template_error');
  t.equal(fromWsError({ code: 'unauthorized', message: 'Unauthorized' }).code, 'forbidden');
});

t.test('REST statuses', async (t) => {
  t.equal(fromRestStatus(401, '401: Unauthorized', 'x').code, 'unauthorized');
  t.equal(fromRestStatus(404, { message: 'Entity not found.' }, 'x').code, 'not_found');
  t.equal(fromRestStatus(400, { message: 'Invalid datetime' }, 'x').code, 'validation_error');
  t.equal(fromRestStatus(502, '', 'x').code, 'ha_unreachable', 'the Supervisor proxy without Core');
  t.equal(fromRestStatus(500, '500 Internal Server Error', 'x').code, 'ha_error');
});

t.test('transport errors', async (t) => {
  const refused = fromTransportError(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'http://ha:8123');
  t.equal(refused.code, 'ha_unreachable');
  t.match(refused.message, /refused the connection/);
  t.match(refused.suggestion, /[Rr]etry/);
  const tls = fromTransportError({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'https://ha');
  t.match(tls.message, /certificate/);
  t.match(tls.suggestion, /SSL_CERT_FILE/);
  t.equal(fromTransportError({ code: 'UND_ERR_CONNECT_TIMEOUT' }, 'x').code, 'ha_unreachable');
});

t.test('backoff: doubling, capped, jittered between half and full', async (t) => {
  t.equal(backoffDelay(0, 100, 1000, () => 0), 50);
  t.equal(backoffDelay(0, 100, 1000, () => 1), 100);
  t.equal(backoffDelay(3, 100, 1000, () => 1), 800);
  t.equal(backoffDelay(10, 100, 1000, () => 1), 1000);
  t.equal(backoffDelay(Infinity, 100, 1000, () => 0.5), 750);
});
