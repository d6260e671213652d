// The Home Assistant client: wires the socket, the live cache, REST and service calls together
// behind the HaClient contract (types.ts).
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { HaConnectionConfig } from '../config/schema.js';
import { LiveCache } from './cache.js';
import { CacheSync } from './cacheSync.js';
import { unreachable } from './errors.js';
import { createRest } from './rest.js';
import { ServiceCaller } from './serviceCalls.js';
import { HaSocket } from './socket.js';
import { loadCa } from './tls.js';
import type { ConnectionStatus, HaClient } from './types.js';

export interface HaClientOptions {
  /** Reconnect delays: doubling from initialMs up to maxMs, with jitter. Default 1 s .. 30 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** Interval of the `ping` heartbeat; a ping unanswered this long drops the socket. Default 30 s. */
  heartbeatMs?: number;
  /** Delay before reloading a registry or the services after their update event. Default 100 ms. */
  registryDebounceMs?: number;
}

export function createHaClient(config: HaConnectionConfig, logger: Logger, opts: HaClientOptions = {}): HaClient {
  const ca = loadCa(config.caFile, logger);
  const socket = new HaSocket({
    url: config.wsUrl,
    token: config.token,
    ca,
    logger,
    backoff: opts.backoff ?? { initialMs: 1_000, maxMs: 30_000 },
    heartbeatMs: opts.heartbeatMs ?? 30_000,
    requestTimeoutMs: config.requestTimeoutMs,
  });
  const rest = createRest({
    restBase: config.restBase,
    userBase: config.userBase,
    token: config.token,
    timeoutMs: config.requestTimeoutMs,
    ca,
  });
  const cache = new LiveCache();
  const sync = new CacheSync(socket, cache, logger, {
    debounceMs: opts.registryDebounceMs ?? 100,
    snapshotTimeoutMs: config.requestTimeoutMs,
  });
  const services = new ServiceCaller(socket, rest, cache);

  function waitReady(timeoutMs: number): Promise<void> {
    if (cache.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        cache.off('resync', done);
        reject(
          socket.status === 'auth_failed'
            ? new AppError('ha_unreachable', "Home Assistant refused the add-on's access token.", 'Check the token in the configuration.')
            : unreachable(`Home Assistant's data did not load within ${timeoutMs} ms (connection: ${socket.status}).`),
        );
      }, timeoutMs);
      cache.once('resync', done);
    });
  }

  return {
    get status(): ConnectionStatus {
      // Connected means "reads are current": not before the cache caught up after a reconnect.
      return socket.status === 'connected' && !cache.ready ? 'connecting' : socket.status;
    },
    get version() {
      return socket.haVersion;
    },
    cache,
    async start() {
      if (await socket.start()) await waitReady(config.requestTimeoutMs).catch(() => undefined);
    },
    waitReady,
    async close() {
      sync.stop();
      await socket.close();
      await rest.close();
    },
    command: (msg, o) => socket.command(msg, o?.timeoutMs),
    subscribe: (msg, onEvent) => socket.subscribe(msg, onEvent),
    rest: (method, path, o) => rest.request(method, path, o),
    callService: (call, creds) => services.call(call, creds),
    renderTemplate: (template, variables, creds) => services.renderTemplate(template, variables, creds),
    async checkUserToken(token) {
      let status: number;
      try {
        status = (await rest.request('GET', '/api/', { creds: { token } })).status;
      } catch (err) {
        throw unreachable(`Could not check the token with Home Assistant: ${(err as Error).message}`, err);
      }
      if (status === 200) return true;
      if (status === 401 || status === 403) return false;
      throw unreachable(`Could not check the token with Home Assistant (HTTP ${status}).`);
    },
  };
}
