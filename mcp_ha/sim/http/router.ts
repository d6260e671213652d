// Maps method + path to REST handlers, with aiohttp's 404/405 answers and HA's 401.
import type { IncomingMessage } from 'node:http';
import type { TokenStore } from '../auth.js';
import type { SimHome } from '../state/home.js';
import type { Recorder } from '../state/recorder.js';
import { authRoute, type AuthDeps } from './authFlow.js';
import { cameraProxy } from './camera.js';
import * as configs from './configs.js';
import type { RestRequest } from './context.js';
import { historyPeriod, logbook } from './history.js';
import * as misc from './misc.js';
import { plain, type Reply } from './respond.js';
import { callService, getServices } from './services.js';
import { deleteState, getState, getStates, postState } from './states.js';

type Handler = (req: RestRequest) => Reply | Promise<Reply>;

interface Route {
  re: RegExp;
  methods: Record<string, Handler>;
  /** Methods only admins may use (HA raises Unauthorized -> 401 for others). */
  admin?: string[];
}

const P = '([^/]+)';
const routes: Route[] = [
  { re: /^\/api\/$/, methods: { GET: misc.apiStatus } },
  { re: /^\/api\/core\/state$/, methods: { GET: misc.coreState } },
  { re: /^\/api\/config$/, methods: { GET: misc.getConfig } },
  { re: /^\/api\/components$/, methods: { GET: misc.getComponents } },
  { re: /^\/api\/states$/, methods: { GET: getStates } },
  { re: new RegExp(`^/api/states/${P}$`), methods: { GET: getState, POST: postState, DELETE: deleteState }, admin: ['POST', 'DELETE'] },
  { re: /^\/api\/services$/, methods: { GET: getServices } },
  { re: new RegExp(`^/api/services/${P}/${P}$`), methods: { POST: callService } },
  { re: /^\/api\/events$/, methods: { GET: misc.listEvents } },
  { re: new RegExp(`^/api/events/${P}$`), methods: { POST: misc.fireEvent }, admin: ['POST'] },
  { re: /^\/api\/template$/, methods: { POST: misc.renderTemplate }, admin: ['POST'] },
  { re: /^\/api\/history\/period$/, methods: { GET: historyPeriod } },
  { re: new RegExp(`^/api/history/period/${P}$`), methods: { GET: historyPeriod } },
  { re: /^\/api\/logbook$/, methods: { GET: logbook } },
  { re: new RegExp(`^/api/logbook/${P}$`), methods: { GET: logbook } },
  { re: /^\/api\/error_log$/, methods: { GET: misc.errorLog }, admin: ['GET'] },
  { re: /^\/api\/calendars$/, methods: { GET: misc.listCalendars } },
  { re: new RegExp(`^/api/calendars/${P}$`), methods: { GET: misc.calendarEvents } },
  { re: /^\/api\/config\/core\/check_config$/, methods: { POST: misc.checkConfig }, admin: ['POST'] },
  // No Supervisor (/api/hassio/*, /api/hassio_ingress/*) and no /api/persistent_notification: aiohttp's 404, as recorded.
  { re: /^\/api\/shopping_list$/, methods: { GET: misc.shoppingList } },
  ...(['automation', 'script', 'scene'] as const).map((kind) => ({
    re: new RegExp(`^/api/config/${kind}/config/${P}$`),
    methods: { GET: configs.getItem(kind), POST: configs.postItem(kind), DELETE: configs.deleteItemRoute(kind) },
    admin: ['GET', 'POST', 'DELETE'],
  })),
];

export interface RouterDeps {
  home: SimHome;
  recorder: Recorder;
  tokens: TokenStore;
  /** The login and OAuth endpoints (/auth/*), which need no token. */
  auth: AuthDeps;
}

/** The bearer token of a request, only in HA's accepted form ("Bearer <token>"). */
export function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer (.+)$/.exec(header);
  return m?.[1];
}

export async function route(deps: RouterDeps, req: IncomingMessage, body: string): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const path = url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  const open = authRoute(deps.auth, req, path, body);
  if (open) return open;
  const picture = cameraProxy(deps, req, path, url.searchParams);
  if (picture) return picture;
  for (const r of routes) {
    const m = r.re.exec(path);
    if (!m) continue;
    const handler = r.methods[method];
    if (!handler) {
      const allow = [...Object.keys(r.methods), 'OPTIONS'].sort().join(',');
      return plain(405, 'Method Not Allowed', [['Allow', allow]]);
    }
    const user = deps.tokens.user(bearer(req.headers.authorization));
    if (!user) return plain(401, 'Unauthorized');
    if (r.admin?.includes(method) && !user.is_admin) return plain(401, 'Unauthorized');
    return handler({
      method,
      path,
      params: m.slice(1).map((p) => decodeURIComponent(p)),
      query: url.searchParams,
      body,
      user,
      home: deps.home,
      recorder: deps.recorder,
    });
  }
  return plain(404, 'Not Found');
}
