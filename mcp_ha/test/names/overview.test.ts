// The overview with the household's names on the 2,000-entity home: the most used names are
// listed, and the whole stays within its 1,500 tokens (the names are paid for from the area lists).
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t from 'tap';
import { startStack } from '../helpers/stack.js';

t.test('names in the overview of a 2,000-entity home, within 1,500 tokens', async (t) => {
  const stack = await startStack({ home: 2000 });
  t.teardown(() => stack.close());
  const plain = (await stack.call('ha_overview')).result.content[0] as { text: string };
  const ids = ((await stack.call('ha_list_states', { limit: 40 })).json.states as { entity_id: string }[]).map((s) => s.entity_id);
  // Eight long names for the longest ids: more than the overview shows.
  const longest = [...ids].sort((a, b) => b.length - a.length).slice(0, 8);
  for (const [i, id] of longest.entries()) {
    const { result } = await stack.call('ha_names', { action: 'remember', name: `grandmother's favourite reading corner lamp ${i}`, entity_id: id });
    t.notOk(result.isError);
  }
  const text = ((await stack.call('ha_overview')).result.content[0] as { text: string }).text;
  const json = JSON.parse(text) as { names?: Record<string, string>; note?: string };
  const n = Object.keys(json.names ?? {}).length;
  t.ok(n >= 3 && n <= 6, `${n} names listed`);
  t.ok(Object.values(json.names ?? {}).every((id) => longest.includes(id)));
  t.ok(encode(text).length <= 1500, `overview ${encode(text).length} tokens with names (${encode(plain.text).length} without)`);
});
