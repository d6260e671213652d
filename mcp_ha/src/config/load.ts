import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_ALLOWED_SERVICES, DEFAULT_CONFIRMATION_TIMEOUT_SECONDS } from '../policy/defaults.js';
import { DEFAULT_TOOLSETS, EnvSchema, OptionsSchema, type Config, type Env, type Options } from './schema.js';

const SUPERVISOR_OPTIONS_FILE = '/data/options.json';
const DEFAULT_HA_BASE_URL = 'http://homeassistant:8123';
/** The Supervisor's own API (add-on discovery); its Core proxy is under /core. */
const SUPERVISOR_URL = 'http://supervisor';
/** ingress_port in config.yaml, and the one address the Supervisor's ingress proxy connects from. */
const DEFAULT_INGRESS_PORT = 8100;
const INGRESS_PROXY = '172.30.32.2';

/** A configuration problem: one line naming the setting and what it expects, never its value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function firstIssue(source: string, err: z.ZodError): ConfigError {
  const issue = err.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : '(root)';
  return new ConfigError(`Invalid setting ${source}${path}: ${issue?.message ?? 'invalid value'}`);
}

function readOptions(file: string | undefined, mustExist: boolean): Options {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!mustExist && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`Cannot read options file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigError(`Options file ${file} is not valid JSON`);
  }
  const parsed = OptionsSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue('', parsed.error);
  return parsed.data;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

const LOG_LEVELS: Record<string, Config['logLevel']> = {
  trace: 'trace', debug: 'debug', info: 'info', notice: 'info', warning: 'warn', warn: 'warn', error: 'error', fatal: 'fatal',
};

/** Builds the Config from environment variables and the options file; throws ConfigError. */
export function loadConfig(envIn: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset: Docker users often pass `-e VAR=`.
  const cleaned = Object.fromEntries(Object.entries(envIn).filter(([, v]) => v !== undefined && v !== ''));
  const envParsed = EnvSchema.safeParse(cleaned);
  if (!envParsed.success) throw firstIssue('', envParsed.error);
  const env = envParsed.data;

  const inSupervisor = env.SUPERVISOR_TOKEN !== undefined;
  const optionsFile = env.MCP_OPTIONS_FILE ?? (inSupervisor ? SUPERVISOR_OPTIONS_FILE : undefined);
  const opts = readOptions(optionsFile, env.MCP_OPTIONS_FILE !== undefined);

  let ha: Config['ha'];
  const caFile = env.SSL_CERT_FILE;
  if (env.HOMEASSISTANT_URL && env.HOMEASSISTANT_TOKEN) {
    // Explicit URL and token win, even inside the Supervisor (useful for a remote Home Assistant).
    const base = trimSlash(env.HOMEASSISTANT_URL);
    ha = {
      mode: 'direct',
      restBase: base,
      wsUrl: base.replace(/^http/, 'ws') + '/api/websocket',
      token: env.HOMEASSISTANT_TOKEN,
      userBase: trimSlash(opts.ha_base_url ?? base),
      caFile,
      requestTimeoutMs: 10_000,
    };
  } else if (inSupervisor) {
    ha = {
      mode: 'supervisor',
      restBase: 'http://supervisor/core',
      wsUrl: 'ws://supervisor/core/websocket',
      token: env.SUPERVISOR_TOKEN as string,
      userBase: trimSlash(opts.ha_base_url ?? DEFAULT_HA_BASE_URL),
      caFile,
      requestTimeoutMs: 10_000,
    };
  } else if (env.HOMEASSISTANT_URL) {
    throw new ConfigError('Invalid setting HOMEASSISTANT_TOKEN: required when HOMEASSISTANT_URL is set (a long-lived access token)');
  } else {
    throw new ConfigError(
      'Invalid setting HOMEASSISTANT_URL: required outside Home Assistant (with HOMEASSISTANT_TOKEN), e.g. http://homeassistant.local:8123',
    );
  }

  const level = LOG_LEVELS[env.LOG_LEVEL ?? opts.log_level ?? 'info'] ?? 'info';
  return {
    host: env.MCP_HOST ?? '0.0.0.0',
    port: env.MCP_PORT ?? 8099,
    secretPath: env.MCP_SECRET_PATH ?? '/mcp',
    publicUrl: opts.public_url === undefined ? undefined : trimSlash(opts.public_url),
    logLevel: level,
    dataDir: env.MCP_DATA_DIR ?? (inSupervisor ? '/data' : './data'),
    ha,
    supervisor: inSupervisor ? { url: SUPERVISOR_URL, token: env.SUPERVISOR_TOKEN as string } : undefined,
    apiKeys: opts.api_keys ?? [],
    policy: {
      readOnly: opts.read_only ?? false,
      allowedServices: opts.allowed_services ?? [...DEFAULT_ALLOWED_SERVICES],
      blockedServices: opts.blocked_services ?? [],
      confirmServices: opts.confirm_services ?? [],
      confirmationTimeoutMs: (opts.confirmation_timeout_seconds ?? DEFAULT_CONFIRMATION_TIMEOUT_SECONDS) * 1000,
    },
    toolsets: opts.toolsets ?? [...DEFAULT_TOOLSETS],
    mcp: {
      maxSessions: opts.max_sessions ?? 100,
      sessionIdleMs: (opts.session_idle_minutes ?? 30) * 60_000,
      allowedHosts: opts.allowed_hosts ?? [],
      allowedOrigins: opts.allowed_origins ?? [],
    },
    audit: { maxBytes: (opts.audit_max_mb ?? 10) * 1024 * 1024 },
    names: { learn: opts.learn_names ?? true },
    edit: { backups: opts.config_backups ?? 200 },
    ui: {
      ingressPort: env.MCP_INGRESS_PORT ?? (inSupervisor ? DEFAULT_INGRESS_PORT : undefined),
      ingressSources: env.MCP_INGRESS_SOURCES?.split(',').filter(Boolean) ?? [INGRESS_PROXY],
      pageApprovals: opts.page_approvals ?? false,
    },
    oauth: oauthConfig(opts, env),
  };
}

function oauthConfig(opts: Options, env: Env): Config['oauth'] {
  const base = opts.base_url ?? env.MCP_BASE_URL;
  if (base === undefined) return undefined;
  const url = new URL(base);
  if (url.search || url.hash) throw new ConfigError('Invalid setting base_url: expected a URL without query or fragment, e.g. https://example.com/mcp');
  return {
    baseUrl: trimSlash(`${url.origin}${url.pathname}`),
    haExternalUrl: opts.ha_external_url === undefined ? undefined : trimSlash(opts.ha_external_url),
    encryptionKey: env.OAUTH_ENCRYPTION_KEY === undefined ? undefined : Buffer.from(env.OAUTH_ENCRYPTION_KEY, 'base64'),
    clients: (opts.oauth_clients ?? []).map((c) => ({ clientId: c.client_id, clientName: c.client_name, redirectUris: c.redirect_uris })),
    allowPrivateAddresses: env.OAUTH_TEST_ALLOW_PRIVATE_ADDRESSES !== undefined,
  };
}
