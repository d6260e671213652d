// startSimulator(): a Home Assistant look-alike on a real port (REST + WebSocket), driven by
// tests, scripts/dev and the benchmarks. Plain node:http + ws so every byte is under control.
import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { TokenStore, type SimUser } from './auth.js';
import { FaultState } from './faults.js';
import { OAuthStore } from './oauth.js';
import { addHousehold } from './homes/household.js';
import { resolveHome } from './homes/index.js';
import { sendReply, text } from './http/respond.js';
import { route } from './http/router.js';
import type { HomeData, SimState } from './model.js';
import { startAutomations } from './state/automations.js';
import { listedItem, todoItems } from './state/domains/lists.js';
import { newContext } from './state/context.js';
import { SimHome } from './state/home.js';
import { Recorder } from './state/recorder.js';
import type { LogRecord, SystemState } from './state/system.js';
import { warmTemplates } from './template.js';
import { hexId, randomToken } from './util/ids.js';
import { WsConnection } from './ws/connection.js';
import { applyToState } from './ws/commands/registry.js';

export interface SimOptions {
  /** 0 = random. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Valid access tokens; default one random token. */
  tokens?: string[];
  home?: 'demo' | number | HomeData;
  /** Seed for generated homes. */
  seed?: number;
  /** Serve HTTPS/WSS. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The owner's login name for the login flow (/auth/*); default "demo". */
  user?: string;
  /** The owner's password; default a random one (see sim.auth.password). */
  password?: string;
}

export interface SimHomeControl {
  getState(id: string): SimState | undefined;
  /** Sets a state (attributes default to the current ones); fires state_changed and entity frames. */
  setState(id: string, state: string, attributes?: Record<string, unknown>): SimState;
  removeState(id: string): void;
  /** Renames an entity (registry entry and state), like the entity registry update command. */
  renameEntity(oldId: string, newId: string): void;
  /** Fires area_registry_updated. */
  updateArea(areaId: string, changes: Record<string, unknown>): void;
  /** Fires entity_registry_updated. */
  updateEntityRegistry(entityId: string, changes: Record<string, unknown>): void;
  /** A registry entry as stored, or undefined. */
  registryEntry(kind: 'area' | 'floor' | 'label' | 'device' | 'entity', id: string): Record<string, unknown> | undefined;
  /** Fires a custom event on the bus (origin LOCAL). */
  fireEvent(eventType: string, data?: Record<string, unknown>): void;
  /** Changes the core config (get_config, GET /api/config), e.g. external_url; fires core_config_updated with the changes, as Home Assistant does. */
  updateCoreConfig(changes: Record<string, unknown>): void;
  /** Adds cameras, calendars and a to-do list (sim/homes/household.ts), which generated homes lack. */
  addHousehold(): void;
  /** A to-do list's items as todo/item/list gives them. */
  todoItems(entityId: string): Record<string, unknown>[];
}

export interface Simulator {
  /** http(s)://127.0.0.1:PORT */
  url: string;
  /** ws(s)://127.0.0.1:PORT/api/websocket */
  wsUrl: string;
  port: number;
  /** The first valid token. */
  token: string;
  addToken(token: string, user?: { id: string; name: string; is_admin?: boolean }): void;
  /** REST 401 from now on; open sockets authenticated with it are closed. */
  revokeToken(token: string): void;
  faults: {
    /** Close every open WS (like a network cut); the server keeps running. */
    dropWebSockets(): void;
    /** New TCP connections are reset at once while on (existing ones stay). */
    refuseConnections(on: boolean): void;
    /** Delay every REST answer and WS reply. */
    setLatency(ms: number): void;
    /** Answer the next `count` (default: all until null) REST requests with this status. */
    failRest(status: number | null, count?: number): void;
    /** Like HA restarting: drop sockets, refuse briefly, come back; states kept, subscribers gone. */
    restart(): Promise<void>;
  };
  home: SimHomeControl;
  /** Home Assistant's login (login flow, /auth/authorize, OAuth tokens). */
  auth: {
    /** The owner's user name and password. */
    username: string;
    password: string;
    /** Another login, e.g. a non-admin user. */
    addUser(username: string, password: string, user: { id: string; name: string; is_admin?: boolean }): void;
    /** Moves the login clock forward: codes (10 min), access tokens (1800 s) and refresh tokens expire by it. */
    advanceClock(seconds: number): void;
  };
  stats: { restRequests: number; wsMessages: number; wsConnections: number };
  /** Home Assistant's logs and housekeeping (sim/state/system.ts). */
  system: {
    /** A log record: into the error log file, and WARNING and up into system_log/list. */
    log(record: LogRecord): void;
    /** What POST /api/config/core/check_config answers from now on. */
    setCheckConfig(result: SystemState['checkConfig']): void;
  };
  close(): Promise<void>;
}

const RESTART_PAUSE_MS = 150;

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const data = await resolveHome(opts.home, opts.seed);
  await warmTemplates();
  const home = new SimHome(data);
  const recorder = new Recorder(home);
  const stopAutomations = startAutomations(home);
  // Build the get_states answer right after start (not during it), so the first read is fast too.
  setImmediate(() => home.store.allStatesBuffer());
  const recordedUser = data.extras?.currentUser;
  const defaultUser: SimUser = recordedUser
    ? { id: String(recordedUser.id), name: String(recordedUser.name), is_admin: recordedUser.is_admin !== false }
    : { id: hexId(), name: 'Simulator', is_admin: true };
  const tokens = new TokenStore(defaultUser);
  for (const t of opts.tokens?.length ? opts.tokens : [randomToken()]) tokens.add(t);
  const oauth = new OAuthStore(tokens);
  const login = { username: opts.user ?? 'demo', password: opts.password ?? randomToken().slice(0, 16) };
  oauth.addLogin(login.username, login.password, defaultUser);
  const authDeps = { oauth, startedAt: new Date() };
  const faults = new FaultState();
  const stats = { restRequests: 0, wsMessages: 0, wsConnections: 0 };
  const host = opts.host ?? '127.0.0.1';
  const connections = new Set<WsConnection>();
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true });

  const wsDeps = {
    home,
    recorder,
    tokens,
    oauth,
    latency: () => faults.latencyMs,
    countMessage: () => void stats.wsMessages++,
  };

  tokens.onRevoke((token) => {
    for (const c of connections) if (c.token === token) c.close();
  });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.restRequests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const failure = faults.takeRestFailure();
    const reply = failure !== null ? text(failure, `${failure}: ${STATUS_CODES[failure] ?? 'Error'}`) : await route({ home, recorder, tokens, auth: authDeps }, req, body);
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (!res.destroyed) sendReply(res, reply);
  }

  function onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (new URL(req.url ?? '/', 'http://sim').pathname !== '/api/websocket') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      stats.wsConnections++;
      const conn = new WsConnection(ws, wsDeps);
      connections.add(conn);
      ws.on('close', () => connections.delete(conn));
    });
  }

  let server: Server | null = null;
  let refusing = false;
  let port = opts.port ?? 0;

  function listen(): Promise<void> {
    const s: Server = opts.tls
      ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert })
      : createHttpServer();
    s.keepAliveTimeout = 5000;
    s.on('request', (req, res) => {
      onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendReply(res, text(500, `500: ${(err as Error).message}`));
      });
    });
    s.on('upgrade', onUpgrade);
    s.on('connection', (sock: Socket) => {
      if (refusing) {
        sock.destroy();
        return;
      }
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    if (opts.tls) {
      s.on('secureConnection', (sock: Socket) => {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
      });
    }
    return new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => {
        s.off('error', reject);
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });
  }

  function stopListening(): void {
    const s = server;
    server = null;
    s?.close();
  }

  function dropAll(): void {
    for (const c of connections) c.terminate();
    connections.clear();
    for (const s of sockets) s.destroy();
    sockets.clear();
  }

  await listen();
  const scheme = opts.tls ? 'https' : 'http';
  const wsScheme = opts.tls ? 'wss' : 'ws';

  const control: SimHomeControl = {
    getState: (id) => home.store.get(id),
    setState: (id, state, attributes) => {
      const cur = home.store.get(id);
      return home.store.set(id, state, attributes ?? cur?.attributes ?? {}, { context: newContext() }).state;
    },
    removeState: (id) => void home.store.remove(id),
    renameEntity: (oldId, newId) => {
      if (home.registries.entities.has(oldId)) home.registries.updateEntity(oldId, { new_entity_id: newId });
      const st = home.store.get(oldId);
      if (st) {
        const context = newContext();
        home.store.remove(oldId, context);
        home.store.set(newId, st.state, st.attributes, { context });
      }
    },
    updateArea: (areaId, changes) => {
      if (!home.registries.updateArea(areaId, changes)) throw new Error(`no area ${areaId}`);
    },
    updateEntityRegistry: (entityId, changes) => {
      if (!home.registries.updateEntity(entityId, changes)) throw new Error(`no entity registry entry ${entityId}`);
      applyToState({ home, user: undefined } as unknown as Parameters<typeof applyToState>[0], entityId, changes);
    },
    registryEntry: (kind, id) => {
      const r = home.registries;
      return (kind === 'area' ? r.areas : kind === 'floor' ? r.floors : kind === 'label' ? r.labels : kind === 'device' ? r.devices : r.entities).get(id);
    },
    fireEvent: (eventType, eventData = {}) => void home.bus.fire(eventType, eventData, newContext()),
    updateCoreConfig: (changes) => {
      Object.assign(home.data.config, changes);
      home.bus.fire('core_config_updated', changes, newContext());
    },
    addHousehold: () => addHousehold(home),
    todoItems: (entityId) => todoItems(home, entityId).map(listedItem),
  };

  const sim: Simulator = {
    get url() {
      return `${scheme}://${host}:${port}`;
    },
    get wsUrl() {
      return `${wsScheme}://${host}:${port}/api/websocket`;
    },
    get port() {
      return port;
    },
    get token() {
      return tokens.first() ?? '';
    },
    addToken: (token, user) => tokens.add(token, user ? { is_admin: true, ...user } : defaultUser),
    revokeToken: (token) => tokens.revoke(token),
    faults: {
      dropWebSockets: () => {
        for (const c of connections) c.terminate();
        connections.clear();
      },
      refuseConnections: (on) => {
        // Stays listening but resets every new connection at once, so switching back is synchronous.
        refusing = on;
      },
      setLatency: (ms) => {
        faults.latencyMs = Math.max(0, ms);
      },
      failRest: (status, count) => {
        faults.restFailure = status === null ? null : { status, remaining: count ?? Infinity };
      },
      restart: async () => {
        stopListening();
        dropAll();
        await new Promise((r) => setTimeout(r, RESTART_PAUSE_MS));
        await listen();
      },
    },
    home: control,
    auth: {
      ...login,
      addUser: (username, password, user) => oauth.addLogin(username, password, { is_admin: true, ...user }),
      advanceClock: (seconds) => oauth.advanceClock(seconds),
    },
    stats,
    system: {
      log: (record) => home.system.record(record),
      setCheckConfig: (result) => {
        home.system.checkConfig = result;
      },
    },
    close: async () => {
      stopAutomations();
      recorder.close();
      home.close();
      const s = server;
      server = null;
      dropAll();
      wss.close();
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
  };
  return sim;
}
