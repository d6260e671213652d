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
    // z.int()'s implied bounds: every JSON integer a client sends is inside them.
    if ((k === 'minimum' || k === 'maximum') && Math.abs(v as number) === Number.MAX_SAFE_INTEGER) continue;
    out[k] = prune(v);
  }
  return out;
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  return prune(z.toJSONSchema(schema, { io, unrepresentable: 'any' })) as Tool['inputSchema'];
}

/**
 * An output schema as published: the top-level fields with their types, nothing nested. A model reads
 * the answer itself; nested shapes cost tokens in every context (about 1,000 for 15 tools) and buy a
 * client nothing it can check, since each tool's zod schema still checks its whole answer here.
 */
function shallow(schema: Record<string, unknown>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    const field: Record<string, unknown> = {};
    if (value.type !== undefined) field.type = value.type;
    else if (Array.isArray(value.anyOf)) {
      const types = (value.anyOf as Record<string, unknown>[]).map((v) => v.type);
      if (types.every((t) => typeof t === 'string')) field.type = [...new Set(types)];
    } else if (Array.isArray(value.enum)) field.enum = value.enum;
    if (typeof value.description === 'string') field.description = value.description;
    properties[key] = field;
  }
  const out: Record<string, unknown> = { type: 'object', properties };
  if (schema.required !== undefined) out.required = schema.required;
  return out;
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
      outputSchema: shallow(jsonSchema(def.output, 'output') as Record<string, unknown>) as Tool['outputSchema'],
      annotations: { ...def.annotations },
    };
    cache.set(def, tool);
  }
  return tool;
}
