// One WebSocket client: the auth phase, id rules, batching/coalescing, and its subscriptions.
import type { WebSocket, RawData } from 'ws';
import type { SimUser, TokenStore } from '../auth.js';
import type { OAuthStore } from '../oauth.js';
import type { SimHome } from '../state/home.js';
import type { Recorder } from '../state/recorder.js';
import { pyRepr } from '../util/pyrepr.js';
import { COMMANDS } from './commands/index.js';
import { validate } from './schema.js';

export const HA_VERSION = '2026.2.0.dev0';

/** HA closes a connection that has not authenticated within 10 seconds. */
const AUTH_TIMEOUT_MS = 10_000;

export interface WsDeps {
  home: SimHome;
  recorder: Recorder;
  tokens: TokenStore;
  oauth: OAuthStore;
  latency(): number;
  countMessage(): void;
}

export interface ErrorExtra {
  translation_key: string;
  translation_placeholders: Record<string, string>;
  translation_domain: string;
}

export class WsConnection {
  private authed = false;
  private lastId = 0;
  private coalesce = false;
  private queue: string[] = [];
  private flushScheduled = false;
  private closed = false;
  private authTimer: NodeJS.Timeout | undefined;
  readonly subscriptions = new Map<number, () => void>();
  user: SimUser | undefined;
  token: string | undefined;

  constructor(readonly socket: WebSocket, readonly deps: WsDeps) {
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('close', () => this.cleanup());
    socket.on('error', () => this.cleanup());
    this.send(`{"type":"auth_required","ha_version":"${HA_VERSION}"}`);
    this.authTimer = setTimeout(() => {
      if (!this.authed) this.close();
    }, AUTH_TIMEOUT_MS);
    this.authTimer.unref();
  }

  get home(): SimHome {
    return this.deps.home;
  }

  get recorder(): Recorder {
    return this.deps.recorder;
  }

  setCoalesce(on: boolean): void {
    this.coalesce = on;
  }

  /** Queues one message; everything queued in the same turn goes out together. */
  send(message: string): void {
    if (this.closed) return;
    this.queue.push(message);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      const latency = this.deps.latency();
      if (latency > 0) setTimeout(() => this.flush(), latency);
      else queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (this.closed || this.socket.readyState !== this.socket.OPEN || !batch.length) return;
    if (this.coalesce && batch.length > 1) this.socket.send(`[${batch.join(',')}]`);
    else for (const m of batch) this.socket.send(m);
  }

  result(id: number, resultJson = 'null'): void {
    this.send(`{"id":${id},"type":"result","success":true,"result":${resultJson}}`);
  }

  error(id: unknown, code: string, message: string, extra?: ErrorExtra): void {
    const error: Record<string, unknown> = { code, message };
    if (extra) Object.assign(error, extra);
    this.send(`{"id":${JSON.stringify(id ?? null)},"type":"result","success":false,"error":${JSON.stringify(error)}}`);
  }

  /** An event frame with "id" first (render_template, subscribe_trigger, streams, initial entities). */
  eventIdFirst(id: number, eventJson: string): void {
    this.send(`{"id":${id},"type":"event","event":${eventJson}}`);
  }

  /** An event frame with "id" last (subscribe_events, subscribe_entities diffs). */
  eventIdLast(id: number, eventJson: string): void {
    this.send(`{"type":"event","event":${eventJson},"id":${id}}`);
  }

  /** Closes like a server-side close (code 1000 by default). */
  close(code = 1000): void {
    if (this.closed) return;
    // Let queued frames (auth_invalid) go out before the close frame.
    this.flush();
    this.cleanup();
    this.socket.close(code);
  }

  /** Drops the TCP connection without a close frame (network cut). */
  terminate(): void {
    this.cleanup();
    this.socket.terminate();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.authTimer);
    for (const off of this.subscriptions.values()) off();
    this.subscriptions.clear();
  }

  private onMessage(raw: RawData, isBinary: boolean): void {
    if (this.closed) return;
    if (isBinary && this.authed) return; // no binary handlers: HA ignores the frame
    const text = Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8');
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.close();
      return;
    }
    if (!this.authed) return this.onAuth(msg);
    if (Array.isArray(msg)) for (const m of msg) this.handle(m);
    else this.handle(msg);
  }

  private onAuth(msg: unknown): void {
    const invalid = (message: string): void => {
      this.send(JSON.stringify({ type: 'auth_invalid', message }));
      this.close();
    };
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return invalid(`Auth message incorrectly formatted: expected a dictionary. Got ${pyRepr(msg)}`);
    }
    const m = msg as Record<string, unknown>;
    const errors: string[] = [];
    for (const [k, v] of Object.entries(m)) {
      if (k === 'type') {
        if (v !== 'auth') errors.push(`not a valid value for dictionary value @ data['type']. Got ${pyRepr(v)}`);
      } else if (k === 'access_token' || k === 'api_password') {
        if (typeof v !== 'string') errors.push(`expected str for dictionary value @ data['${k}']. Got ${pyRepr(v)}`);
      } else errors.push(`extra keys not allowed @ data['${k}']. Got ${pyRepr(v)}`);
    }
    if (!('type' in m)) errors.push("required key not provided @ data['type']. Got None");
    if (errors.length) return invalid(`Auth message incorrectly formatted: ${errors.join('\n')}`);
    const token = typeof m.access_token === 'string' ? m.access_token : undefined;
    const user = this.deps.tokens.user(token);
    if (!user) return invalid('Invalid access token or password');
    this.user = user;
    this.token = token;
    this.authed = true;
    clearTimeout(this.authTimer);
    this.send(`{"type":"auth_ok","ha_version":"${HA_VERSION}"}`);
  }

  private handle(msg: unknown): void {
    this.deps.countMessage();
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return this.error(0, 'invalid_format', 'Message incorrectly formatted.');
    }
    const m = msg as Record<string, unknown>;
    const id = m.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0 || typeof m.type !== 'string') {
      return this.error(id ?? null, 'invalid_format', 'Message incorrectly formatted.');
    }
    if (id <= this.lastId) return this.error(id, 'id_reuse', 'Identifier values have to increase.');
    const command = COMMANDS[m.type];
    if (!command) return this.error(id, 'unknown_command', 'Unknown command.');
    this.lastId = id;
    if (command.adminOnly && !this.user?.is_admin) return this.error(id, 'unauthorized', 'Unauthorized');
    const problem = command.ownValidation ? null : validate(m, command.schema ?? {});
    if (problem) return this.error(id, 'invalid_format', problem);
    try {
      command.handler(this, id, m);
    } catch (err) {
      this.error(id, 'unknown_error', (err as Error).message || 'Unknown error');
    }
  }
}
