#!/usr/bin/env node
// Entry point: configuration, Home Assistant connection, HTTP server, clean shutdown.
import { pino } from 'pino';
import { startDiscovery } from './addon/discovery.js';
import { ConfigError, loadConfig } from './config/load.js';
import { createDeps } from './deps.js';
import { buildApp } from './http/app.js';
import { createLogger } from './log.js';
import { serveMcpStdio } from './mcp/stdio.js';
import { buildIngressApp } from './ui/ingress.js';
import { VERSION } from './version.js';

const SHUTDOWN_GRACE_MS = 4_500;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`mcp-ha: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  // With --stdio, stdout carries nothing but protocol: every log line goes to stderr.
  const stdio = process.argv.includes('--stdio');
  const logger = createLogger(config.logLevel, stdio ? pino.destination(2) : undefined);
  const deps = createDeps(config, logger);
  const { ha } = deps;
  if (stdio) return runStdio(deps);
  const { app, ui } = buildApp(deps);
  // Inside Home Assistant the add-on's page has its own listener for the ingress proxy.
  const ingress = config.ui.ingressPort === undefined ? undefined : buildIngressApp(ui, config.ui.ingressSources);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('shutdown took too long; exiting');
      process.exit(0);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    await Promise.allSettled([app.close(), ingress?.close(), ha.close()]);
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  if (ingress) await ingress.listen({ host: config.host, port: config.ui.ingressPort as number });
  logger.info(
    { version: VERSION, port: config.port, mcp: config.secretPath, ingress_port: config.ui.ingressPort ?? null, ha_mode: config.ha.mode, api_keys: config.apiKeys.length },
    'mcp-ha listening',
  );
  // Start-up never waits for Home Assistant: /health answers and tools say when it is unreachable.
  void ha.start();
  // Inside Home Assistant, announce /mcp to the Supervisor (add-on discovery), in the background.
  startDiscovery(config, logger);
}

/** MCP over stdin/stdout for a local client; ends when the client closes stdin, or on a signal. */
async function runStdio(deps: ReturnType<typeof createDeps>): Promise<void> {
  const { ha, logger } = deps;
  let stopping = false;
  let handle: { close(): Promise<void> } | undefined = undefined;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'shutting down');
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    await Promise.allSettled([handle?.close(), ha.close()]);
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  handle = serveMcpStdio(deps, { onClose: () => void stop('stdin closed') });
  logger.info({ version: VERSION, ha_mode: deps.config.ha.mode }, 'mcp-ha serving MCP on stdio');
  void ha.start();
}

main().catch((err: unknown) => {
  console.error(`mcp-ha: fatal: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
