// Add-on discovery: inside Home Assistant the add-on tells the Supervisor where its MCP endpoint
// is (POST /discovery, service "mcp"), so that Home Assistant offers to add this server to its
// MCP integration. The Supervisor must find `mcp` under `discovery:` in config.yaml, and it
// replaces an identical earlier message, so announcing on every start is safe. Runs in the
// background: a busy or restarting Supervisor (network error, 5xx, 429) is retried with capped
// exponential backoff and full jitter; anything else, or the last try, is logged once at warn.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';

export const DISCOVERY_SERVICE = 'mcp';

export interface DiscoveryOptions {
  /** The Supervisor's API base, without trailing slash (http://supervisor). */
  supervisorUrl: string;
  /** SUPERVISOR_TOKEN. */
  token: string;
  /** The URL Home Assistant reaches the MCP endpoint at (http://<host name>:8099/mcp). */
  mcpUrl: string;
  logger: Logger;
  /** Tries in all, the first included (default 10). */
  maxAttempts?: number;
  /** Backoff before the second try; doubles each time up to maxDelayMs (defaults 1 s, 60 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** [0, 1), for the jitter; tests pin it. */
  random?: () => number;
}

/** reason is 'stopped' after stop(). */
export type DiscoveryOutcome = { ok: true; uuid: string | undefined; attempts: number } | { ok: false; attempts: number; reason: string };

export interface DiscoveryHandle {
  /** Settles once announced, given up, or stopped; never rejects. */
  done: Promise<DiscoveryOutcome>;
  /** Cancels a pending retry (shutdown). */
  stop(): void;
}

/** What an attempt came to: finished (ok or not worth retrying), or worth another try. */
type Attempt = { kind: 'ok'; uuid: string | undefined } | { kind: 'fatal'; reason: string } | { kind: 'retry'; reason: string; retryAfterMs?: number };

/** The MCP URL announced: the container's host name (set by the Supervisor), the port and path from config. */
export function discoveryUrl(config: Pick<Config, 'port' | 'secretPath'>, host: string = hostname()): string {
  return `http://${host}:${config.port}${config.secretPath}`;
}

/** Starts the announcement when running inside Home Assistant; undefined elsewhere. */
export function startDiscovery(config: Config, logger: Logger, overrides: Partial<DiscoveryOptions> = {}): DiscoveryHandle | undefined {
  if (!config.supervisor) return undefined;
  return announce({
    supervisorUrl: config.supervisor.url,
    token: config.supervisor.token,
    mcpUrl: discoveryUrl(config),
    logger,
    ...overrides,
  });
}

export function announce(opts: DiscoveryOptions): DiscoveryHandle {
  const maxAttempts = opts.maxAttempts ?? 10;
  const baseDelayMs = opts.baseDelayMs ?? 1_000;
  const maxDelayMs = opts.maxDelayMs ?? 60_000;
  const random = opts.random ?? Math.random;
  const log = opts.logger.child({ component: 'discovery' });
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const controller = new AbortController();

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref();
    });

  const run = async (): Promise<DiscoveryOutcome> => {
    for (let attempt = 1; ; attempt++) {
      const result = await once(opts, controller.signal);
      if (stopped) return { ok: false, attempts: attempt, reason: 'stopped' };
      if (result.kind === 'ok') {
        log.info({ service: DISCOVERY_SERVICE, url: opts.mcpUrl, uuid: result.uuid, attempts: attempt }, 'announced to Home Assistant (add-on discovery)');
        return { ok: true, uuid: result.uuid, attempts: attempt };
      }
      if (result.kind === 'fatal' || attempt >= maxAttempts) {
        log.warn(
          { service: DISCOVERY_SERVICE, attempts: attempt, reason: result.reason },
          'add-on discovery failed: Home Assistant will not offer this server by itself; add it to the MCP integration by hand',
        );
        return { ok: false, attempts: attempt, reason: result.reason };
      }
      // Full jitter: anywhere between 0 and the capped exponential delay, but never sooner than Retry-After.
      const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.max(Math.floor(random() * cap), Math.min(result.retryAfterMs ?? 0, maxDelayMs));
      log.debug({ attempt, reason: result.reason, delay_ms: delay }, 'Supervisor busy; retrying add-on discovery');
      await pause(delay);
      if (stopped) return { ok: false, attempts: attempt, reason: 'stopped' };
    }
  };

  return {
    done: run(),
    stop() {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      wake?.();
    },
  };
}

async function once(opts: DiscoveryOptions, stop: AbortSignal): Promise<Attempt> {
  let res: Response;
  try {
    res = await fetch(`${opts.supervisorUrl}/discovery`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${opts.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ service: DISCOVERY_SERVICE, config: { url: opts.mcpUrl } }),
      signal: AbortSignal.any([stop, AbortSignal.timeout(opts.timeoutMs ?? 10_000)]),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { kind: 'retry', reason: cause ?? (err as Error).name ?? 'network error' };
  }
  const text = await res.text().catch(() => '');
  let body: { result?: unknown; message?: unknown; data?: { uuid?: unknown } } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (res.ok && body?.result === 'ok') {
    return { kind: 'ok', uuid: typeof body.data?.uuid === 'string' ? body.data.uuid : undefined };
  }
  const message = typeof body?.message === 'string' ? `: ${body.message.slice(0, 200)}` : '';
  const reason = `HTTP ${res.status}${message}`;
  if (res.status >= 500 || res.status === 429) return { kind: 'retry', reason, retryAfterMs: retryAfter(res.headers.get('retry-after')) };
  return { kind: 'fatal', reason };
}

/** Retry-After in seconds (the HTTP-date form is rare from the Supervisor and ignored). */
function retryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
