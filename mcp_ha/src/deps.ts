// Wires the shared parts once: Home Assistant client, audit log, service gate. main.ts and the
// tests use this same function, so that tests exercise what runs in production.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import { createHaClient, type HaClientOptions } from './ha/client.js';
import { createAuditLog } from './audit/log.js';
import { withPendingRecovery } from './audit/recover.js';
import { attachNames } from './home/names/household.js';
import { createApprovals } from './policy/approvals.js';
import { createServiceGate } from './policy/gate.js';
import type { AppDeps } from './tools/tool.js';

export interface DepsOptions {
  /** Reconnect/heartbeat timings; tests shorten them. */
  ha?: HaClientOptions;
}

export function createDeps(config: Config, logger: Logger, opts: DepsOptions = {}): AppDeps {
  const ha = createHaClient(config.ha, logger.child({ component: 'ha' }), opts.ha);
  // Writes an earlier stop cut off are marked 'unknown' once Home Assistant's states are loaded.
  const audit = withPendingRecovery(createAuditLog({ dir: join(config.dataDir, 'audit'), maxBytes: config.audit.maxBytes }), { ha, logger: logger.child({ component: 'audit' }) });
  // The household's names, found by the search and the tools through the cache (namesOf).
  attachNames({ cache: ha.cache, dir: join(config.dataDir, 'names'), enabled: config.names.learn, logger: logger.child({ component: 'names' }) });
  const gate = createServiceGate({ config, ha, audit, logger: logger.child({ component: 'gate' }) });
  const approvals = createApprovals({ enabled: config.ui.pageApprovals, timeoutMs: config.policy.confirmationTimeoutMs });
  return { config, ha, gate, audit, logger, approvals };
}
