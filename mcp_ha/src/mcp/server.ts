// The one module that builds the MCP SDK's server: a low-level Server per 2025 session, per
// 2026-07-28 request, per stdio or SSE connection, with our tool registry behind tools/list and
// tools/call and the resources behind resources/*.
import { CLIENT_CAPABILITIES_META_KEY, ProtocolError, ProtocolErrorCode, Server, type CallToolResult, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { callerLabel, type Caller } from '../auth/caller.js';
import { AppError } from '../errors.js';
import { toolsFor } from '../tools/registry.js';
import type { AppDeps, ToolContext, ToolDef } from '../tools/tool.js';
import { VERSION } from '../version.js';
import { confirmationRound, REQUEST_STATE, type ConfirmationRound } from './confirmRound.js';
import { handle } from './handle.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import type { SessionSubscriptions } from './subscriptions.js';
import { describeTool } from './toolCatalog.js';
import { errorResult, okResult } from './toolResult.js';

const INSTRUCTIONS =
  'Home Assistant: read the home from a live cache and act through services. ' +
  'Start with ha_overview, find entities with ha_search_entities, act with ha_call_service. ' +
  'Errors are JSON {error, message, suggestion}: follow the suggestion.';

export type Era = 'legacy' | 'modern';

export interface SessionInfo {
  caller: Caller;
  /** 'modern' serves 2026-07-28 requests (per-request envelope); 'legacy' the 2025 revisions. */
  era: Era;
  /** Read lazily: a transport assigns the session id after the server is created. */
  sessionId(): string | undefined;
  /** The session's resources/subscribe set; absent where there is no session to hold one. */
  subscriptions?: SessionSubscriptions | undefined;
}

const ListTools = z.object({ method: z.literal('tools/list'), params: z.looseObject({ cursor: z.string().max(100).optional() }).optional() });
const CallTool = z.object({
  method: z.literal('tools/call'),
  params: z.looseObject({ name: z.string().max(256), arguments: z.record(z.string(), z.unknown()).optional() }),
});

function invalidInput(def: ToolDef, issues: { path: PropertyKey[]; message: string }[]): AppError {
  const text = issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
  return new AppError('invalid_input', `Invalid arguments for ${def.name}: ${text}`, "Fix the arguments to match the tool's inputSchema and call again.", {
    details: { issues: issues.slice(0, 5).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
  });
}

/** How this request can reach the human: push elicitation (2025 sessions), an input_required round (2026-07-28), or neither. */
function confirmationChannel(server: Server, info: SessionInfo, ctx: ServerContext): 'elicit' | 'input_required' | 'none' {
  if (info.era === 'modern') {
    const envelope = ctx.mcpReq.envelope as Record<string, { elicitation?: unknown } | undefined> | undefined;
    return envelope?.[CLIENT_CAPABILITIES_META_KEY]?.elicitation !== undefined ? 'input_required' : 'none';
  }
  return server.getClientCapabilities()?.elicitation !== undefined ? 'elicit' : 'none';
}

export function createMcpServer(deps: AppDeps, info: SessionInfo): Server {
  const tools = toolsFor(deps.config.toolsets);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const server = new Server(
    { name: 'mcp-ha', title: 'Home Assistant', version: VERSION },
    {
      capabilities: { tools: { listChanged: false }, resources: { listChanged: true, subscribe: true }, prompts: { listChanged: false }, completions: {}, logging: {} },
      instructions: INSTRUCTIONS,
      requestState: { verify: REQUEST_STATE.verify },
      // The tool list only changes with the add-on's options (a restart); resources follow the home.
      cacheHints: {
        'tools/list': { ttlMs: 300_000, cacheScope: 'private' },
        'prompts/list': { ttlMs: 300_000, cacheScope: 'public' },
        'resources/templates/list': { ttlMs: 300_000, cacheScope: 'public' },
      },
    },
  );

  // Resources listen to the shared cache for list changes; stop when the server closes.
  server.onclose = registerResources(server, deps, info.subscriptions);

  registerPrompts(server, deps);
  handle(server, 'tools/list', ListTools, async () => ({ tools: tools.map(describeTool) }));

  const run = async (def: ToolDef, args: unknown, ctx: ToolContext): Promise<CallToolResult> => {
    const started = performance.now();
    try {
      const value = await def.run(args as never, ctx);
      deps.logger.debug({ tool: def.name, caller: callerLabel(info.caller), ms: Math.round(performance.now() - started) }, 'tool call');
      return okResult(value as Parameters<typeof okResult>[0]);
    } catch (err) {
      if (!(err instanceof AppError)) deps.logger.error({ err, tool: def.name }, 'tool failed unexpectedly');
      else deps.logger.info({ tool: def.name, code: err.code, caller: callerLabel(info.caller) }, 'tool error');
      return errorResult(err);
    }
  };

  handle(server, 'tools/call', CallTool, async (request, extra) => {
    const def = byName.get(request.params.name);
    if (!def) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${request.params.name.slice(0, 100)}. Call tools/list for the available tools.`);
    }
    const args = request.params.arguments ?? {};
    const parsed = def.input.safeParse(args);
    if (!parsed.success) return errorResult(invalidInput(def, parsed.error.issues));

    const channel = confirmationChannel(server, info, extra);
    const progressToken = (request.params as { _meta?: { progressToken?: unknown } })._meta?.progressToken;
    const ctx: ToolContext = {
      ...deps,
      caller: info.caller,
      sessionId: info.sessionId(),
      signal: extra.mcpReq.signal,
      progress:
        typeof progressToken === 'string' || typeof progressToken === 'number'
          ? (progress, total, message) => {
              extra.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress, total, message } }).catch(() => undefined);
            }
          : undefined,
      elicit:
        channel === 'elicit'
          ? async (message) => {
              const answer = await extra.mcpReq.elicitInput({
                mode: 'form',
                message,
                requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Confirm' } }, required: ['confirm'] },
              });
              if (answer.action !== 'accept') return answer.action;
              return answer.content?.confirm === true ? 'accept' : 'decline';
            }
          : channel === 'none' && deps.approvals?.enabled
            ? (message) => deps.approvals!.ask({ caller: callerLabel(info.caller), tool: def.name, arguments: parsed.data as Record<string, unknown>, question: message }, extra.mcpReq.signal)
            : undefined,
    };
    if (channel !== 'input_required' || !('confirm_token' in def.input.shape)) return run(def, parsed.data, ctx);
    const round: ConfirmationRound = confirmationRound(extra, def.name);
    return round.run(parsed.data as Record<string, unknown>, (input, confirmedByUser) => run(def, input, { ...ctx, confirmedByUser }));
  });

  return server;
}
