// The service's logger. Secrets are redacted by path so that no code path can log a token.
import { pino, type Logger, type DestinationStream } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  'access_token',
  'key',
  '*.token',
  '*.access_token',
  '*.authorization',
  '*.key',
  'config.ha.token',
  'config.supervisor.token',
  'config.apiKeys',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'mcp-ha' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
