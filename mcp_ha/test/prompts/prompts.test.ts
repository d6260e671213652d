// The prompts against the simulator's demo home (and a generated 10,000-entity one): each renders
// from live data, stays under 8 kB, names only tools this deployment offers, and bad arguments
// are AppErrors with a suggestion.
import t, { type Test } from 'tap';
import { z } from 'zod';
import type { HaClient } from '../../src/ha/types.js';
import { ENERGY_PERIODS, MAX_PROMPT_BYTES, PROMPTS, getPrompt, listPrompts, promptByName, type PromptDeps, type PromptResult } from '../../src/prompts/index.js';
import { periodRange } from '../../src/prompts/energyReport.js';
import { ALL_TOOLS, toolsFor } from '../../src/tools/registry.js';
import { failure } from '../helpers/net.js';
import { startSimHome, until } from '../home/simHome.js';

const text = (r: PromptResult): string => r.messages[0]?.content.text ?? '';
const size = (r: PromptResult): number => Buffer.byteLength(text(r), 'utf8');
const namedTools = (s: string): string[] => [...new Set(s.match(/\bha_[a-z_]+/g) ?? [])];

/** Every check each rendered prompt must pass, whatever its arguments. */
function wellFormed(t: Test, r: PromptResult, deps: PromptDeps, what: string): void {
  t.equal(r.messages.length, 1, `${what}: one message`);
  t.equal(r.messages[0]?.role, 'user');
  t.equal(r.messages[0]?.content.type, 'text');
  t.ok(size(r) <= MAX_PROMPT_BYTES, `${what}: ${size(r)} bytes`);
  const offered = new Set(toolsFor(deps.config.toolsets).map((tool) => tool.name));
  const named = namedTools(text(r));
  t.ok(named.length > 0, `${what}: names tools`);
  t.same(named.filter((n) => !offered.has(n)), [], `${what}: names only offered tools (${named.join(', ')})`);
}

t.test('the prompt list', async (t) => {
  t.same(PROMPTS.map((p) => p.name), ['troubleshoot_entity', 'write_automation', 'energy_report', 'whats_on']);
  for (const p of listPrompts()) {
    const def = promptByName(p.name);
    t.ok(def, p.name);
    t.ok(p.title && p.description.length <= 140, `${p.name}: short description (${p.description.length})`);
    // The published arguments are the schema's keys, required exactly when the schema requires them.
    const shape = def?.input.shape as Record<string, z.ZodType>;
    t.same(p.arguments.map((a) => a.name).sort(), Object.keys(shape).sort(), `${p.name}: arguments match the schema`);
    for (const a of p.arguments) {
      t.equal(a.required, !(shape[a.name]?.safeParse(undefined).success ?? false), `${p.name}.${a.name} required=${a.required}`);
      t.ok(a.description.length > 0 && a.description.length <= 120);
    }
  }
  t.equal(promptByName('nope'), undefined);
  const err = await failure(getPrompt('nope', {}, { ha: {} as HaClient, config: { toolsets: ['read'], policy: { readOnly: false } } }));
  t.equal(err.code, 'not_found');
  t.match(err.suggestion, /troubleshoot_entity, write_automation, energy_report, whats_on/);
});

t.test('before the home has loaded: ha_unreachable', async (t) => {
  const ha = { status: 'connecting', cache: { loaded: false } } as unknown as HaClient;
  const deps: PromptDeps = { ha, config: { toolsets: ['read'], policy: { readOnly: false } } };
  for (const [name, args] of [['troubleshoot_entity', { entity_id: 'light.x' }], ['whats_on', {}], ['energy_report', {}], ['write_automation', { goal: 'x' }]] as const) {
    t.equal((await failure(getPrompt(name, args, deps))).code, 'ha_unreachable', name);
  }
});

t.test('energy periods in the home time zone', async (t) => {
  const tz = 'Europe/Amsterdam';
  const h = 3_600_000;
  // Monday 30 March 2026, 12:00 local (10:00Z): summer time began on Sunday the 29th.
  const now = Date.parse('2026-03-30T10:00:00Z');
  const r = (p: (typeof ENERGY_PERIODS)[number]): { start: string; end: string; running: boolean; hours: number } => {
    const x = periodRange(p, now, tz);
    return { start: new Date(x.start).toISOString(), end: new Date(x.end).toISOString(), running: x.running, hours: (x.end - x.start) / h };
  };
  t.same(r('today'), { start: '2026-03-29T22:00:00.000Z', end: '2026-03-30T10:00:00.000Z', running: true, hours: 12 });
  t.same(r('yesterday'), { start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', running: false, hours: 23 }, 'a 23-hour day');
  t.equal(r('this_week').start, '2026-03-29T22:00:00.000Z', 'weeks start on Monday');
  t.same([r('last_week').start, r('last_week').end], ['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
  t.same([r('this_month').start, r('last_month').start, r('last_month').end], ['2026-02-28T23:00:00.000Z', '2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z']);
  t.equal(r('this_year').start, '2025-12-31T23:00:00.000Z');
  // January: last month is December of the year before.
  const jan = periodRange('last_month', Date.parse('2026-01-15T12:00:00Z'), 'UTC');
  t.same([new Date(jan.start).toISOString(), new Date(jan.end).toISOString()], ['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
  // Sunday counts as the last day of the week.
  t.equal(new Date(periodRange('this_week', Date.parse('2026-04-05T12:00:00Z'), 'UTC').start).toISOString(), '2026-03-30T00:00:00.000Z');
});

t.test('on the demo home', async (t) => {
  const home = await startSimHome('demo');
  t.teardown(() => home.close());
  const { ha, sim } = home;
  const deps = home.deps();
  const cache = ha.cache;

  t.test('troubleshoot_entity: state, device, integration, related automation, next tools', async (t) => {
    const r = await getPrompt('troubleshoot_entity', { entity_id: 'light.bed_light' }, deps);
    wellFormed(t, r, deps, 'troubleshoot');
    const s = text(r);
    const state = cache.getState('light.bed_light');
    t.match(s, 'light.bed_light ("Bed Light")');
    t.match(s, `- state: ${state?.state}`);
    t.match(s, /last_changed 20\d\d-/);
    t.match(s, /- attributes: \{.*"brightness"/);
    t.notMatch(s, '"friendly_name"', 'the name is said once, not again as an attribute');
    t.match(s, '- integration: demo');
    t.match(s, `device_id ${cache.entities.get('light.bed_light')?.device_id}`);
    t.match(s, /automations that use it: automation\.mcp_test_automation=on/, 'search/related names the automation');
    for (const tool of ['ha_get_state', 'ha_list_automations', 'ha_audit_log', 'ha_call_service', 'ha_history', 'ha_logbook']) t.match(s, `- ${tool}: `);
    t.match(s, '- ha_history: {"entity_ids":["light.bed_light"],"start":"-3d"}');
    t.notMatch(s, "the entity's history are not available", 'history is, through ha_history');
    t.match(s, 'homeassistant.update_entity');
    t.equal(r.description, 'Troubleshoot light.bed_light');
  });

  t.test('troubleshoot_entity: an unavailable entity gets the matching diagnosis', async (t) => {
    const before = cache.getState('cover.garage_door');
    sim.home.setState('cover.garage_door', 'unavailable', { friendly_name: 'Garage Door', restored: true });
    t.teardown(async () => {
      sim.home.setState('cover.garage_door', before?.state ?? 'closed', before?.attributes ?? {});
      await until(() => cache.getState('cover.garage_door')?.state !== 'unavailable');
    });
    await until(() => cache.getState('cover.garage_door')?.state === 'unavailable');
    const s = text(await getPrompt('troubleshoot_entity', { entity_id: 'cover.garage_door' }, deps));
    t.match(s, '- state: unavailable');
    t.match(s, /What this suggests:\n- It is unavailable and "restored": its integration did not provide it/);
    t.match(s, /- 1 of \d+ entities of the demo integration are unavailable\./);
  });

  t.test('troubleshoot_entity: huge attributes stay bounded, the diagnosis stays in', async (t) => {
    const before = cache.getState('cover.garage_door');
    const attributes: Record<string, unknown> = { friendly_name: 'Garage Door', restored: true };
    for (let i = 0; i < 300; i++) attributes[`attribute_${i}`] = 'x'.repeat(500);
    sim.home.setState('cover.garage_door', 'unavailable', attributes);
    t.teardown(async () => {
      sim.home.setState('cover.garage_door', before?.state ?? 'closed', before?.attributes ?? {});
      await until(() => cache.getState('cover.garage_door')?.state !== 'unavailable');
    });
    await until(() => cache.getState('cover.garage_door')?.attributes.attribute_299 !== undefined);
    const r = await getPrompt('troubleshoot_entity', { entity_id: 'cover.garage_door' }, deps);
    wellFormed(t, r, deps, 'huge attributes');
    t.match(text(r), /"restored":true/);
    t.match(text(r), /\(\+\d+ more: ha_get_state\)/);
    t.match(text(r), 'What this suggests:');
  });

  t.test('troubleshoot_entity: an entity outside the entity registry', async (t) => {
    const s = text(await getPrompt('troubleshoot_entity', { entity_id: 'lock.poorly_installed_door' }, deps));
    t.match(s, '- registry: not in the entity registry');
    t.notMatch(s, '- integration:');
  });

  t.test('troubleshoot_entity: bad arguments', async (t) => {
    const typo = await failure(getPrompt('troubleshoot_entity', { entity_id: 'light.bed_lite' }, deps));
    t.equal(typo.code, 'entity_not_found');
    t.match(typo.suggestion, /Did you mean light\.bed_light/);
    t.ok((typo.details?.closest as string[]).includes('light.bed_light'));
    t.equal((await failure(getPrompt('troubleshoot_entity', { entity_id: 'Bed Light' }, deps))).code, 'invalid_input', 'not an entity id');
    const long = await failure(getPrompt('troubleshoot_entity', { entity_id: `light.${'x'.repeat(300)}` }, deps));
    t.equal(long.code, 'invalid_input');
    t.match(long.message, /entity_id/);
    t.match(long.suggestion, /entity_id \(required\)/);
    t.equal((await failure(getPrompt('troubleshoot_entity', {}, deps))).code, 'invalid_input', 'missing');
    t.equal((await failure(getPrompt('troubleshoot_entity', { entity_id: '' }, deps))).code, 'invalid_input', 'blank');
  });

  t.test('only the tools of the configured toolsets, and no writes when read-only', async (t) => {
    for (const d of [home.deps({ toolsets: ['read'] }), home.deps({ readOnly: true })]) {
      for (const [name, args] of [['troubleshoot_entity', { entity_id: 'light.bed_light' }], ['whats_on', {}], ['write_automation', { goal: 'porch light at sunset' }], ['energy_report', {}]] as const) {
        const r = await getPrompt(name, args, d);
        wellFormed(t, r, d, `${name} ${JSON.stringify(d.config)}`);
        t.notMatch(text(r), 'ha_call_service', `${name}: no write tool`);
      }
    }
  });

  t.test('write_automation: current syntax, matching entities, tools', async (t) => {
    const r = await getPrompt('write_automation', { goal: 'Turn on the kitchen lights when there is movement in the backyard after sunset' }, deps);
    wellFormed(t, r, deps, 'write_automation');
    const s = text(r);
    t.match(s, '"""\nTurn on the kitchen lights when there is movement in the backyard after sunset\n"""');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(s)?.[1] ?? '';
    t.match(yaml, /^triggers:\n {2}- trigger: state\n/m);
    t.match(yaml, /^conditions:\n {2}- condition: sun\n/m);
    t.match(yaml, /^actions:\n {2}- action: light\.turn_on\n/m);
    t.notMatch(yaml, /platform:|service:|^trigger:|^action:|^condition:/m, 'no pre-2024.10 keys in the example');
    const listed = s.split('\n').filter((l) => /^- [a-z_]+\.[a-z0-9_]+=/.test(l)).map((l) => l.slice(2, l.indexOf('=')));
    t.same(listed.slice(0, 2).sort(), ['binary_sensor.movement_backyard', 'light.kitchen_lights'], 'the goal\'s entities first');
    t.ok(listed.every((id) => cache.getState(id)), 'listed entities exist');
    t.match(s, 'Areas (4): bedroom, kitchen, living_room');
    t.match(s, 'Home Assistant 2026.2.0.dev0, time zone Europe/Amsterdam.');
    t.notMatch(s, 'older than 2024.10');
    for (const tool of ['ha_search_entities', 'ha_list_services', 'ha_render_template', 'ha_list_automations']) t.match(s, `- ${tool}: `);
  });

  t.test('write_automation: an area lists its entities; names and typos', async (t) => {
    sim.home.updateEntityRegistry('light.kitchen_lights', { area_id: 'kitchen' });
    sim.home.updateEntityRegistry('cover.kitchen_window', { area_id: 'kitchen' });
    t.teardown(async () => {
      sim.home.updateEntityRegistry('light.kitchen_lights', { area_id: null });
      sim.home.updateEntityRegistry('cover.kitchen_window', { area_id: null });
      await until(() => !cache.entities.get('cover.kitchen_window')?.area_id && !cache.entities.get('light.kitchen_lights')?.area_id);
    });
    await until(() => cache.entities.get('cover.kitchen_window')?.area_id === 'kitchen' && cache.entities.get('light.kitchen_lights')?.area_id === 'kitchen');
    const r = await getPrompt('write_automation', { goal: 'close the kitchen window at night', area: 'Kitchen' }, deps);
    wellFormed(t, r, deps, 'write_automation area');
    const s = text(r);
    t.match(s, /Entities in area kitchen \("Kitchen"\): 2, closest to the goal first.*\n- cover\.kitchen_window=\w+\n- light\.kitchen_lights=/);
    t.match(s, 'ha_list_entities: {"area":"kitchen"}');

    const unknown = await failure(getPrompt('write_automation', { goal: 'x', area: 'kitchn' }, deps));
    t.equal(unknown.code, 'not_found');
    t.match(unknown.suggestion, /^Did you mean kitchen\b/);
    t.same(unknown.details?.closest, ['kitchen']);
  });

  t.test('write_automation: an older Home Assistant is told its own syntax', async (t) => {
    const version = cache.config?.version;
    sim.home.updateCoreConfig({ version: '2024.8.3' });
    t.teardown(async () => {
      sim.home.updateCoreConfig({ version });
      await until(() => cache.config?.version === version);
    });
    await until(() => cache.config?.version === '2024.8.3');
    const s = text(await getPrompt('write_automation', { goal: 'porch light at sunset' }, deps));
    t.match(s, 'NOTE: this Home Assistant is 2024.8.3, older than 2024.10: write the top-level keys singular (trigger:, condition:, action:), start each trigger with platform:, and each service call with action: (2024.8 and later).');
  });

  t.test('write_automation: bounded goal', async (t) => {
    t.equal((await failure(getPrompt('write_automation', { goal: 'x'.repeat(2001) }, deps))).code, 'invalid_input');
    t.equal((await failure(getPrompt('write_automation', { goal: '   ' }, deps))).code, 'invalid_input');
    t.equal((await failure(getPrompt('write_automation', {}, deps))).code, 'invalid_input');
    const ascii = await getPrompt('write_automation', { goal: 'kitchen light '.repeat(142).slice(0, 2000) }, deps);
    wellFormed(t, ascii, deps, '2,000-character goal');
    t.notMatch(text(ascii), 'The goal was cut');
    // 2,000 three-byte characters are 6,000 bytes: the goal is cut, the rules stay.
    const wide = await getPrompt('write_automation', { goal: '灯'.repeat(2000) }, deps);
    wellFormed(t, wide, deps, '2,000 wide characters');
    t.match(text(wide), /\(The goal was cut to \d+ bytes\.\)/);
    t.match(text(wide), 'triggers:');
  });

  t.test('energy_report: no dashboard on the demo home', async (t) => {
    const r = await getPrompt('energy_report', {}, deps);
    wellFormed(t, r, deps, 'energy_report');
    const s = text(r);
    t.match(s, /^Energy report for today: \d{4}-\d\d-\d\d 00:00 to now local time \(Europe\/Amsterdam\)/);
    t.match(s, 'The Energy dashboard is not set up');
    t.match(s, '- sensor.total_energy_kwh=');
    // ha_history (statistics per period, meters with a total) reads the amounts for the period.
    t.match(s, /^- ha_history: .* Use it for the sensors above from \d{4}-\d\d-\d\dT[\d:.]+Z to \d{4}-/m);
    t.notMatch(s, 'No history or statistics tool is available here');
    t.match(s, '- ha_get_energy: ');
    const last = text(await getPrompt('energy_report', { period: 'last_month' }, deps));
    t.match(last, /^Energy report for last month: \d{4}-\d\d-01 00:00 to \d{4}-\d\d-01 00:00 local time/);
    t.equal(text(await getPrompt('energy_report', { period: '' }, deps)).split('\n')[0]?.startsWith('Energy report for today'), true, 'blank is the default');
    const bad = await failure(getPrompt('energy_report', { period: 'lastmonth' }, deps));
    t.equal(bad.code, 'invalid_input');
    t.match(bad.message, /period/);
    t.match(bad.suggestion, ENERGY_PERIODS.join(', '));
  });

  t.test('whats_on: counts and rows match the cache', async (t) => {
    const r = await getPrompt('whats_on', {}, deps);
    wellFormed(t, r, deps, 'whats_on');
    const s = text(r);
    const lightsOn = [...cache.states()].filter((x) => x.entity_id.startsWith('light.') && x.state === 'on').map((x) => x.entity_id);
    t.match(s, `lights ${lightsOn.length},`);
    t.match(s, `Lights on (${lightsOn.length}; all: ha_list_entities {"domain":"light","state":"on"})`);
    for (const id of lightsOn) t.match(s, `- ${id}=on`);
    t.match(s, /Locks not locked \(2;.*\n- lock\.kitchen_door=unlocked\n- lock\.poorly_installed_door=unlocked/);
    t.match(s, /Covers open \(\d+;/);
    t.match(s, 'People: person.mcp_test=');
    t.notMatch(s, 'media_player.walkman=idle', 'idle players are not "on"');
    t.ok(s.indexOf('Locks not locked') < s.indexOf('Lights on'), 'locks and openings first');

    sim.home.updateEntityRegistry('light.kitchen_lights', { area_id: 'kitchen' });
    t.teardown(async () => {
      sim.home.updateEntityRegistry('light.kitchen_lights', { area_id: null });
      await until(() => !cache.entities.get('light.kitchen_lights')?.area_id);
    });
    await until(() => cache.entities.get('light.kitchen_lights')?.area_id === 'kitchen');
    sim.home.setState('light.kitchen_lights', 'on');
    await until(() => cache.getState('light.kitchen_lights')?.state === 'on');
    const kitchen = text(await getPrompt('whats_on', { area: 'kitchen' }, deps));
    t.match(kitchen, 'right now in area kitchen');
    t.match(kitchen, /Counts: locks 0, openings 0, covers 0, valves 0, lights 1, /);
    t.match(kitchen, 'ha_list_entities {"domain":"light","state":"on","area":"kitchen"}');
    t.notMatch(kitchen, 'People:');
    const unknown = await failure(getPrompt('whats_on', { area: 'livingroom' }, deps));
    t.equal(unknown.code, 'not_found');
    t.match(unknown.suggestion, /^Did you mean living_room/);
    t.equal((await failure(getPrompt('whats_on', { area: 'x'.repeat(256) }, deps))).code, 'invalid_input');
  });
});

t.test('on a 10,000-entity home: bounded, fast, says how to get the rest', async (t) => {
  const home = await startSimHome(10_000);
  t.teardown(() => home.close());
  const deps = home.deps();
  const kitchenLight = [...home.ha.cache.states()].find((s) => s.entity_id.startsWith('light.kitchen'))?.entity_id ?? 'light.x';
  const cases: [string, Record<string, string>][] = [
    ['whats_on', {}],
    ['whats_on', { area: 'kitchen' }],
    ['energy_report', { period: 'this_week' }],
    ['write_automation', { goal: 'kitchen light on when motion at night', area: 'kitchen' }],
    ['write_automation', { goal: 'warn me when a window is open and it rains' }],
    ['troubleshoot_entity', { entity_id: kitchenLight }],
  ];
  await getPrompt('write_automation', { goal: 'warm up the search index' }, deps);
  for (const [name, args] of cases) {
    const started = performance.now();
    const r = await getPrompt(name, args, deps);
    const ms = performance.now() - started;
    wellFormed(t, r, deps, `${name} ${JSON.stringify(args)}`);
    t.ok(ms < 2000, `${name}: ${ms.toFixed(0)} ms`);
  }
  const all = text(await getPrompt('whats_on', {}, deps));
  t.match(all, /Lights on \(\d{3,};.*\n(- .*\n)+- \(\+\d+ more\)/, 'a long group says how many more');
  t.match(all, 'Doors and windows open', 'a long group does not crowd out the others');
  t.match(all, 'Climate running');
  const energy = text(await getPrompt('energy_report', {}, deps));
  t.match(energy, 'The Energy dashboard is set up.');
  t.match(energy, '- grid import: sensor.smart_meter_energy_import=');
  t.match(energy, /Devices tracked by the dashboard \(\d+\)[\s\S]*- \(\+\d+ more: ha_get_energy\)/);
  t.match(energy, /Power now \(W\): solar -?\d+/);
});

t.test('every tool a prompt could name exists', async (t) => {
  // Prompts name tools by their definitions; the registry has each of them.
  const names = new Set(ALL_TOOLS.map((tool) => tool.name));
  for (const n of ['ha_get_state', 'ha_list_entities', 'ha_list_automations', 'ha_render_template', 'ha_list_services', 'ha_audit_log', 'ha_call_service', 'ha_search_entities', 'ha_get_energy']) {
    t.ok(names.has(n), n);
  }
});
