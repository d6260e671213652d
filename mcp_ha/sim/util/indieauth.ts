// IndieAuth client ids and redirect URIs, as Home Assistant checks them
// (homeassistant/components/auth/indieauth.py): the client id is an http(s) URL whose host is a
// domain name or a local IP; the redirect URI is accepted when its scheme and host:port equal the
// client id's (HA would otherwise fetch the client id page for <link rel="redirect_uri">, which
// the simulator does not do), or for the two mobile apps' fixed callbacks.
import { BlockList, isIP } from 'node:net';

interface UrlParts {
  scheme: string;
  netloc: string;
  path: string;
  fragment: string;
}

/** Python's urlsplit, as far as these checks need it, with IndieAuth's canonical form (lower-case netloc, '' path = '/'). */
function parseUrl(url: string): UrlParts | null {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?[^#]*)?(?:#(.*))?$/s.exec(url);
  if (!m) return null;
  return { scheme: (m[1] ?? '').toLowerCase(), netloc: (m[2] ?? '').toLowerCase(), path: m[3] || '/', fragment: m[4] ?? '' };
}

function parseClientId(clientId: string): UrlParts | null {
  const parts = parseUrl(clientId);
  if (!parts) return null;
  if (parts.scheme !== 'http' && parts.scheme !== 'https') return null;
  if (parts.path.split('/').some((s) => s === '.' || s === '..')) return null;
  if (parts.fragment !== '') return null;
  if (parts.netloc.includes('@')) return null;
  if (parts.netloc === '') return null;
  // A port, when given, must be a number (urlsplit's .port raises otherwise).
  const port = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(parts.netloc)?.[1];
  if (port !== undefined && port !== '' && !(/^\d+$/.test(port) && Number(port) <= 65535)) return null;
  // HA parses the whole netloc as an IP address, so "8.8.8.8" is refused but "8.8.8.8:80"
  // counts as a domain name; kept as it is.
  const bare = parts.netloc.startsWith('[') && parts.netloc.endsWith(']') ? parts.netloc.slice(1, -1) : parts.netloc;
  if (isIP(bare.replace(/^::ffff:(?=\d+\.)/i, '')) !== 0 && !isLocalAddress(bare)) return null;
  return parts;
}

export const verifyClientId = (clientId: string): boolean => parseClientId(clientId) !== null;

const APP_CALLBACKS: Record<string, string[]> = {
  'https://home-assistant.io/iOS': ['homeassistant://auth-callback'],
  'https://home-assistant.io/android': [
    'homeassistant://auth-callback',
    'https://wear.googleapis.com/3p_auth/io.homeassistant.companion.android',
    'https://wear.googleapis-cn.com/3p_auth/io.homeassistant.companion.android',
  ],
};

export function verifyRedirectUri(clientId: string, redirectUri: string): boolean {
  const client = parseClientId(clientId);
  if (!client) return false;
  const redirect = parseUrl(redirectUri);
  if (redirect && client.scheme === redirect.scheme && client.netloc === redirect.netloc) return true;
  return APP_CALLBACKS[clientId]?.includes(redirectUri) ?? false;
}

// homeassistant.util.network.is_local: loopback, private (RFC 6890) or link-local.
const LOCAL = new BlockList();
for (const [net, bits] of [['127.0.0.0', 8], ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['169.254.0.0', 16]] as const) {
  LOCAL.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::1', 128], ['fd00::', 8], ['fe80::', 10]] as const) LOCAL.addSubnet(net, bits, 'ipv6');

/** Whether an IP literal is local; false for anything that is not an IP literal. */
export function isLocalAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip);
  if (family === 0) return false;
  return LOCAL.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}
