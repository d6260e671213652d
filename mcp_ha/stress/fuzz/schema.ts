// Tool arguments from a tool's published inputSchema (JSON Schema, as tools/list gives it):
// plausible values first (real entity ids, domains, areas, so that calls get deep into the
// code), then one or two mutations: a hostile value in a known field, an unknown or __proto__
// key, a required field dropped, a big value.
import fc from 'fast-check';
import { bigValue, edgeNumber, hostileKey, hostileString, hostileValue, own } from './values.js';

type Schema = Record<string, unknown>;

export interface Vocabulary {
  ids: string[];
  domains: string[];
  areas: string[];
  names: string[];
  services: string[];
  fields: string[];
}

export const DEFAULT_VOCABULARY: Vocabulary = {
  ids: ['light.bed_light', 'switch.decorative_lights', 'sun.sun', 'input_number.mcp_test_number', 'sensor.outside_temperature'],
  domains: ['light', 'switch', 'sensor', 'input_number', 'automation', 'script', 'homeassistant', 'lock', 'cover'],
  areas: ['kitchen', 'living_room', 'bedroom'],
  names: ['kitchen light', 'bed light', 'outside temperature'],
  services: ['turn_on', 'turn_off', 'toggle', 'set_value', 'reload', 'trigger', 'unlock', 'restart'],
  // Field names that get past "unknown field" into validation, the audit log and Home Assistant.
  fields: ['brightness', 'brightness_pct', 'effect', 'rgb_color', 'color_name', 'transition', 'value', 'temperature', 'option', 'entity_id', 'variables', 'hvac_mode', 'position', 'percentage'],
};

const TEMPLATES = ["{{ states('sun.sun') }}", '{{ 1 + 1 }}', "{{ state_attr('light.bed_light', 'brightness') }}", '{% for s in states.light %}{{ s.entity_id }} {% endfor %}', '{{ now() }}'];

function plausibleString(name: string, s: Schema, v: Vocabulary): fc.Arbitrary<string> {
  const maxLength = typeof s.maxLength === 'number' ? Math.min(s.maxLength, 40) : 40;
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  let base: fc.Arbitrary<string>;
  if (typeof s.pattern === 'string') {
    base = fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= minLength && x.length <= maxLength);
  } else {
    base = fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
  }
  const known: Record<string, string[]> = {
    entity_id: v.ids,
    domain: v.domains,
    service: v.services,
    area: v.areas,
    floor: ['ground_floor', 'first_floor'],
    query: v.names,
    template: TEMPLATES,
    state: ['on', 'off', 'unavailable'],
  };
  const words = known[name];
  return words?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...words) }, { weight: 1, arbitrary: base }) : base;
}

/** A value that fits the schema (or nearly: patterns and formats are approximate). */
export function plausible(s: Schema, v: Vocabulary = DEFAULT_VOCABULARY, name = ''): fc.Arbitrary<unknown> {
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (Array.isArray(alts) && alts.length) return fc.oneof(...alts.map((a) => plausible(a, v, name)));
  const type = Array.isArray(s.type) ? (s.type[0] as string) : (s.type as string | undefined);
  switch (type) {
    case 'string':
      return plausibleString(name, s, v);
    case 'integer': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1000;
      const max = typeof s.maximum === 'number' ? Math.min(s.maximum, min + 100_000) : 1000;
      return fc.integer({ min, max });
    }
    case 'number':
      return fc.double({ min: typeof s.minimum === 'number' ? s.minimum : -1e6, max: typeof s.maximum === 'number' ? s.maximum : 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = (s.items as Schema | undefined) ?? {};
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, 4));
      return fc.array(plausible(items, v, name.replace(/s$/, '')), { minLength, maxLength });
    }
    case 'object': {
      const props = (s.properties as Record<string, Schema> | undefined) ?? {};
      const required = (s.required as string[] | undefined) ?? [];
      if (Object.keys(props).length) {
        const model = Object.fromEntries(Object.entries(props).map(([k, ps]) => [k, plausible(ps, v, k)]));
        return fc.record(model, { requiredKeys: required.filter((k) => k in props) });
      }
      // A record (service_data, variables): real field names with small values.
      return fc.dictionary(fc.constantFrom(...v.fields), fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom('on', 'red', 'colorloop'), fc.boolean()), { maxKeys: 3 });
    }
    default:
      return hostileValue;
  }
}

/** A hostile value aimed at a field of this schema: its edges, the wrong type, or something big. */
function hostileFor(s: Schema): fc.Arbitrary<unknown> {
  const type = Array.isArray(s.type) ? (s.type[0] as string) : (s.type as string | undefined);
  const edges: unknown[] = [];
  if (typeof s.minimum === 'number') edges.push(s.minimum - 1, s.minimum - 0.5);
  if (typeof s.maximum === 'number') edges.push(s.maximum + 1, s.maximum + 0.5);
  if (typeof s.maxLength === 'number') edges.push('a'.repeat(s.maxLength + 1));
  if (typeof s.maxItems === 'number') edges.push(Array.from({ length: s.maxItems + 1 }, (_, i) => `light.x${i}`));
  const typed = type === 'string' ? hostileString : type === 'integer' || type === 'number' ? edgeNumber : hostileValue;
  return fc.oneof(
    { weight: 3, arbitrary: typed },
    { weight: 2, arbitrary: hostileValue },
    { weight: 1, arbitrary: bigValue },
    ...(edges.length ? [{ weight: 2, arbitrary: fc.constantFrom(...edges) }] : []),
  );
}

type Mutation = (args: Record<string, unknown>) => Record<string, unknown>;

/** Arguments for a tool: plausible, then mutated once or twice (a few are left plausible). */
export function toolArgs(schema: Schema, v: Vocabulary = DEFAULT_VOCABULARY): fc.Arbitrary<unknown> {
  const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
  const names = Object.keys(props);
  const required = (schema.required as string[] | undefined) ?? [];
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    ...(names.length
      ? [
          {
            weight: 6,
            arbitrary: fc.constantFrom(...names).chain((k) => hostileFor(props[k] as Schema).map((val): Mutation => (a) => own([...Object.entries(a).filter(([x]) => x !== k), [k, val]]))),
          },
          // A hostile value one level down: inside service_data, target, variables.
          {
            weight: 2,
            arbitrary: fc
              .tuple(fc.constantFrom(...names), fc.oneof(fc.constantFrom(...v.fields), hostileKey), fc.oneof(hostileValue, bigValue))
              .map(([k, f, val]): Mutation => (a) => own([...Object.entries(a).filter(([x]) => x !== k), [k, own([[f, val]])]])),
          },
        ]
      : []),
    { weight: 2, arbitrary: fc.tuple(hostileKey, hostileValue).map(([k, val]): Mutation => (a) => own([...Object.entries(a), [k, val]])) },
    ...(required.length ? [{ weight: 1, arbitrary: fc.constantFrom(...required).map((k): Mutation => (a) => own(Object.entries(a).filter(([x]) => x !== k))) }] : []),
    { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 4 }).map((e): Mutation => () => own(e)) },
  );
  return fc.oneof(
    { weight: 1, arbitrary: plausible(schema, v) },
    { weight: 6, arbitrary: fc.tuple(plausible(schema, v), fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([a, ms]) => ms.reduce((acc, m) => m(acc), a as Record<string, unknown>)) },
  );
}
