// One WebSocket connection to Home Assistant, kept up forever: auth phase, message ids, pending
// commands with deadlines, subscriptions that survive reconnects, a heartbeat (HA's `ping`
// command, which also passes through the Supervisor proxy), and reconnects with exponential
// backoff and jitter. Emits 'status' (ConnectionStatus), 'connected' (after auth and after the
// subscriptions were re-sent) and 'disconnected'.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import type { AppError } from '../errors.js';
import { connectionLost, fromTransportError, fromWsError, timedOut, unreachable, type WsErrorBody } from './errors.js';
import type { ConnectionStatus } from './types.js';

export interface SocketOptions {
  url: string;
  token: string;
  ca: string[] | undefined;
  logger: Logger;
  backoff: { initialMs: number; maxMs: number };
  heartbeatMs: number;
  /** Deadline for the handshake, the auth phase and each command. */
  requestTimeoutMs: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: AppError): void;
  timer: NodeJS.Timeout;
  /** Runs synchronously with the result, before later frames of the same read are dispatched. */
  onSuccess?: (() => void) | undefined;
}

interface Subscription {
  msg: Record<string, unknown>;
  onEvent: (event: unknown) => void;
  onSubscribed: (() => void) | undefined;
  /** The id of the subscribing command on the current connection. */
  id: number | undefined;
}

interface ServerMessage {
  id?: number;
  type?: string;
  success?: boolean;
  result?: unknown;
  error?: WsErrorBody;
  event?: unknown;
  ha_version?: string;
  message?: string;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so clients spread out but never retry at once. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}

export class HaSocket extends EventEmitter {
  #status: ConnectionStatus = 'disconnected';
  #haVersion: string | undefined;
  #ws: WebSocket | undefined;
  /** Set between auth_ok and close: commands may be sent. */
  #live: WebSocket | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #byId = new Map<number, Subscription>();
  readonly #subscriptions = new Set<Subscription>();
  #started = false;
  #closed = false;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #downSince: number | undefined;
  #authErrorLogged = false;
  /** Home Assistant's words with the last auth_invalid (never contains the token). */
  #authMessage: string | undefined;
  /** Connections we dropped on purpose since the cache last synced; they back off like failures. */
  #restarts = 0;
  #restartPending = false;
  #firstAttempt: ((connected: boolean) => void) | undefined;

  constructor(private readonly opts: SocketOptions) {
    super();
  }

  get status(): ConnectionStatus {
    return this.#status;
  }
  get haVersion(): string | undefined {
    return this.#haVersion;
  }
  get connected(): boolean {
    return this.#live !== undefined;
  }

  /** Starts the connection loop; resolves after the first attempt (true if it authenticated). */
  start(): Promise<boolean> {
    if (this.#started || this.#closed) return Promise.resolve(this.connected);
    this.#started = true;
    const first = new Promise<boolean>((resolve) => (this.#firstAttempt = resolve));
    this.#connect();
    return first;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#settleFirst(false);
    const ws = this.#ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => ws.terminate(), 1000);
        ws.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000);
      });
    }
    this.#setStatus('disconnected');
  }

  /** Drops a connection that works but cannot serve us (e.g. a subscription timed out); reconnects with backoff. */
  restart(reason: string): void {
    const ws = this.#live;
    if (!ws) return;
    this.opts.logger.warn({ reason }, 'restarting the Home Assistant connection');
    this.#restartPending = true;
    ws.terminate();
  }

  /** The connection served a full cache sync: forced restarts start their backoff afresh. */
  markHealthy(): void {
    this.#restarts = 0;
  }

  /** One command; resolves with its `result`, rejects with an AppError. */
  command<T = unknown>(msg: Record<string, unknown>, timeoutMs = this.opts.requestTimeoutMs): Promise<T> {
    return this.#send(msg, timeoutMs) as Promise<T>;
  }

  /** A subscription that is re-established after every reconnect until its unsubscribe is called. */
  async subscribe(
    msg: Record<string, unknown>,
    onEvent: (event: unknown) => void,
    onSubscribed?: () => void,
  ): Promise<() => Promise<void>> {
    const sub: Subscription = { msg, onEvent, onSubscribed, id: undefined };
    await this.#sendSubscribe(sub);
    this.#subscriptions.add(sub);
    return async () => {
      this.#subscriptions.delete(sub);
      const id = sub.id;
      sub.id = undefined;
      if (id === undefined) return;
      this.#byId.delete(id);
      if (!this.#live) return;
      // Not found or a lost connection both mean the subscription is gone already.
      await this.command({ type: 'unsubscribe_events', subscription: id }).catch(() => undefined);
    };
  }

  #sendSubscribe(sub: Subscription): Promise<unknown> {
    let id: number | undefined;
    const register = (assigned: number): void => {
      id = assigned;
      sub.id = assigned;
      this.#byId.set(assigned, sub);
    };
    return this.#send(sub.msg, this.opts.requestTimeoutMs, sub.onSubscribed, register).catch((err: unknown) => {
      if (id !== undefined) this.#byId.delete(id);
      if (sub.id === id) sub.id = undefined;
      throw err;
    });
  }

  #send(
    msg: Record<string, unknown>,
    timeoutMs: number,
    onSuccess?: () => void,
    register?: (id: number) => void,
  ): Promise<unknown> {
    const ws = this.#live;
    if (!ws) return Promise.reject(unreachable('Home Assistant is not connected right now.'));
    const id = this.#nextId++;
    const { id: _callerId, ...rest } = msg;
    register?.(id);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(timedOut(`"${String(msg.type)}"`, timeoutMs));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer, onSuccess });
      ws.send(JSON.stringify({ id, ...rest }));
    });
  }

  #connect(): void {
    if (this.#closed) return;
    if (this.#status !== 'auth_failed') this.#setStatus('connecting');
    const { url, ca, requestTimeoutMs, logger } = this.opts;
    const ws = new WebSocket(url, { handshakeTimeout: requestTimeoutMs, ...(ca ? { ca } : {}) });
    this.#ws = ws;
    let authed = false;
    let failure: AppError | 'auth_invalid' | undefined;
    const authTimer = setTimeout(() => {
      failure ??= timedOut('the WebSocket authentication', requestTimeoutMs);
      ws.terminate();
    }, requestTimeoutMs);

    ws.on('error', (err) => {
      failure ??= fromTransportError(err, url);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let parsed: ServerMessage | ServerMessage[];
      try {
        parsed = JSON.parse(data.toString()) as ServerMessage | ServerMessage[];
      } catch {
        logger.warn('ignoring a non-JSON frame from Home Assistant');
        return;
      }
      if (authed) {
        // An array is several messages coalesced into one frame (supported_features).
        for (const m of Array.isArray(parsed) ? parsed : [parsed]) this.#dispatch(m);
        return;
      }
      const m = Array.isArray(parsed) ? parsed[0] : parsed;
      if (m?.type === 'auth_required') {
        ws.send(JSON.stringify({ type: 'auth', access_token: this.opts.token }));
      } else if (m?.type === 'auth_ok') {
        authed = true;
        clearTimeout(authTimer);
        this.#onAuthenticated(ws, m.ha_version);
      } else if (m?.type === 'auth_invalid') {
        failure = 'auth_invalid';
        this.#authMessage = m.message;
        clearTimeout(authTimer);
        ws.close();
      }
    });
    ws.on('close', () => {
      clearTimeout(authTimer);
      this.#onClose(ws, authed, failure);
    });
  }

  #onAuthenticated(ws: WebSocket, version: string | undefined): void {
    const { logger } = this.opts;
    this.#live = ws;
    this.#haVersion = version;
    this.#nextId = 1;
    this.#attempt = 0;
    if (this.#downSince !== undefined) {
      logger.info({ ha_version: version, down_ms: Date.now() - this.#downSince }, 'reconnected to Home Assistant');
    } else {
      logger.info({ ha_version: version, url: this.opts.url }, 'connected to Home Assistant');
    }
    this.#downSince = undefined;
    this.#authErrorLogged = false;
    this.#setStatus('connected');
    this.#startHeartbeat(ws);
    this.command({ type: 'supported_features', features: { coalesce_messages: 1 } }).catch(() => undefined);
    for (const sub of this.#subscriptions) {
      this.#sendSubscribe(sub).catch((err: unknown) => {
        const code = (err as AppError).code;
        if (code === 'ha_unreachable') return; // lost again; the next connect retries
        if (code === 'ha_timeout') return this.restart(`re-subscribing "${String(sub.msg.type)}" timed out`);
        logger.warn({ type: sub.msg.type, err: (err as Error).message }, 'Home Assistant refused a re-subscription; dropping it');
        this.#subscriptions.delete(sub);
      });
    }
    this.#settleFirst(true);
    this.emit('connected');
  }

  #dispatch(m: ServerMessage): void {
    if (typeof m.id !== 'number') return;
    if (m.type === 'event') {
      const sub = this.#byId.get(m.id);
      if (!sub) return; // a late event of a subscription we already ended
      try {
        sub.onEvent(m.event);
      } catch (err) {
        this.opts.logger.error({ err }, 'subscription handler failed');
      }
      return;
    }
    const p = this.#pending.get(m.id);
    if (!p) return;
    this.#pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.type === 'pong' || m.success) {
      p.onSuccess?.();
      p.resolve(m.result);
    } else {
      p.reject(fromWsError(m.error ?? { code: 'unknown_error', message: 'Home Assistant returned an error without details.' }));
    }
  }

  #onClose(ws: WebSocket, authed: boolean, failure: AppError | 'auth_invalid' | undefined): void {
    if (ws !== this.#ws) return;
    const { logger, backoff } = this.opts;
    this.#ws = undefined;
    this.#live = undefined;
    clearInterval(this.#heartbeat);
    const lost = authed ? connectionLost() : unreachable('Home Assistant is not connected right now.');
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(lost);
    }
    this.#pending.clear();
    this.#byId.clear();
    if (authed) this.emit('disconnected');
    this.#settleFirst(false);
    if (this.#closed) {
      this.#setStatus('disconnected');
      return;
    }

    let delay: number;
    if (failure === 'auth_invalid') {
      if (!this.#authErrorLogged) {
        logger.error(
          { url: this.opts.url, ha_message: this.#authMessage },
          'Home Assistant refused the access token; retrying slowly until it accepts it',
        );
        this.#authErrorLogged = true;
      }
      this.#setStatus('auth_failed');
      delay = backoffDelay(Infinity, backoff.initialMs, backoff.maxMs);
    } else {
      const reason = authed ? 'connection lost' : (failure?.message ?? 'connection closed during authentication');
      // Warn once per outage; the retries after that are routine.
      if (this.#downSince === undefined) logger.warn({ reason }, 'Home Assistant connection down; reconnecting');
      else logger.debug({ reason, attempt: this.#attempt }, 'reconnect attempt failed');
      this.#setStatus('disconnected');
      delay = this.#restartPending
        ? backoffDelay(this.#restarts++, backoff.initialMs, backoff.maxMs)
        : backoffDelay(this.#attempt++, backoff.initialMs, backoff.maxMs);
      this.#restartPending = false;
    }
    this.#downSince ??= Date.now();
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #startHeartbeat(ws: WebSocket): void {
    const { heartbeatMs } = this.opts;
    let waiting = false;
    this.#heartbeat = setInterval(() => {
      if (waiting || this.#live !== ws) return;
      waiting = true;
      this.command({ type: 'ping' }, heartbeatMs).then(
        () => (waiting = false),
        (err: AppError) => {
          waiting = false;
          if (err.code !== 'ha_timeout' || this.#live !== ws) return;
          this.restart(`no answer to a ping within ${heartbeatMs} ms`);
        },
      );
    }, heartbeatMs);
  }

  #settleFirst(connected: boolean): void {
    this.#firstAttempt?.(connected);
    this.#firstAttempt = undefined;
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.emit('status', status);
  }
}
