// The home-context tools through MCP on a generated 10,000-entity home: still small answers,
// complete paging, and search and reads that stay fast. One stack for the whole file.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t from 'tap';
import { startStack } from '../helpers/stack.js';
import { list, obj, rowId, rows } from './helpers.js';

t.test('home context on a 10,000-entity home', async (t) => {
  const stack = await startStack({ home: 10_000 });
  t.teardown(() => stack.close());

  const overview = await stack.call('ha_overview');
  const text = (overview.result.content[0] as { text: string }).text;
  t.equal(obj(overview.json.home).entities, 10_000);
  t.ok(encode(text).length <= 1500, `overview tokens ${encode(text).length}`);
  // 500 areas: numbered runs as ranges, every floor showing some, the rest named in the note.
  const floors = Object.values(obj(overview.json.floors)) as { areas: string[] }[];
  t.equal(floors.length, 11);
  t.ok(floors.every((f) => f.areas.length > 0), 'every floor lists areas');
  t.ok(floors.flatMap((f) => f.areas).includes('basement_gym (+_2..9)'), 'a numbered run is one entry');
  t.match(overview.json.area_ranges, /x \(\+_2\.\.4\) stands for x, x_2, x_3, x_4/);
  t.match(overview.json.note, /^Showing \d{3} of 500 areas; ha_list_registry lists them all\.$/);

  const seen = new Set<string>();
  for (let offset = 0; ; offset += 1000) {
    const { json } = await stack.call('ha_list_entities', { limit: 1000, offset });
    for (const r of rows(json)) seen.add(rowId(r));
    if (!json.has_more) break;
  }
  t.equal(seen.size, 10_000, 'paging covers every entity once');

  const started = performance.now();
  const hits = list((await stack.call('ha_search_entities', { query: 'kitchn temprature' })).json.results);
  t.ok(performance.now() - started < 1000, 'search answers quickly');
  t.match(hits[0]?.entity_id, /^sensor\.kitchen.*temperature/);

  const devices = await stack.call('ha_list_registry', { kind: 'devices', limit: 3, offset: 100 });
  t.equal(list(devices.json.items).length, 3);
  t.equal((await stack.call('ha_list_automations', { limit: 1 })).json.has_more, true);
  t.equal((await stack.call('ha_get_energy')).json.configured, true);
  const one = await stack.call('ha_get_state', { entity_id: [...seen][1234] });
  t.notOk(one.result.isError);
});
