// What clients see in tools/list, as a snapshot: every change to a tool's name, description,
// schema or annotations shows up in review. Regenerate with
// `npx tap --snapshot test/mcp/tools-list.test.ts` when the change is deliberate.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t from 'tap';
import { DEFAULT_TOOLSETS } from '../../src/config/schema.js';
import { toolsFor } from '../../src/tools/registry.js';
import { startStack } from '../helpers/stack.js';

t.test('tools/list through MCP', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const client = await stack.client();
  const { tools } = await client.listTools();
  t.ok(tools.every((tool) => /^ha_[a-z_]+$/.test(tool.name)), 'names are ha_*');
  t.matchSnapshot(tools, 'tools/list');
  // tools/list is paid for in every model context: bounds in the schemas (maxLength) count too.
  const tokens = encode(JSON.stringify(tools)).length;
  t.ok(tokens <= 6000, `tools/list is ${tokens} tokens (o200k; budget 6,000)`);
});

t.test('tools/list with every toolset on', async (t) => {
  const stack = await startStack({ options: { toolsets: ['read', 'write', 'admin', 'config'] } });
  t.teardown(() => stack.close());
  const client = await stack.client();
  const { tools } = await client.listTools();
  t.ok(tools.some((tool) => tool.name === 'ha_config'), 'the config toolset is listed');
  // The tools beyond the default toolsets, in full (the default ones are in the snapshot above).
  const defaults = new Set(toolsFor(DEFAULT_TOOLSETS).map((tool) => tool.name));
  t.matchSnapshot(tools.filter((tool) => !defaults.has(tool.name)), 'tools/list, the tools beyond the default toolsets');
  const tokens = encode(JSON.stringify(tools)).length;
  t.ok(tokens <= 9000, `tools/list is ${tokens} tokens (o200k; budget 9,000)`);
});
