// A tool's `images` go out as MCP image content after the JSON text, never into structuredContent.
import t from 'tap';
import { okResult } from '../../src/mcp/toolResult.js';

t.test('images become image content blocks; the JSON text and structuredContent stay the answer', async (t) => {
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  const result = okResult({ entity_id: 'camera.x', width: 4, images: [{ data: bytes.subarray(0, 5), mimeType: 'image/jpeg' }] });
  t.same(result.structuredContent, { entity_id: 'camera.x', width: 4 });
  t.equal(result.content.length, 2);
  t.same(JSON.parse((result.content[0] as { text: string }).text), { entity_id: 'camera.x', width: 4 });
  t.same(result.content[1], { type: 'image', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1]).toString('base64'), mimeType: 'image/jpeg' });
});

t.test('an answer without images is one text block as before', async (t) => {
  const result = okResult({ a: 1 });
  t.same(result, { content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } });
});
