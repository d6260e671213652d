// Which redirect URIs a client may register and how a request's redirect_uri is matched: https
// anywhere, http only on loopback (RFC 8252 7.3, where the port may change per request), and
// private-use schemes of native apps; never a fragment or a scheme that runs code in a browser.
const BAD_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:', 'ws:', 'wss:', 'ftp:']);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
export const MAX_REDIRECT_URI = 2000;

/** Why a redirect URI cannot be registered; undefined when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > MAX_REDIRECT_URI) return `longer than ${MAX_REDIRECT_URI} characters`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'not an absolute URL';
  }
  if (url.hash || uri.includes('#')) return 'has a fragment';
  if (BAD_SCHEMES.has(url.protocol)) return `scheme ${url.protocol} is not allowed`;
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return 'http is only allowed for loopback (localhost, 127.0.0.1, [::1])';
  if (url.username || url.password) return 'has user information';
  return undefined;
}

/** Does the requested redirect_uri match a registered one (exactly, or loopback with another port)? */
export function redirectUriMatches(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  let req: URL;
  try {
    req = new URL(requested);
  } catch {
    return false;
  }
  if (req.protocol !== 'http:' || !LOOPBACK.has(req.hostname) || req.hostname === 'localhost') return false;
  return registered.some((r) => {
    try {
      const u = new URL(r);
      return u.protocol === 'http:' && u.hostname === req.hostname && u.pathname === req.pathname && u.search === req.search;
    } catch {
      return false;
    }
  });
}
