// The contract between the Home Assistant client (ha/) and its users (tools/, http/, policy/).
// Tools read from the live cache and write through callService with the caller's credentials.
import type { EventEmitter } from 'node:events';
import type { Area, Device, EntityEntry, Floor, HaConfig, HaState, Label, Services } from './schemas.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'auth_failed';

/** Whose credentials a request uses: the service's own (undefined) or a Home Assistant user's token. */
export interface Credentials {
  token?: string | undefined;
}

export interface ServiceCall {
  domain: string;
  service: string;
  target?: { entity_id?: string[]; device_id?: string[]; area_id?: string[]; floor_id?: string[]; label_id?: string[] } | undefined;
  service_data?: Record<string, unknown> | undefined;
  return_response?: boolean | undefined;
}

export interface ServiceCallResult {
  /** States changed by the call's context (REST semantics); empty when nothing changed. */
  changed_states: HaState[];
  response?: unknown;
  context?: { id: string; parent_id: string | null; user_id: string | null } | undefined;
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the answer is JSON, else the text; with `binary`, a 200's bytes (null when too large). */
  body: unknown;
}

/**
 * Live mirror of Home Assistant, kept current by the WebSocket subscription.
 * Events: 'state' (entity_id, newState | null, oldState | null), 'entities' ({added, removed}),
 * 'registry' (kind: 'area'|'floor'|'label'|'device'|'entity'), 'services', 'resync'.
 */
export interface HomeCache extends EventEmitter {
  /** True once the first full load finished; false again while a resync runs. */
  readonly ready: boolean;
  /** True once the first full load finished (states, registries, services); stays true. */
  readonly loaded: boolean;
  /** True while the data may be out of date: the socket is down or a resync runs (the last known data stays readable). */
  readonly stale: boolean;
  /** Millisecond timestamp of the last update from Home Assistant, or undefined. */
  readonly lastUpdate: number | undefined;
  getState(entityId: string): HaState | undefined;
  states(): IterableIterator<HaState>;
  readonly size: number;
  readonly services: Services;
  readonly config: HaConfig | undefined;
  readonly areas: ReadonlyMap<string, Area>;
  readonly floors: ReadonlyMap<string, Floor>;
  readonly labels: ReadonlyMap<string, Label>;
  readonly devices: ReadonlyMap<string, Device>;
  readonly entities: ReadonlyMap<string, EntityEntry>;
}

export interface HaClient {
  /** 'connected' once the socket is up and the cache has caught up after the last (re)connect. */
  readonly status: ConnectionStatus;
  /** Home Assistant version from auth_ok, once known. */
  readonly version: string | undefined;
  readonly cache: HomeCache;
  /** Connects and loads the cache; never throws for an unreachable Home Assistant (it keeps retrying). */
  start(): Promise<void>;
  /** Resolves once the cache is ready, or rejects with AppError('ha_unreachable') after timeoutMs. */
  waitReady(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
  /** One WebSocket command with the service's credentials; rejects with AppError. */
  command<T = unknown>(msg: Record<string, unknown>, opts?: { timeoutMs?: number }): Promise<T>;
  /** A WebSocket subscription (subscribe_events, subscribe_trigger, render_template...); returns its unsubscribe. */
  subscribe(msg: Record<string, unknown>, onEvent: (event: unknown) => void): Promise<() => Promise<void>>;
  /** REST request to the Core API (path starts with /api/); rejects with AppError on transport failure only. */
  rest(
    method: string,
    path: string,
    opts?: { body?: unknown; query?: Record<string, string>; creds?: Credentials; timeoutMs?: number; binary?: { maxBytes: number } },
  ): Promise<RestResponse>;
  callService(call: ServiceCall, creds?: Credentials): Promise<ServiceCallResult>;
  renderTemplate(template: string, variables?: Record<string, unknown>, creds?: Credentials): Promise<string>;
  /** Is this a valid Home Assistant access token? Checked with GET /api/ at the user-token base URL. */
  checkUserToken(token: string): Promise<boolean>;
}
