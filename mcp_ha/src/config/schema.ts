// Configuration: the add-on options file (Supervisor's /data/options.json, or MCP_OPTIONS_FILE)
// plus environment variables, validated with zod and resolved into one Config object.
import { z } from 'zod';

/** The tool groups a deployment can offer; `config` (editing the home's configuration) is off unless listed. */
export const TOOLSETS = ['read', 'write', 'admin', 'config'] as const;
export type Toolset = (typeof TOOLSETS)[number];
export const DEFAULT_TOOLSETS: readonly Toolset[] = ['read', 'write', 'admin'];

const serviceName = z
  .string()
  .regex(/^[a-z0-9_]+\.([a-z0-9_]+|\*)$/, 'expected "domain.service" or "domain.*"');

export const LogLevelSchema = z.enum(['trace', 'debug', 'info', 'notice', 'warning', 'warn', 'error', 'fatal']);

/** The add-on options, as the Supervisor writes them; every key optional outside Home Assistant. */
export const OptionsSchema = z.object({
  ha_base_url: z.url({ protocol: /^https?$/ }).optional(),
  api_keys: z
    .array(
      z.object({
        name: z.string().min(1).max(64),
        key: z.string().min(16, 'an API key needs at least 16 characters'),
      }),
    )
    .optional(),
  log_level: LogLevelSchema.optional(),
  read_only: z.boolean().optional(),
  allowed_services: z.array(serviceName).optional(),
  blocked_services: z.array(serviceName).optional(),
  confirm_services: z.array(serviceName).optional(),
  confirmation_timeout_seconds: z.number().int().min(10).max(3600).optional(),
  toolsets: z.array(z.enum(TOOLSETS)).optional(),
  public_url: z.url({ protocol: /^https?$/ }).optional(),
  allowed_hosts: z.array(z.string().min(1)).optional(),
  allowed_origins: z.array(z.string().min(1)).optional(),
  max_sessions: z.number().int().min(1).max(1000).optional(),
  session_idle_minutes: z.number().int().min(1).max(1440).optional(),
  audit_max_mb: z.number().int().min(1).max(1024).optional(),
  config_backups: z.number().int().min(1).max(10000).optional(),
});
export type Options = z.infer<typeof OptionsSchema>;

const port = z.coerce.number().int().min(1).max(65535);

/** Environment variables the service reads; names match what existing Docker users know. */
export const EnvSchema = z.object({
  SUPERVISOR_TOKEN: z.string().min(1).optional(),
  HOMEASSISTANT_URL: z.url({ protocol: /^https?$/ }).optional(),
  HOMEASSISTANT_TOKEN: z.string().min(1).optional(),
  MCP_PORT: port.optional(),
  MCP_HOST: z.string().min(1).optional(),
  MCP_SECRET_PATH: z
    .string()
    .regex(/^\/[A-Za-z0-9._~\-/]*[A-Za-z0-9._~-]$/, 'expected a path such as /mcp')
    .optional(),
  MCP_OPTIONS_FILE: z.string().min(1).optional(),
  MCP_DATA_DIR: z.string().min(1).optional(),
  LOG_LEVEL: LogLevelSchema.optional(),
  SSL_CERT_FILE: z.string().min(1).optional(),
});
export type Env = z.infer<typeof EnvSchema>;

export interface HaConnectionConfig {
  /** 'supervisor' inside Home Assistant (SUPERVISOR_TOKEN), 'direct' otherwise. */
  mode: 'supervisor' | 'direct';
  /** Base of the Core REST API for the service's own calls, without trailing slash and without /api. */
  restBase: string;
  /** WebSocket URL for the service's own connection. */
  wsUrl: string;
  /** The service's own token (SUPERVISOR_TOKEN or HOMEASSISTANT_TOKEN). */
  token: string;
  /** Where users' own Home Assistant tokens are checked and used (ha_base_url or HOMEASSISTANT_URL). */
  userBase: string;
  /** PEM CA bundle for an HTTPS Home Assistant behind a private CA. */
  caFile: string | undefined;
  requestTimeoutMs: number;
}

export interface Config {
  host: string;
  port: number;
  secretPath: string;
  /** The URL clients use to reach the server from outside (public_url), without trailing slash. */
  publicUrl: string | undefined;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  dataDir: string;
  ha: HaConnectionConfig;
  /** Set inside Home Assistant (SUPERVISOR_TOKEN): the Supervisor's API, for add-on discovery. */
  supervisor?: { url: string; token: string };
  apiKeys: { name: string; key: string }[];
  policy: {
    readOnly: boolean;
    allowedServices: string[];
    blockedServices: string[];
    confirmServices: string[];
    confirmationTimeoutMs: number;
  };
  toolsets: Toolset[];
  mcp: {
    maxSessions: number;
    sessionIdleMs: number;
    allowedHosts: string[];
    allowedOrigins: string[];
  };
  audit: { maxBytes: number };
  /** Config edits: previous versions kept in <data>/config-backups, oldest dropped first. */
  edit: { backups: number };
}
