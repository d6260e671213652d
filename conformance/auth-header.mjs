// Preloaded into the conformance CLI (`node --import ./auth-header.mjs ...`) by scripts/conformance.
//
// The suite's server mode has no way to send a header (its only target option is --url; see
// https://github.com/modelcontextprotocol/conformance/issues/453), and our /mcp wants
// `Authorization: Bearer <api key>`. The suite sends requests three ways: the global fetch (the SDK
// client transport, the hand-rolled stateless requests), undici's own request()
// (dns-rebinding-protection, which forges Host) and node:http's request() (the SEP-2243 header
// scenarios, which need raw header names). The first two dispatch through the process-wide undici
// dispatcher, so an interceptor there covers them; node:http's request and get are wrapped. Each
// adds the header to requests bound for the server under test, exactly as a client configured
// with that header would, and to nothing else (the suite also runs local helper servers on other
// ports). A request that already carries Authorization keeps its own.
//
//   CONFORMANCE_ORIGIN         the server's origin, e.g. http://127.0.0.1:8099
//   CONFORMANCE_AUTHORIZATION  the header's value, e.g. "Bearer <api key>" (from the environment,
//                              so that the key is not in any process's arguments)
import http from 'node:http';
import { Agent, setGlobalDispatcher } from 'undici';

const origin = process.env.CONFORMANCE_ORIGIN;
const value = process.env.CONFORMANCE_AUTHORIZATION;
if (!origin || !value) {
  console.error('auth-header.mjs: CONFORMANCE_ORIGIN and CONFORMANCE_AUTHORIZATION must be set');
  process.exit(2);
}
const target = new URL(origin).origin;

function sameOrigin(o) {
  try {
    return new URL(String(o)).origin === target;
  } catch {
    return false;
  }
}

/** Returns headers in the shape they came in (flat array, array of pairs, or record) plus ours. */
function withAuthorization(headers) {
  if (headers == null) return { authorization: value };
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      if (headers.some(([k]) => String(k).toLowerCase() === 'authorization')) return headers;
      return [...headers, ['authorization', value]];
    }
    for (let i = 0; i < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === 'authorization') return headers;
    }
    return [...headers, 'authorization', value];
  }
  if (typeof headers[Symbol.iterator] === 'function') return withAuthorization([...headers]);
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) return headers;
  return { ...headers, authorization: value };
}

setGlobalDispatcher(
  new Agent().compose((dispatch) => (opts, handler) =>
    dispatch(sameOrigin(opts.origin) ? { ...opts, headers: withAuthorization(opts.headers) } : opts, handler),
  ),
);

// node:http: request(options[, cb]), request(url[, options][, cb]); get() the same.
function wrap(original) {
  return function (...args) {
    let url;
    let i = 0;
    if (typeof args[0] === 'string' || args[0] instanceof URL) {
      url = new URL(args[0]);
      i = 1;
    }
    const opts = args[i] !== null && typeof args[i] === 'object' ? args[i] : undefined;
    const rest = args.slice(opts ? i + 1 : i);
    let dest;
    try {
      const host = opts?.hostname ?? opts?.host?.replace(/:\d+$/, '') ?? url?.hostname ?? 'localhost';
      const port = opts?.port ?? url?.port ?? '';
      const proto = opts?.protocol ?? url?.protocol ?? 'http:';
      dest = new URL(`${proto}//${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}${port ? `:${port}` : ''}`).origin;
    } catch {
      dest = undefined;
    }
    if (dest !== target) return original.apply(this, args);
    const withHeader = { ...(opts ?? {}), headers: withAuthorization(opts?.headers) };
    return original.apply(this, url ? [url, withHeader, ...rest] : [withHeader, ...rest]);
  };
}
http.request = wrap(http.request);
http.get = wrap(http.get);
