// Deeply nested or huge free-form JSON (service_data, template variables) is refused at the
// tool's zod boundary as invalid_input naming the field and the limit; the selector checks never
// recurse into a value, so they cannot overflow the stack whatever reaches them.
import t from 'tap';
import { z } from 'zod';
import { oneOfProblem, preview, rangeProblem, selectorProblem, tupleProblem } from '../../src/policy/selectors.js';
import { MAX_JSON_CHARS, MAX_JSON_DEPTH } from '../../src/tools/limits.js';
import { ALL_TOOLS } from '../../src/tools/registry.js';
import { startStack } from '../helpers/stack.js';

/** `levels` objects, each inside the next: {"a":{"a":...1}}. */
function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

/** Top-level arguments of a tool that take free-form JSON objects. */
function freeForm(def: (typeof ALL_TOOLS)[number]): string[] {
  const schema = z.toJSONSchema(def.input, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Record<string, unknown>> };
  return Object.entries(schema.properties ?? {})
    .filter(([, p]) => p.type === 'object' && p.properties === undefined && (p.additionalProperties === undefined || JSON.stringify(p.additionalProperties) === '{}'))
    .map(([name]) => name);
}

t.test('every free-form JSON argument of every tool is bounded in depth and size', async (t) => {
  const checked: string[] = [];
  for (const def of ALL_TOOLS) {
    const shape = def.input.shape as Record<string, z.ZodType>;
    for (const name of freeForm(def)) {
      const arg = shape[name] as z.ZodType;
      checked.push(`${def.name}.${name}`);
      // The argument itself is the first level.
      t.ok(arg.safeParse({ brightness: nested(MAX_JSON_DEPTH - 1) }).success, `${def.name}.${name}: ${MAX_JSON_DEPTH} levels are fine`);
      for (const levels of [MAX_JSON_DEPTH, 5000, 100_000]) {
        const r = arg.safeParse({ brightness: nested(levels) });
        t.notOk(r.success, `${def.name}.${name}: ${levels + 1} levels are refused`);
        t.match(r.error?.issues[0], { path: ['brightness'], message: new RegExp(`nested more than ${MAX_JSON_DEPTH} levels deep; ${name} allows at most ${MAX_JSON_DEPTH}`) });
      }
      const list = arg.safeParse({ list: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] });
      t.match(list.error?.issues[0], { path: ['list'] }, 'lists count as levels too');
      const big = arg.safeParse({ message: 'x'.repeat(MAX_JSON_CHARS) });
      t.match(big.error?.issues[0], { path: [], message: new RegExp(`larger than ${MAX_JSON_CHARS} characters as JSON`) }, `${def.name}.${name}: too large`);
      t.ok(arg.safeParse({ message: 'x'.repeat(MAX_JSON_CHARS - 100) }).success, 'just under the size is fine');
    }
  }
  t.same(checked.sort(), ['ha_call_service.service_data', 'ha_config.config', 'ha_render_template.variables'], 'the tools that take free-form JSON');
});

t.test('selector checks describe a value without recursing into it', async (t) => {
  const deep = nested(200_000);
  t.equal(rangeProblem(deep, 0, 255), 'expected a number, got an object with a');
  t.equal(selectorProblem(deep, { number: { min: 0, max: 255 } }), 'expected a number, got an object with a');
  t.equal(selectorProblem([deep], { number: { min: 0, max: 255, multiple: true } }), 'expected a number, got an object with a');
  t.equal(selectorProblem(deep, { boolean: {} }), 'expected true or false, got an object with a');
  t.equal(selectorProblem(deep, { entity: {} }), 'expected an entity_id, got an object with a');
  t.match(oneOfProblem(deep, ['heat', 'off']), /^an object with a is not one of "heat", "off"$/);
  t.equal(tupleProblem([deep, 1, 2], [[0, 255], [0, 255], [0, 255]]), 'item 1: expected a number, got an object with a');
  t.equal(preview('x'.repeat(10_000)).length, 62 + 1, 'long text is cut');
  t.equal(preview([1, 2, 3]), 'a list of 3 items');
  t.equal(preview('bright'), '"bright"');
});

t.test('through MCP: 5,000 levels in service_data.brightness is invalid_input, not internal_error', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  // A raw body: the SDK client itself overflows serialising such a value.
  const deep = (levels: number, open = '{"a":', close = '}') => `${open.repeat(levels)}1${close.repeat(levels)}`;
  const call = (args: string) => stack.rpc(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ha_call_service","arguments":${args}}}`);
  for (const [what, value] of [['5,000 objects', deep(5000)], ['200,000 lists', deep(200_000, '[', ']')]] as const) {
    const { json } = await call(`{"domain":"light","service":"turn_on","entity_id":"light.bed_light","service_data":{"brightness":${value}}}`);
    const result = (json as any).result;
    const body = JSON.parse(result.content[0].text);
    t.equal(result.isError, true, what);
    t.equal(body.error, 'invalid_input', what);
    t.match(body.message, /service_data\.brightness: nested more than 32 levels deep; service_data allows at most 32 levels/);
    t.notMatch(JSON.stringify(body), /RangeError|stack/);
  }
  const template = await stack.call('ha_render_template', { template: '{{ x }}', variables: { x: nested(40) } });
  t.equal(template.json.error, 'invalid_input');
  t.match(template.json.message, /variables\.x: nested more than 32 levels deep/);
  const big = await stack.call('ha_call_service', { domain: 'notify', service: 'notify', service_data: { message: 'x'.repeat(70_000) } });
  t.equal(big.json.error, 'invalid_input');
  t.match(big.json.message, /service_data: larger than 65536 characters as JSON/);
  // Nothing of it reached the audit log (a refused call is recorded only past the zod boundary).
  t.same(await stack.deps.audit.readAll(), []);
  const ok = await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.bed_light', service_data: { brightness: 120 } });
  t.notOk(ok.result.isError, 'a normal call still works');
  const health = await fetch(`${stack.url}/health`);
  t.equal(health.status, 200);
});
