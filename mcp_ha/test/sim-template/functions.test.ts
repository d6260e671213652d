// Home Assistant's template functions, filters, tests and Python-isms, against the recorded
// demo states (2026-11-21 16:24:55 UTC, Europe/Amsterdam) and a small registry.
import t from 'tap';
import { renderTemplate } from '../../sim/template/render.js';
import { makeEnv } from './helpers.js';
import { registryHome } from './home.js';

const env = makeEnv(undefined, registryHome);
const render = (src: string, vars?: Record<string, unknown>) => {
  const out = renderTemplate(src, env, vars);
  return out.ok ? out.result : `ERROR ${out.error}`;
};

const cases: [string, string, string][] = [
  ['states()', "{{ states('light.bed_light') }} {{ states('light.nope') }}", 'on unknown'],
  ['states with_unit', "{{ states('sensor.outside_temperature', with_unit=True) }}", '15.6 °C'],
  ['is_state', "{{ is_state('light.bed_light', 'on') }} {{ is_state('light.bed_light', ['off', 'on']) }} {{ is_state('light.nope', 'on') }}", 'True True False'],
  ['state_attr', "{{ state_attr('light.bed_light', 'brightness') }} {{ state_attr('light.nope', 'x') }}", '200 None'],
  ['is_state_attr / has_value', "{{ is_state_attr('light.bed_light', 'color_mode', 'hs') }} {{ has_value('light.bed_light') }} {{ has_value('light.nope') }}", 'True True False'],
  ['state object', '{{ states.light.bed_light.state }} {{ states.light.bed_light.name }} {{ states.light.bed_light.domain }} {{ states.light.bed_light.object_id }}', 'on Bed Light light bed_light'],
  ['state attributes and times', "{{ states.light.bed_light.attributes.friendly_name }} {{ states.light.bed_light.last_changed }}", 'Bed Light 2026-11-21 16:24:48.477458+00:00'],
  ['missing state is None', '{{ states.light.nope }}|{{ states.light.nope.state }}|', 'None||'],
  ['domain iteration', "{{ states.light | selectattr('state', 'eq', 'on') | list | count }} {{ states.light | rejectattr('state', 'eq', 'on') | map(attribute='entity_id') | join(', ') }}", '5 light.ceiling_lights'],
  ['dotted attribute paths', "{{ states.sensor | selectattr('attributes.device_class', 'eq', 'temperature') | map(attribute='name') | list }}", "['Outside Temperature']"],
  ['whole states', "{{ states | selectattr('entity_id', 'search', '^sun') | map(attribute='state') | first }}", 'below_horizon'],
  ['expand', "{{ expand('light.kitchen_lights', 'light.bed_light', 'light.nope') | map(attribute='name') | list }}", "['Bed Light', 'Kitchen Lights']"],
  ['area_entities', "{{ area_entities('Kitchen') }} {{ area_entities('garden') }} {{ area_entities('bedroom') }}", "['light.kitchen_lights'] ['sensor.outside_temperature'] ['light.bed_light', 'switch.ac']"],
  ['area_name / area_id', "{{ area_name('light.bed_light') }} {{ area_id('Bedroom') }} {{ area_id('sensor.outside_temperature') }} {{ area_name('nope') }}", 'Bedroom bedroom garden None'],
  ['areas / area_devices', "{{ areas() }} {{ area_devices('kitchen') }}", "['kitchen', 'garden', 'bedroom'] ['dev_kitchen']"],
  ['devices', "{{ device_entities('dev_kitchen') }} {{ device_attr('light.bed_light', 'model') }} {{ device_id('light.bed_light') }} {{ is_device_attr('dev_bed', 'model', 'B2') }}", "['light.kitchen_lights', 'sensor.outside_temperature'] B2 dev_bed True"],
  ['floors', "{{ floors() }} {{ floor_areas('Ground Floor') }} {{ floor_id('kitchen') }} {{ floor_name('light.bed_light') }} {{ floor_entities('first_floor') }}", "['ground_floor', 'first_floor'] ['kitchen', 'garden'] ground_floor First Floor ['light.bed_light', 'switch.ac']"],
  ['labels', "{{ labels() }} {{ label_entities('outdoor') }} {{ label_areas('Outdoor') }} {{ labels('sensor.outside_temperature') }} {{ label_name('outdoor') }}", "['outdoor'] ['sensor.outside_temperature'] ['garden'] ['outdoor'] Outdoor"],
  ['functions as filters', "{{ 'light.bed_light' | area_name }} {{ 'sensor.outside_temperature' | state_attr('unit_of_measurement') }} {{ 'light.bed_light' | is_state('on') }}", 'Bedroom °C True'],
  ['map a filter', "{{ states.light | map(attribute='entity_id') | map('area_name') | list }}", "['Bedroom', None, 'Kitchen', None, None, None]"],
  ['in, //, **, %', "{{ 'x' in ['x', 'y'] }} {{ 'a' in 'cat' }} {{ 'k' in {'k': 1} }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 2 ** 8 }} {{ -1 % 3 }} {{ 10 / 4 }}", 'True True True 3 -4 256 2 2.5'],
  ['loop', '{% for x in [3, 1, 2] | sort %}{{ loop.index }}:{{ x }}{% if not loop.last %},{% endif %}{% endfor %}', '1:1,2:2,3:3'],
  ['namespace and loop filter', '{% set ns = namespace(total=0) %}{% for s in states.sensor if s.state | is_number %}{% set ns.total = ns.total + 1 %}{% endfor %}{{ ns.total }}', '11'],
  ['python truthiness', "{{ [] or 'empty' }} {{ {} and 'x' }} {% if [] %}yes{% else %}no{% endif %} {{ not [] }}", 'empty {} no True'],
  ['string methods', "{{ 'Living Room'.lower().replace(' ', '_') }} {{ 'a,b,c'.split(',') }} {{ 'abc'.startswith('ab') }} {{ '  x '.strip() }} {{ 'hello world'.title() }} {{ 'x'.upper() }}", "living_room ['a', 'b', 'c'] True x Hello World X"],
  ['numbers', "{{ '42' | int + 1 }} {{ 'x' | int(0) }} {{ '3.7' | int }} {{ 'x' | float(1.5) }} {{ float('2.5') }} {{ int('12') }}", '43 0 3 1.5 2.5 12'],
  ['round', "{{ 3.14159 | round(2) }} {{ 2.5 | round }} {{ 2.567 | round(1, 'floor') }} {{ 'x' | round(default=0) }}", '3.14 2 2.5 0'],
  ['iif, min, max, sum', "{{ iif(true) }} {{ iif(false, 'a', 'b') }} {{ iif(none, 'a', 'b', 'n') }} {{ min(3, 1, 2) }} {{ max([4, 9, 2]) }} {{ [1, 2, 3] | sum }} {{ [1, 5] | max }} {{ median([3, 1, 2]) }}", 'True b n 1 9 6 5 2'],
  ['json', `{{ {'b': 1, 'a': [1, 2]} | tojson }} {{ {'b': 1} | to_json }} {{ ('{"a": 5}' | from_json).a }}`, '{"a": [1, 2], "b": 1} {"b":1} 5'],
  ['regex', "{{ 'abc123' | regex_match('[a-z]+') }} {{ 'abc123' | regex_search('\\\\d+') }} {{ 'a1b2' | regex_replace('\\\\d', '#') }} {{ 'a1b22' | regex_findall('\\\\d+') }} {{ 'a1b22' | regex_findall_index('\\\\d+', 1) }}", "True True a#b# ['1', '22'] 22"],
  ['default, unique, list', "{{ none | default('d') }} {{ undefined_x | default('d') }} {{ '' | default('d', true) }} {{ [1, 2, 2, 3] | unique | list }} {{ ['b', 'a'] | sort | first }} {{ [1, 2, 3] | reverse | list }}", 'None d d [1, 2, 3] a [3, 2, 1]'],
  ['timestamps', "{{ 1706745600 | timestamp_custom('%Y-%m-%d %H:%M', false) }} {{ 1706745600 | timestamp_custom('%H:%M') }} {{ 1706745600 | timestamp_utc }} {{ 1706745600 | timestamp_local }}", '2024-02-01 00:00 01:00 2024-02-01T00:00:00+00:00 2024-02-01T01:00:00+01:00'],
  ['as_timestamp / as_datetime', "{{ as_timestamp('2024-02-01T00:00:00+00:00') }} {{ as_datetime('2024-02-01T00:00:00+00:00') }} {{ as_timestamp(states.light.bed_light.last_changed) | int }}", '1706745600.0 2024-02-01 00:00:00+00:00 1795278288'],
  ['now and time arithmetic', "{{ now().strftime('%Y-%m-%d %H:%M') }} {{ utcnow().hour }} {{ now().weekday() }} {{ (now() - timedelta(days=1)).day }} {{ today_at('07:30') }}", '2026-11-21 17:24 16 5 20 2026-11-21 07:30:00+01:00'],
  ['relative times', "{{ as_datetime('2026-11-21T15:00:00+00:00') | relative_time }} {{ time_until(now() + timedelta(minutes=90)) }} {{ ((now() - states.light.bed_light.last_changed).total_seconds()) | int }}", '1 hour 1 hour 7'],
  ['slices, ranges, dicts', "{{ [1, 2, 3, 4][1:3] }} {{ [1, 2, 3][-1] }} {{ 'hello'[1:] }} {{ range(1, 10, 3) | list }} {{ dict(a=1) }}", "[2, 3] 3 ello [1, 4, 7] {'a': 1}"],
  ['tests', "{{ 5 is number }} {{ 'x' is string }} {{ none is none }} {{ x is defined }} {{ [1] is list }} {{ 'light.bed_light' is is_state('on') }} {{ '12' is is_number }}", 'True True True False True True True'],
  ['formatting', "{{ '%.1f' | format(2.345) }} {{ '%05.1f' % 3.14159 }} {{ '%s=%d' % ('a', 3) }} {{ 'long text here' | truncate(8) }} {{ 'Hello World' | slugify }} {{ 3 | ordinal }}", '2.3 003.1 a=3 long... hello_world 3rd'],
  ['variables', '{{ a + 1 }} {{ b.c }}', '42 x'],
  ['dict methods', "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %} {{ {'a': 1}.get('z', 0) }}", 'a=1;b=2; 0'],
  ['macros', "{% macro m(a, b=2) %}{{ a + b }}{% endmacro %}{{ m(1) }} {{ m(1) ~ 'x' }}", '3 3x'],
  ['break and continue', '{% for i in range(5) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif %}{{ i }}{% endfor %}', '013'],
  ['do', '{% set l = [] %}{% do l.append(1) %}{% for x in [2, 3] %}{% do l.append(x) %}{% endfor %}{{ l }}', '[1, 2, 3]'],
  ['tuples and is not', "{{ '%s-%s' % ('a', 'b') }} {{ x is not none }} {{ 'a' not in ['b'] }}", 'a-b True True'],
  ['no delimiters: returned as is', '  plain text  ', '  plain text  '],
  ['python floats', "{{ 10 / 2 }} {{ '42' | float }} {{ 20 | round(1) }} {{ 2.5 + 2.5 }} {{ 7 // 2.0 }} {{ [1.5, 2.5] | sum }} {{ average(1, 2) }} {{ median([1, 2]) }} {{ (10 / 4) ~ '' }} {{ {'a': 5 / 1} | tojson }} {{ 3 / 1 == 3 }} {{ '%s' % (4 / 2) }}", '5.0 42.0 20.0 5.0 3.0 4.0 1.5 1.5 2.5 {"a": 5.0} True 2.0'],
  ['concat is str()', "{{ 'a' ~ none ~ 1 ~ undefined_x ~ true }}", 'aNone1True'],
  ['output is stripped', '  {{ 1 }}\n', '1'],
];

t.test('functions, filters and tests', async (t) => {
  for (const [what, src, want] of cases) t.equal(render(src, { a: 41, b: { c: 'x' } }), want, what);
});

t.test('errors in HA words', async (t) => {
  t.equal(render('{{ x.y }}'), "ERROR UndefinedError: 'x' is undefined");
  t.equal(render('{{ states.Light }}'), "ERROR TemplateError: Invalid domain name 'Light'");
  t.equal(render("{{ states('sensor.outside_temperature') > 10 }}"), "ERROR TypeError: '>' not supported between instances of 'str' and 'int'");
  t.equal(render("{{ 'abc' | float }}"), "ERROR ValueError: Template error: float got invalid input 'abc' when rendering template '{{ 'abc' | float }}' but no default was specified");
  t.equal(render("{{ 'x' + 1 }}"), 'ERROR TypeError: can only concatenate str (not "int") to str');
  t.equal(render('{{ 1 // 0 }}'), 'ERROR ZeroDivisionError: integer division or modulo by zero');
  t.equal(render('{% foo %}'), "ERROR TemplateSyntaxError: Encountered unknown tag 'foo'.");
  t.equal(render('{{ x | nosuchfilter }}'), "ERROR TemplateAssertionError: No filter named 'nosuchfilter'.");
  t.equal(render('{{ [1, 2 }}'), "ERROR TemplateSyntaxError: unexpected '}', expected ']'");
  t.equal(render('{{ range(200000) | count }}'), 'ERROR OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).');
  t.equal(render('{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}'), 'ERROR RecursionError: maximum recursion depth exceeded');
  const strict = renderTemplate('{{ nope }}{{ x is defined }}', env, {}, { strict: true });
  t.same(strict, { ok: false, error: "UndefinedError: 'nope' is undefined", kind: 'runtime' });
  t.same(renderTemplate('{% if y is defined %}{{ y }}{% endif %}ok', env, {}, { strict: true }).ok, true, 'strict still allows `is defined`');
  const big = renderTemplate("{{ 'x' * 300000 }}", env);
  t.same(big, { ok: false, error: 'Template output exceeded maximum size of 262144 characters', kind: 'runtime' });
});

t.test('runaway templates stop', async (t) => {
  const start = Date.now();
  const out = renderTemplate('{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}', env, {}, { timeout: 0.2 });
  t.same(out, { ok: false, error: 'Exceeded maximum execution time of 0.2s', kind: 'runtime' });
  t.ok(Date.now() - start < 2000, 'stopped near its budget');
  t.equal(render('{{ 1 }}'), '1', 'the engine still works afterwards');
});

t.test('templates cannot reach JavaScript', async (t) => {
  t.equal(render("{{ ''.constructor }}|{{ [].constructor }}|{{ {}.__proto__ }}|{{ states.light.constructor }}"), '|||None');
  t.match(render("{{ ''.constructor.constructor('return process')() }}"), /^ERROR UndefinedError/);
});

t.test('listeners', async (t) => {
  const l = (src: string) => {
    const out = renderTemplate(src, env);
    return out.ok ? out.listeners : null;
  };
  t.same(l("{{ states('sun.sun') }} {{ is_state('light.bed_light', 'on') }}"), { all: false, entities: ['sun.sun', 'light.bed_light'], domains: [], time: false });
  t.same(l('{{ states.light | count }}'), { all: false, entities: [], domains: ['light'], time: false });
  t.same(l('{{ states.light.bed_light.state }}'), { all: false, entities: ['light.bed_light'], domains: [], time: false });
  t.same(l("{{ states | count }} {{ states('sun.sun') }} {{ now() }}"), { all: true, entities: [], domains: [], time: true });
  t.same(l("{{ states.switch | selectattr('state', 'eq', 'on') | list }}"), { all: false, entities: ['switch.decorative_lights', 'switch.ac'], domains: ['switch'], time: false });
});
