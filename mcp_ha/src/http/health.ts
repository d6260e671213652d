// GET /health: open, for curl and the container HEALTHCHECK; says nothing secret.
import type { FastifyInstance } from 'fastify';
import type { HaClient } from '../ha/types.js';
import { VERSION } from '../version.js';

export function registerHealth(app: FastifyInstance, ha: HaClient, sessionCount: () => number): void {
  const started = Date.now();
  app.get('/health', async () => ({
    status: 'healthy',
    service: 'mcp-ha-server',
    version: VERSION,
    uptime_s: Math.round((Date.now() - started) / 1000),
    home_assistant: {
      connected: ha.status === 'connected',
      status: ha.status,
      version: ha.version ?? null,
      entities: ha.cache.size,
      cache_ready: ha.cache.ready,
    },
    mcp_sessions: sessionCount(),
  }));
}
