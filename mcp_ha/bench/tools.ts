// Token economy per tool: what each costs in tools/list (default toolsets, and every toolset on),
// and what a typical answer of each costs, on the demo home (o200k). Run by bench/run.ts.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSimulator } from '../sim/server.js';
import { tokens } from './measure.js';
import { startServer } from './server.js';

/** A typical call of each tool on the demo home (reads, and writes a model commonly makes). */
const TYPICAL: Record<string, Record<string, unknown>> = {
  ha_overview: {},
  ha_search_entities: { query: 'kitchen light' },
  ha_list_entities: { domain: 'light' },
  ha_list_states: { domain: 'sensor', limit: 20 },
  ha_get_state: { entity_id: 'light.kitchen_lights' },
  ha_list_registry: { kind: 'areas' },
  ha_list_automations: {},
  ha_get_energy: {},
  ha_history: { entity_ids: ['sensor.outside_temperature'], start: '-1h' },
  ha_logbook: { start: '-1h', limit: 20 },
  ha_trace: {},
  ha_system: { action: 'log', limit: 20 },
  ha_calendar: {},
  ha_camera: { entity_id: 'camera.demo_camera' },
  ha_list_services: { domain: 'light' },
  ha_call_service: { domain: 'light', service: 'turn_on', entity_id: 'light.bed_light' },
  ha_render_template: { template: '{{ states("sun.sun") }}' },
  ha_audit_log: { limit: 10 },
  ha_names: { action: 'list' },
  ha_undo: {},
  ha_config: { kind: 'automation', action: 'list' },
};

export interface ToolTokens {
  name: string;
  list_tokens: number;
  default_toolsets: boolean;
  /** Tokens of the typical call's text answer (an image counts apart, as its bytes). */
  answer_tokens?: number;
  image_bytes?: number;
  answer_error?: string;
}

export async function benchTools(entry: string): Promise<{ default_total: number; all_total: number; tools: ToolTokens[] }> {
  const sim = await startSimulator({ port: 0, home: 'demo' });
  const open = async (options: Record<string, unknown>) => {
    const server = await startServer(entry, { url: sim.url, token: sim.token }, options);
    const client = new Client({ name: 'bench-tools', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${server.apiKey}` } } }));
    return { server, client };
  };
  const plain = await open({});
  const all = await open({ toolsets: ['read', 'write', 'admin', 'config'] });
  try {
    const defaults = (await plain.client.listTools()).tools;
    const every = (await all.client.listTools()).tools;
    const defaultNames = new Set(defaults.map((t) => t.name));
    const out: ToolTokens[] = [];
    for (const tool of every) {
      const row: ToolTokens = { name: tool.name, list_tokens: tokens(JSON.stringify(tool)), default_toolsets: defaultNames.has(tool.name) };
      const args = TYPICAL[tool.name];
      if (args) {
        const r = (await all.client.callTool({ name: tool.name, arguments: args })) as { content: { type: string; text?: string; data?: string }[]; isError?: boolean };
        const text = r.content.filter((c) => c.type === 'text').map((c) => c.text ?? '').join('\n');
        row.answer_tokens = tokens(text);
        const images = r.content.filter((c) => c.type === 'image');
        if (images.length) row.image_bytes = images.reduce((n, c) => n + Math.round(((c.data ?? '').length * 3) / 4), 0);
        if (r.isError) row.answer_error = text.slice(0, 120);
      }
      out.push(row);
    }
    return { default_total: tokens(JSON.stringify(defaults)), all_total: tokens(JSON.stringify(every)), tools: out };
  } finally {
    await plain.client.close();
    await all.client.close();
    await plain.server.stop();
    await all.server.stop();
    await sim.close();
  }
}
