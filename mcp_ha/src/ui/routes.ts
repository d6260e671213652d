// The add-on page's routes on a Fastify instance, under a base path: '' on the ingress listener,
// '/ui' on the main one. The same JSON API serves both; who is asking comes from viewerOf (ingress
// headers, or the bearer caller), and every action that changes something needs an admin.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { matches, type AuditFilter } from '../audit/query.js';
import type { AuditRecord } from '../audit/record.js';
import { undo } from '../audit/undo.js';
import { AppError, toAppError } from '../errors.js';
import { estimateTokens } from '../home/tokens.js';
import { describeTool } from '../mcp/toolCatalog.js';
import { toolsFor } from '../tools/registry.js';
import { accessOf } from './access.js';
import { createApiKey, NewKeyBody } from './apiKeys.js';
import { PAGE_HEADERS } from './assets.js';
import { connectInfo } from './connect.js';
import type { UiService } from './service.js';
import { safeArguments } from './toolRunner.js';
import { statusOf } from './status.js';
import type { Viewer } from './viewer.js';

export interface UiRouteOptions {
  /** '' or a path such as '/ui', without trailing slash. */
  base: string;
  /** Who asks; undefined answers 401. */
  viewerOf(req: FastifyRequest): Viewer | undefined;
}

const MAX_AUDIT = 100;
const short = z.string().max(200).optional();
const AuditQuery = z.object({
  tool: short,
  service: short,
  outcome: z.enum(['pending', 'success', 'refused', 'failed', 'unknown']).optional(),
  entity_id: short,
  caller: short,
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT).optional(),
});
const RunBody = z.object({ tool: z.string().min(1).max(100), arguments: z.record(z.string(), z.unknown()).optional() });
const DecisionBody = z.object({ approve: z.boolean() });
const IdParam = z.object({ id: z.string().min(1).max(64) });
const NoBody = z.object({});
const ConsentBody = z.object({ user_id: z.string().min(1).max(128), client_id: z.string().min(1).max(2000) });
const INGRESS_PATH = /^\/api\/hassio_ingress\/[A-Za-z0-9_-]{1,128}$/;

function send(reply: FastifyReply, err: unknown): FastifyReply {
  const e = toAppError(err);
  return reply.code(e.statusCode).header('cache-control', 'no-store').send(e.toBody());
}

/** Bodies arrive as text (the apps parse JSON-RPC themselves); JSON only, which also keeps cross-site forms out. */
function body<S extends z.ZodType>(req: FastifyRequest, schema: S): z.infer<S> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new AppError('invalid_input', 'The page API takes JSON.', 'Send Content-Type: application/json.', { statusCode: 415 });
  }
  let raw: unknown;
  try {
    raw = typeof req.body === 'string' && req.body !== '' ? JSON.parse(req.body) : {};
  } catch {
    throw new AppError('invalid_input', 'The body is not valid JSON.', 'Send a JSON object.');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AppError('invalid_input', `Invalid ${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`, 'Fix the field and try again.');
  }
  return parsed.data;
}

function requireAdmin(viewer: Viewer): void {
  if (!viewer.admin) throw new AppError('forbidden', `${viewer.name} may look but not act here.`, viewer.reason ?? 'Ask a Home Assistant administrator.');
}

const states = (snaps: AuditRecord['before']): Record<string, string> | undefined =>
  snaps ? Object.fromEntries(Object.entries(snaps).map(([id, s]) => [id, s.state])) : undefined;

export function registerUiRoutes(app: FastifyInstance, ui: UiService, opts: UiRouteOptions): void {
  const { base } = opts;
  const { deps } = ui;
  const api = (method: 'GET' | 'POST', path: string, handler: (req: FastifyRequest, viewer: Viewer) => Promise<unknown>) =>
    app.route({
      method,
      url: `${base}/api/${path}`,
      handler: async (req, reply) => {
        try {
          const viewer = opts.viewerOf(req);
          if (!viewer) throw new AppError('unauthorized', 'No Home Assistant user on this request.', 'Open the page from Home Assistant\'s sidebar.');
          const out = await handler(req, viewer);
          return reply.header('cache-control', 'no-store').send(out);
        } catch (err) {
          return send(reply, err);
        }
      },
    });

  const asset = (name: string) => async (_req: FastifyRequest, reply: FastifyReply) => {
    const a = ui.assets.get(name);
    if (!a) return send(reply, new AppError('not_found', 'The page is not built.', 'Run npm run build (scripts/dev does), then restart.', { statusCode: 503 }));
    return reply.headers(PAGE_HEADERS).header('cache-control', name === 'index.html' ? 'no-cache' : 'public, max-age=300').type(a.type).send(a.body);
  };
  app.get(`${base}/`, asset('index.html'));
  app.get(`${base}/app.js`, asset('app.js'));
  app.get(`${base}/app.css`, asset('app.css'));
  // The page links everything relatively: /ui must become /ui/ (a relative Location works under any proxy prefix too).
  if (base) app.get(base, async (_req, reply) => reply.redirect(`${base.split('/').pop()}/`, 302));

  api('GET', 'whoami', async (req, v) => {
    const ingressPath = req.headers['x-ingress-path'];
    return { via: v.via, name: v.name, admin: v.admin, reason: v.reason ?? null, ingress_path: typeof ingressPath === 'string' && INGRESS_PATH.test(ingressPath) ? ingressPath : null };
  });
  api('GET', 'status', async () => statusOf({ ha: deps.ha, sessions: ui.mcp.sessions, tally: ui.tally, startedAt: ui.startedAt, lastResync: ui.lastResync }));
  api('GET', 'connect', async () => ({ ...connectInfo(deps.config), can_create_keys: deps.config.supervisor !== undefined }));
  api('POST', 'keys', async (req, v) => {
    requireAdmin(v);
    const { name } = body(req, NewKeyBody);
    const made = await createApiKey(deps.config.supervisor, name);
    deps.logger.info({ key_name: made.name, by: v.name }, 'api key created from the page');
    return { ...made, note: 'Shown once: copy it now. It works after the add-on restarts.' };
  });

  api('GET', 'tools', async () => {
    const tools = toolsFor(deps.config.toolsets).map((t) => {
      const d = describeTool(t);
      return {
        name: t.name,
        title: t.title,
        description: t.description,
        toolset: t.toolset,
        read: t.annotations.readOnlyHint,
        tokens: estimateTokens(JSON.stringify(d)),
        input_schema: d.inputSchema,
        defaults: t.annotations.readOnlyHint ? safeArguments(t.name, deps.ha) : null,
      };
    });
    return { tools, total_tokens: tools.reduce((n, t) => n + t.tokens, 0) };
  });
  api('POST', 'test-all', async (_req, v) => ({ results: await ui.runner.testAll(v.caller) }));
  api('POST', 'run', async (req, v) => {
    const b = body(req, RunBody);
    return ui.runner.run(b.tool, b.arguments ?? {}, v.caller);
  });

  api('GET', 'approvals', async () => {
    const a = deps.approvals;
    return { enabled: a?.enabled ?? false, pending: a?.pending() ?? [], decisions: a?.decisions() ?? [] };
  });
  api('POST', 'approvals/:id', async (req, v) => {
    requireAdmin(v);
    const { id } = IdParam.parse(req.params);
    const { approve } = body(req, DecisionBody);
    const d = deps.approvals?.decide(id, approve, v.name);
    if (!d) throw new AppError('not_found', 'That call is no longer waiting (decided, expired or withdrawn).', 'Reload the list.');
    deps.logger.info({ approval: id, tool: d.tool, caller: d.caller, decision: d.decision, by: v.name }, 'approval decided on the page');
    return d;
  });

  api('GET', 'audit', async (req) => {
    const q = AuditQuery.safeParse(req.query);
    if (!q.success) throw new AppError('invalid_input', `Invalid filter ${q.error.issues[0]?.path.join('.')}.`, 'Fix the filter and try again.');
    const f: AuditFilter = { tool: q.data.tool || undefined, service: q.data.service || undefined, outcome: q.data.outcome, entityId: q.data.entity_id || undefined, caller: q.data.caller || undefined };
    const all = await deps.audit.readAll();
    // The client behind a record, while its session is open (session ids stay on the server).
    const clients = new Map(ui.mcp.sessions.summary().map((x) => [x.id, x.client]));
    const hits = all.filter((r) => matches(r, f)).reverse();
    const records = hits.slice(0, q.data.limit ?? 50).map((r) => ({
      id: r.id,
      ts: r.ts,
      caller: r.caller,
      client: (r.session && clients.get(r.session)) ?? null,
      tool: r.tool,
      service: r.service,
      entities: r.entities.slice(0, 20),
      data: r.data,
      outcome: r.outcome,
      error: r.error ?? null,
      duration_ms: r.duration_ms ?? null,
      before: states(r.before) ?? null,
      after: states(r.after) ?? null,
      undo_of: r.undo_of ?? null,
      confirmed_by: r.confirmed_by ?? null,
      undoable: (r.outcome === 'success' || r.outcome === 'unknown') && Object.keys(r.before ?? {}).length > 0,
    }));
    return { records, matched: hits.length, has_more: hits.length > records.length };
  });
  api('POST', 'audit/:id/undo', async (req, v) => {
    requireAdmin(v);
    const { id } = IdParam.parse(req.params);
    if (deps.config.policy.readOnly) throw new AppError('read_only', 'The server is read-only: undo would be refused.', 'Turn off the add-on option read_only to undo.');
    // The admin's click is the confirmation: the restore calls do not ask again.
    const result = await undo(deps, { id, caller: v.caller, sessionId: undefined, elicit: async () => 'accept' });
    deps.logger.info({ undo_of: id, by: v.name }, 'undo from the page');
    return result;
  });

  api('GET', 'access', async () => accessOf(deps.config, ui.oauth));
  const grants = () => {
    if (!ui.oauth) throw new AppError('not_found', 'OAuth sign-in is off: there are no grants or consents.', 'Set the add-on option base_url to turn OAuth on.');
    return ui.oauth.grants;
  };
  api('POST', 'oauth/grants/:id/revoke', async (req, v) => {
    requireAdmin(v);
    const p = IdParam.safeParse(req.params);
    if (!p.success) throw new AppError('invalid_input', 'That is not a grant id.', 'Use an id from GET api/access (oauth.clients[].grants[].id).');
    const { id } = p.data;
    body(req, NoBody);
    if (!(await grants().revoke(id))) throw new AppError('not_found', 'No such grant (revoked or expired already).', 'Reload the Access section.');
    deps.logger.info({ grant: id.slice(0, 8), by: v.name }, 'oauth grant revoked from the page');
    return { revoked: true };
  });
  api('POST', 'oauth/consents/forget', async (req, v) => {
    requireAdmin(v);
    const { user_id, client_id } = body(req, ConsentBody);
    const g = grants();
    if (!g.consents({ userId: user_id, clientId: client_id }).length && !g.list({ userId: user_id, clientId: client_id }).length) {
      throw new AppError('not_found', 'This user has no consent or grant for that client.', 'Reload the Access section.');
    }
    const ended = await g.revokeConsent(user_id, client_id);
    deps.logger.info({ user: user_id, client: client_id.slice(0, 200), ended_grants: ended, by: v.name }, 'oauth consent forgotten from the page');
    return { forgotten: true, ended_grants: ended };
  });
}
