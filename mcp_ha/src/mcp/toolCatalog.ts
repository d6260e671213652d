// The published form of the tools (tools/list), computed once from their zod schemas.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolDef } from '../tools/tool.js';

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema; // saves tokens; MCP defaults to JSON Schema 2020-12
  return out as Tool['inputSchema'];
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
      annotations: { title: def.title, ...def.annotations },
    };
    cache.set(def, tool);
  }
  return tool;
}
