// DNS-rebinding protection for every route but /health. A page on another site must not reach
// the server through a name that its own DNS points at us (the Host header then carries that
// foreign name), nor call a name we do answer to from its own origin (the Origin header).
//
// Without any option the server answers only to names it is really known by: IP literals,
// loopback names, this machine's (in Home Assistant: the add-on's) host names, homeassistant
// and homeassistant.local, the Home Assistant URL we were given, the hosts of Home Assistant's
// internal_url and external_url (read from its config as last loaded, so a change in Home
// Assistant is picked up on core_config_updated or the next reconnect), public_url, and
// allowed_hosts. A browser Origin must be the server's own (same host as Host or
// X-Forwarded-Host, or public_url's origin) or be listed in allowed_origins. X-Forwarded-Host
// only counts for that comparison: it never makes a foreign Host acceptable.
import { isIP } from 'node:net';
import { hostname as osHostname } from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import { AppError } from '../errors.js';
import type { HaConfig } from '../ha/schemas.js';

export interface OriginCheckDeps {
  config: Pick<Config, 'mcp' | 'publicUrl'> & { ha: Pick<Config['ha'], 'userBase'> };
  /** Home Assistant's config as last loaded (internal_url, external_url); read on each request. */
  ha: { readonly cache: { readonly config: HaConfig | undefined } };
  /** This machine's host names; default os.hostname() and $HOSTNAME (the Supervisor sets the add-on's). */
  machineNames?: string[];
}

/** Names served by the Supervisor's DNS are also reachable as NAME.local.hass.io. */
const SUPERVISOR_DNS_SUFFIX = '.local.hass.io';
const FIXED_NAMES = ['localhost', 'homeassistant', 'homeassistant.local'];
/** Refusals are logged once per name, for this many distinct names. */
const LOG_ONCE_LIMIT = 100;

interface HostPort {
  name: string;
  /** '' when the value had no port. */
  port: string;
}

/** Lower case, without brackets and trailing dot. */
function normalName(name: string): string {
  return name.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

/** A Host header value (`name`, `name:port`, `[v6]`, `[v6]:port`); undefined when malformed. */
export function parseHost(value: string): HostPort | undefined {
  const m = /^(?:\[([0-9a-f:.]+(?:%[\w.~-]+)?)\]|([a-z0-9_.-]+))(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!m) return undefined;
  const v6 = m[1];
  if (v6 !== undefined && isIP(v6.replace(/%.*$/, '')) !== 6) return undefined;
  const name = normalName(v6 ?? (m[2] as string));
  if (!name) return undefined;
  return { name, port: m[3] ?? '' };
}

/** An allowed_hosts entry: a name, name:port, [v6], or a URL written by mistake. */
function configuredName(entry: string): string | undefined {
  const text = entry.trim();
  if (text.includes('://')) return urlHost(text);
  return parseHost(text)?.name ?? (text ? normalName(text) : undefined);
}

function urlHost(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return normalName(new URL(url).hostname) || undefined;
  } catch {
    return undefined;
  }
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '';
}

/** An origin as name + port (default ports filled in); undefined for "null" and non-URLs. */
function parseOrigin(origin: string): HostPort | undefined {
  try {
    const u = new URL(origin);
    const name = normalName(u.hostname);
    return name ? { name, port: u.port || defaultPort(u.protocol) } : undefined;
  } catch {
    return undefined;
  }
}

/** Normal form of an allowed_origins entry: scheme://host[:port], default port dropped. */
function originKey(origin: string): string {
  try {
    const u = new URL(origin);
    if (u.origin !== 'null') return u.origin.toLowerCase();
  } catch {
    // compared as written
  }
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

function machineHostNames(): string[] {
  return [osHostname(), process.env.HOSTNAME ?? ''];
}

const clip = (s: string): string => (s.length > 100 ? `${s.slice(0, 100)}…` : s);

/**
 * A Fastify hook (onRequest or preHandler) that answers 403 to a Host the server is not known
 * by or a cross-site Origin, with a body naming allowed_hosts / allowed_origins.
 */
export function createOriginCheck(deps: OriginCheckDeps) {
  const { config } = deps;
  const fixed = new Set<string>(FIXED_NAMES);
  for (const raw of deps.machineNames ?? machineHostNames()) {
    const name = normalName(raw.trim());
    if (!name) continue;
    fixed.add(name);
    if (!name.endsWith(SUPERVISOR_DNS_SUFFIX)) fixed.add(name + SUPERVISOR_DNS_SUFFIX);
    if (!name.includes('.')) fixed.add(`${name}.local`);
  }
  for (const name of [urlHost(config.publicUrl), urlHost(config.ha.userBase), ...config.mcp.allowedHosts.map(configuredName)]) {
    if (name) fixed.add(name);
  }
  const publicOrigin = config.publicUrl ? parseOrigin(config.publicUrl) : undefined;
  const allowedOrigins = new Set(config.mcp.allowedOrigins.map(originKey));

  // The hosts of Home Assistant's own URLs, recomputed when its config object changes.
  let seenConfig: HaConfig | undefined;
  let haNames: string[] = [];
  const homeAssistantNames = (): string[] => {
    const current = deps.ha.cache.config;
    if (current !== seenConfig) {
      seenConfig = current;
      haNames = [urlHost(current?.internal_url), urlHost(current?.external_url)].filter((n): n is string => n !== undefined);
    }
    return haNames;
  };

  const isKnown = (name: string): boolean =>
    fixed.has(name) || isIP(name.replace(/%.*$/, '')) !== 0 || name.endsWith('.localhost') || homeAssistantNames().includes(name);

  const logged = new Set<string>();
  const refuse = async (req: FastifyRequest, reply: FastifyReply, what: string, err: AppError): Promise<void> => {
    if (!logged.has(what) && logged.size < LOG_ONCE_LIMIT) {
      logged.add(what);
      req.log.warn({ refused: what }, `${err.message} ${err.suggestion}`);
    }
    await reply.code(403).send(err.toBody());
  };

  return async function originCheck(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const hostHeader = req.headers.host;
    const host = hostHeader === undefined ? undefined : parseHost(hostHeader);
    if (!host) {
      const shown = hostHeader === undefined ? 'missing' : `malformed (${clip(JSON.stringify(hostHeader))})`;
      return refuse(req, reply, `host:${shown}`, new AppError('forbidden', `The Host header is ${shown}.`, 'Call the server by a host name it knows: an IP address, its own name, or a name listed in the add-on option allowed_hosts.'));
    }
    if (!isKnown(host.name)) {
      const name = clip(host.name);
      return refuse(
        req,
        reply,
        `host:${name}`,
        new AppError(
          'forbidden',
          `Host ${name} is not a name this server is known by (protection against DNS rebinding).`,
          `If clients reach the server by this name, e.g. through a reverse proxy, add ${name} to the add-on option allowed_hosts, or set public_url to the address they use.`,
        ),
      );
    }

    const origin = req.headers.origin;
    if (origin === undefined || allowedOrigins.has(originKey(origin))) return;
    const from = parseOrigin(origin);
    if (from) {
      const forwarded = req.headers['x-forwarded-host'];
      const own = [host, typeof forwarded === 'string' ? parseHost(forwarded.split(',')[0] as string) : undefined, publicOrigin];
      // A Host without port comes from a proxy that dropped it (nginx's $host): any port matches.
      if (own.some((h) => h !== undefined && h.name === from.name && (h.port === '' || h.port === from.port))) return;
    }
    const shown = clip(origin);
    return refuse(
      req,
      reply,
      `origin:${shown}`,
      new AppError('forbidden', `Origin ${shown} is not allowed: a web page on another site called the server.`, `Add ${shown} to the add-on option allowed_origins if this web client should reach the server.`),
    );
  };
}
