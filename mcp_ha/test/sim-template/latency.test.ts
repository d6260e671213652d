// Render cost against a generated 10,000-entity home: printed, not asserted (shared CI cores).
import t from 'tap';
import { generateHome } from '../../sim/homes/generated.js';
import { renderTemplate } from '../../sim/template/render.js';
import { makeEnv } from './helpers.js';

const home = generateHome(10_000);
const env = makeEnv(home.states, home);

const TEMPLATES = {
  'one state': "{{ states('light.kitchen_ceiling_light') }}",
  'lights on (domain scan)': "{{ states.light | selectattr('state', 'eq', 'on') | list | count }}",
  'all states count': '{{ states | count }}',
  'unavailable entities': "{{ states | selectattr('state', 'eq', 'unavailable') | map(attribute='entity_id') | list | count }}",
  'area lookup': "{{ area_entities('Kitchen') | count }}",
};

t.test('render latency on a 10,000-entity home', async (t) => {
  for (const [name, src] of Object.entries(TEMPLATES)) {
    const first = renderTemplate(src, env);
    t.ok(first.ok, name);
    const runs = 20;
    const start = performance.now();
    for (let i = 0; i < runs; i++) renderTemplate(src, env);
    t.comment(`${name}: ${((performance.now() - start) / runs).toFixed(2)} ms per render -> ${first.ok ? first.result : first.error}`);
  }
});
