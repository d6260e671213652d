// The one module that knows the MCP SDK's server API: a Server per MCP session (or per
// one-shot request) with our tool registry behind tools/list and tools/call.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../errors.js';
import type { Caller } from '../auth/caller.js';
import { callerLabel } from '../auth/caller.js';
import { toolsFor } from '../tools/registry.js';
import type { AppDeps, ToolContext, ToolDef } from '../tools/tool.js';
import { VERSION } from '../version.js';
import { registerResources } from './resources.js';
import { handle } from './handle.js';
import { describeTool } from './toolCatalog.js';
import { errorResult, okResult } from './toolResult.js';

const INSTRUCTIONS =
  'Home Assistant: read the home from a live cache and act through services. ' +
  'Start with ha_overview, find entities with ha_search_entities, act with ha_call_service. ' +
  'Errors are JSON {error, message, suggestion}: follow the suggestion.';

export interface SessionInfo {
  caller: Caller;
  /** Read lazily: the SDK assigns the session id after the server is created. */
  sessionId(): string | undefined;
}

function invalidInput(def: ToolDef, issues: { path: PropertyKey[]; message: string }[]): AppError {
  const text = issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
  return new AppError('invalid_input', `Invalid arguments for ${def.name}: ${text}`, 'Fix the arguments to match the tool\'s inputSchema and call again.', {
    details: { issues: issues.slice(0, 5).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
  });
}

export function createMcpServer(deps: AppDeps, info: SessionInfo): Server {
  const tools = toolsFor(deps.config.toolsets);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const server = new Server(
    { name: 'mcp-ha', title: 'Home Assistant', version: VERSION },
    { capabilities: { tools: { listChanged: false }, resources: { listChanged: true }, logging: {} }, instructions: INSTRUCTIONS },
  );

  // Resources listen to the shared cache for list changes; stop when the session ends.
  server.onclose = registerResources(server, deps);

  handle(server, ListToolsRequestSchema, async () => ({ tools: tools.map(describeTool) }));

  handle(server, CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const def = byName.get(request.params.name);
    if (!def) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}. Call tools/list for the available tools.`);
    }
    const parsed = def.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) return errorResult(invalidInput(def, parsed.error.issues));

    const canElicit = server.getClientCapabilities()?.elicitation !== undefined;
    const ctx: ToolContext = {
      ...deps,
      caller: info.caller,
      sessionId: info.sessionId(),
      signal: extra.signal,
      elicit: canElicit
        ? async (message) => {
            const answer = await server.elicitInput({
              message,
              requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Confirm' } }, required: ['confirm'] },
            });
            if (answer.action !== 'accept') return answer.action;
            return answer.content?.confirm === true ? 'accept' : 'decline';
          }
        : undefined,
    };
    const started = performance.now();
    try {
      const value = await def.run(parsed.data, ctx);
      deps.logger.debug({ tool: def.name, caller: callerLabel(info.caller), ms: Math.round(performance.now() - started) }, 'tool call');
      return okResult(value as Record<string, unknown>);
    } catch (err) {
      if (!(err instanceof AppError)) deps.logger.error({ err, tool: def.name }, 'tool failed unexpectedly');
      else deps.logger.info({ tool: def.name, code: err.code, caller: callerLabel(info.caller) }, 'tool error');
      return errorResult(err);
    }
  });

  return server;
}
