// Long strings cannot make the server slow: every string argument of every tool has a maximum
// length (Home Assistant's own limits), and the closest-match search behind entity_not_found
// costs the same however long the id it is given.
import t from 'tap';
import { z } from 'zod';
import { EntitySearchIndex } from '../../src/home/searchIndex.js';
import { requireState } from '../../src/home/entityLookup.js';
import { AppError } from '../../src/errors.js';
import { ALL_TOOLS } from '../../src/tools/registry.js';
import { fakeCache } from '../policy/home.js';
import { startStack } from '../helpers/stack.js';

type Node = Record<string, unknown>;

/** Every string schema in a JSON Schema, with where it is. */
function strings(node: unknown, path: string, out: { path: string; node: Node }[] = []): { path: string; node: Node }[] {
  if (!node || typeof node !== 'object') return out;
  const n = node as Node;
  const types = Array.isArray(n.type) ? n.type : [n.type];
  if (types.includes('string')) out.push({ path, node: n });
  for (const [k, v] of Object.entries((n.properties ?? {}) as Node)) strings(v, `${path}.${k}`, out);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const [i, v] of ((n[key] ?? []) as unknown[]).entries()) strings(v, `${path}|${i}`, out);
  if (n.items) strings(n.items, `${path}[]`, out);
  if (n.additionalProperties && typeof n.additionalProperties === 'object') strings(n.additionalProperties, `${path}{}`, out);
  return out;
}

t.test('every string argument of every tool has a maximum length', async (t) => {
  for (const def of ALL_TOOLS) {
    const schema = z.toJSONSchema(def.input, { io: 'input', unrepresentable: 'any' });
    for (const { path, node } of strings(schema, def.name)) {
      if (node.enum !== undefined || node.const !== undefined) continue;
      t.ok(typeof node.maxLength === 'number' && node.maxLength <= 20_000, `${path} has maxLength (${String(node.maxLength)})`);
    }
  }
  const id = (ALL_TOOLS.find((d) => d.name === 'ha_get_state')?.input.shape as Record<string, z.ZodType>).entity_id as z.ZodType;
  t.ok(id.safeParse('a'.repeat(255)).success, "255 characters, Home Assistant's MAX_LENGTH_STATE_ENTITY_ID, is a valid length");
  t.notOk(id.safeParse('a'.repeat(256)).success, '256 is not');
});

t.test('the closest-match search costs the same for an id of any length', async (t) => {
  const index = new EntitySearchIndex(fakeCache());
  index.search('warm', 3); // builds the index
  const short = index.search(`light.${'a'.repeat(249)}`, 3);
  const started = performance.now();
  const long = index.search(`light.${'a'.repeat(250_000)}`, 3);
  const ms = performance.now() - started;
  // Before the bound, this one search took 10 s or more on a 2-core machine.
  t.ok(ms < 500, `250,000 characters searched in ${ms.toFixed(1)} ms`);
  t.same(long, short, 'the same suggestions as for the first characters');
  t.ok(long.length > 0 && long.every((h) => h.entity_id.startsWith('light.')), 'still suggests lights');
  const many = Array.from({ length: 20_000 }, (_, i) => `w${i}x`).join(' ');
  const t1 = performance.now();
  index.search(many, 3);
  t.ok(performance.now() - t1 < 500, 'and 20,000 distinct words cost no more than a few');
  t.same(index.search('light.bed_lite', 1).map((h) => h.entity_id), ['light.bed_light'], 'typos are still found');
});

t.test('requireState refuses an over-long id before looking anything up, and does not echo it', async (t) => {
  const cache = fakeCache();
  const started = performance.now();
  let err: unknown;
  try {
    requireState(cache, `light.${'a'.repeat(250_000)}`);
  } catch (e) {
    err = e;
  }
  t.ok(performance.now() - started < 100, 'at once');
  t.ok(err instanceof AppError);
  const e = err as AppError;
  t.equal(e.code, 'invalid_input');
  t.match(e.message, /250006 characters long; Home Assistant allows at most 255/);
  t.ok(JSON.stringify(e.toBody()).length < 500, 'the answer is small');
});

t.test('through MCP: long arguments fail fast with invalid_input while /health keeps answering', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  await stack.call('ha_get_state', { entity_id: 'light.bed_light' }); // connects the shared client

  const timed = async <T>(p: Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = performance.now();
    const value = await p;
    return { value, ms: performance.now() - started };
  };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['ha_get_state', { entity_id: `light.${'a'.repeat(250_000)}` }, /entity_id: at most 255 characters/],
    ['ha_call_service', { domain: 'light', service: 'turn_on', entity_id: `light.${'a'.repeat(100_000)}` }, /entity_id: at most 255 characters/],
    ['ha_call_service', { domain: 'light', service: 'turn_on', target: { area_id: 'x'.repeat(100_000) } }, /target\.area_id: at most 255 characters/],
    ['ha_call_service', { domain: 'light', service: 'turn_on', service_data: { entity_id: `light.${'a'.repeat(60_000)}` } }, /service_data\.entity_id: at most 255 characters/],
    ['ha_call_service', { domain: 'l'.repeat(100_000), service: 'turn_on' }, /domain: at most 64 characters/],
    ['ha_list_entities', { area: 'k'.repeat(100_000) }, /area: at most 255 characters/],
    ['ha_list_states', { entity_ids: [`light.${'a'.repeat(100_000)}`] }, /entity_ids\.0: at most 255 characters/],
  ];
  for (const [tool, args, message] of cases) {
    const [call, health] = await Promise.all([
      timed(stack.call(tool, args)),
      timed(new Promise((r) => setTimeout(r, 5)).then(() => fetch(`${stack.url}/health`))),
    ]);
    t.equal(call.value.json.error, 'invalid_input', `${tool}: ${String(call.value.json.message).slice(0, 200)}`);
    t.match(call.value.json.message, message);
    t.ok(JSON.stringify(call.value.json).length < 2000, 'the answer does not echo the argument');
    // Before the bound, ha_get_state took 10 s and /health waited as long.
    t.ok(call.ms < 2000, `${tool} answered in ${Math.round(call.ms)} ms`);
    t.equal(health.value.status, 200);
    t.ok(health.ms < 2000, `/health answered in ${Math.round(health.ms)} ms meanwhile`);
  }
  const miss = await stack.call('ha_get_state', { entity_id: 'light.bed_lite' });
  t.equal(miss.json.error, 'entity_not_found', 'a short unknown id still gets suggestions');
  t.match(miss.json.suggestion, /light\.bed_light/);
});
