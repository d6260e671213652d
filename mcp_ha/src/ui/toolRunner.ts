// Runs the read tools for "Test All" and the page's tool form through the real MCP path: a
// tools/call JSON-RPC message answered by the server's own dispatch (the same as POST /messages),
// so that input validation, the tool and its output schema all take part.
import type { Caller } from '../auth/caller.js';
import { AppError } from '../errors.js';
import type { HaClient } from '../ha/types.js';
import { estimateTokens } from '../home/tokens.js';
import type { McpHttp } from '../mcp/http.js';
import { toolsFor } from '../tools/registry.js';
import type { ToolDef, Toolset } from '../tools/tool.js';

export interface ToolRun {
  tool: string;
  arguments: Record<string, unknown>;
  ok: boolean;
  ms: number;
  /** The longest list (or largest map) in the answer. */
  items: number | null;
  /** Estimated o200k tokens of the answer's text, as a model would read it. */
  tokens: number;
  /** The answer as JSON (the structured error when not ok). */
  result: unknown;
}

/** Counts what an answer returned: its biggest top-level list, or map (by_area), in entries. */
export function itemsOf(value: unknown): number | null {
  if (!value || typeof value !== 'object') return null;
  let best: number | null = null;
  for (const v of Object.values(value)) {
    const n = Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : undefined;
    if (n !== undefined && (best === null || n > best)) best = n;
  }
  return best;
}

const isRead = (t: ToolDef): boolean => t.annotations.readOnlyHint;

/** Arguments a read tool can always be run with: something that exists in this home, nothing that changes it. */
export function safeArguments(tool: string, ha: Pick<HaClient, 'cache'>): Record<string, unknown> {
  const first = (domain: string): string | undefined => {
    for (const s of ha.cache.states()) if (s.entity_id.startsWith(`${domain}.`)) return s.entity_id;
    return undefined;
  };
  const entity = first('light') ?? first('sun') ?? ha.cache.states().next().value?.entity_id ?? 'sun.sun';
  switch (tool) {
    case 'ha_search_entities':
      return { query: entity.split('.')[0] as string, limit: 5 };
    case 'ha_get_state':
      return { entity_id: entity };
    case 'ha_render_template':
      return { template: '{{ states | count }}' };
    case 'ha_history':
      return { entity_ids: [entity] };
    case 'ha_camera':
      // A home without cameras gets the tool's own "not found" answer, with the closest ids.
      return { entity_id: first('camera') ?? 'camera.none', max_edge: 256 };
    case 'ha_logbook':
    case 'ha_list_entities':
    case 'ha_list_states':
    case 'ha_list_services':
    case 'ha_list_registry':
    case 'ha_list_automations':
    case 'ha_audit_log':
      return { limit: 10 };
    default:
      return {};
  }
}

export interface ToolRunner {
  readTools(): ToolDef[];
  run(tool: string, args: Record<string, unknown>, caller: Caller): Promise<ToolRun>;
  /** Every read tool with its safe arguments, one after the other; one run at a time per process. */
  testAll(caller: Caller): Promise<ToolRun[]>;
}

export function createToolRunner(deps: { mcp: McpHttp; ha: Pick<HaClient, 'cache'>; toolsets: readonly Toolset[] }): ToolRunner {
  const tools = toolsFor(deps.toolsets).filter(isRead);
  let running = false;
  let seq = 0;

  async function run(tool: string, args: Record<string, unknown>, caller: Caller): Promise<ToolRun> {
    if (!tools.some((t) => t.name === tool)) {
      throw new AppError('invalid_input', `${tool.slice(0, 100)} is not a read tool this server offers.`, 'Pick one of the read tools listed on the page; writes are made through MCP clients.');
    }
    const started = performance.now();
    const [answer] = await deps.mcp.answer([{ jsonrpc: '2.0', id: ++seq, method: 'tools/call', params: { name: tool, arguments: args } }], caller);
    const ms = Math.round(performance.now() - started);
    const message = answer as { result?: { isError?: boolean; structuredContent?: unknown; content?: { type: string; text?: string }[] }; error?: unknown } | undefined;
    if (!message?.result) {
      return { tool, arguments: args, ok: false, ms, items: null, tokens: 0, result: message?.error ?? { error: 'internal_error', message: 'No answer.' } };
    }
    const text = message.result.content?.find((c) => c.type === 'text')?.text ?? '';
    let parsed: unknown = message.result.structuredContent;
    if (parsed === undefined) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const ok = message.result.isError !== true;
    return { tool, arguments: args, ok, ms, items: ok ? itemsOf(parsed) : null, tokens: estimateTokens(text), result: parsed };
  }

  return {
    readTools: () => tools,
    run,
    async testAll(caller) {
      if (running) throw new AppError('invalid_input', 'Test All is already running.', 'Wait for it to finish, then look at its results.', { statusCode: 429 });
      running = true;
      try {
        const out: ToolRun[] = [];
        for (const t of tools) out.push(await run(t.name, safeArguments(t.name, deps.ha), caller));
        return out;
      } finally {
        running = false;
      }
    },
  };
}
