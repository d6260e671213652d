// The published form of the tools (tools/list), computed once from their zod schemas.
import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { ToolDef } from '../tools/tool.js';

/** Drops what JSON Schema means anyway: tools/list is paid for in every model context. */
function prune(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prune);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema') continue; // MCP defaults to JSON Schema 2020-12
    if (k === 'propertyNames' && JSON.stringify(v) === '{"type":"string"}') continue;
    if (k === 'additionalProperties' && JSON.stringify(v) === '{}') continue;
    out[k] = prune(v);
  }
  return out;
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  return prune(z.toJSONSchema(schema, { io, unrepresentable: 'any' })) as Tool['inputSchema'];
}

const cache = new WeakMap<ToolDef, Tool>();

export function describeTool(def: ToolDef): Tool {
  let tool = cache.get(def);
  if (!tool) {
    tool = {
      name: def.name,
      title: def.title,
      description: def.description,
      inputSchema: jsonSchema(def.input, 'input'),
      outputSchema: jsonSchema(def.output, 'output') as Tool['outputSchema'],
      annotations: { ...def.annotations },
    };
    cache.set(def, tool);
  }
  return tool;
}
