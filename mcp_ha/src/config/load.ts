import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_ALLOWED_SERVICES, DEFAULT_CONFIRMATION_TIMEOUT_SECONDS } from '../policy/defaults.js';
import { DEFAULT_TOOLSETS, EnvSchema, OptionsSchema, type Config, type Options } from './schema.js';

const SUPERVISOR_OPTIONS_FILE = '/data/options.json';
const DEFAULT_HA_BASE_URL = 'http://homeassistant:8123';
/** The Supervisor's own API (add-on discovery); its Core proxy is under /core. */
const SUPERVISOR_URL = 'http://supervisor';

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
    edit: { backups: opts.config_backups ?? 200 },
  };
}
