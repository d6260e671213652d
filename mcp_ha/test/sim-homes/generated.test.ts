// The generated big homes: exact counts, determinism, referential integrity, and the same
// shapes (key sets and orders) as the recorded Home Assistant demo.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { generateHome } from '../../sim/homes/generated.js';
import type { HomeData, SimState } from '../../sim/model.js';

interface Shapes {
  stateKeys: string[];
  contextKeys: string[];
  attributeKeys: Record<string, string[][]>;
  entityEntryKeys: string[];
  deviceEntryKeys: string[];
  areaEntryKeys: string[];
  floorEntryKeys: string[];
  labelEntryKeys: string[];
  entityDetailKeys: string[];
  energyPrefsKeys: string[];
  automationConfigKeys: string[];
}

const here = dirname(fileURLToPath(import.meta.url));
const shapes = JSON.parse(readFileSync(join(here, 'fixtures', 'recorded-shapes.json'), 'utf8')) as Shapes;
const domainOf = (id: string) => id.slice(0, id.indexOf('.'));

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const big = generateHome(10_000);
const bigMs = performance.now() - t0;
const bigCpuMs = process.cpuUsage(cpu0).user / 1000;
const home = generateHome(2000, 3);

t.test('exact entity counts, unique ids', async (t) => {
  t.comment(`generateHome(10000): ${bigMs.toFixed(0)} ms wall, ${bigCpuMs.toFixed(0)} ms CPU (first call, includes JIT warm-up)`);
  for (const n of [0, 1, 10, 57, 300, 2000]) {
    const h = n === 2000 ? home : generateHome(n);
    t.equal(h.states.length, n, `${n} states`);
    t.equal(new Set(h.states.map((s) => s.entity_id)).size, n, `${n}: unique entity ids`);
  }
  t.equal(big.states.length, 10_000);
  t.ok(big.areas.length >= 100 && big.floors.length >= 5, 'a big home spreads over many areas and floors');
});

t.test('deterministic for a seed', async (t) => {
  t.same(generateHome(500, 7), generateHome(500, 7));
  t.not(JSON.stringify(generateHome(500, 7).states), JSON.stringify(generateHome(500, 8).states));
});

function integrity(t: Test, h: HomeData): void {
  const states = new Map(h.states.map((s) => [s.entity_id, s]));
  const devices = new Map(h.devices.map((d) => [d.id as string, d]));
  const areas = new Map(h.areas.map((a) => [a.area_id as string, a]));
  const floors = new Set(h.floors.map((f) => f.floor_id as string));
  const labels = new Set(h.labels.map((l) => l.label_id as string));
  const bad: string[] = [];
  const check = (ok: boolean, what: string) => void (ok || bad.push(what));
  for (const e of h.entities) {
    const id = e.entity_id as string;
    check(states.has(id), `${id} has a state`);
    check(e.device_id === null || devices.has(e.device_id as string), `${id} device`);
    check(e.area_id === null || areas.has(e.area_id as string), `${id} area`);
    for (const l of e.labels as string[]) check(labels.has(l), `${id} label ${l}`);
    check(h.extras?.entityDetails?.[id] !== undefined, `${id} details`);
  }
  for (const d of h.devices) {
    check(d.area_id === null || areas.has(d.area_id as string), `device ${String(d.name)} area`);
    check(d.via_device_id === null || devices.has(d.via_device_id as string), `device ${String(d.name)} hub`);
    for (const l of d.labels as string[]) check(labels.has(l), `device label ${l}`);
  }
  for (const a of h.areas) {
    check(a.floor_id === null || floors.has(a.floor_id as string), `area ${String(a.name)} floor`);
    for (const k of ['temperature_entity_id', 'humidity_entity_id']) check(a[k] === null || states.has(a[k] as string), `area ${String(a.name)} ${k}`);
    for (const l of a.labels as string[]) check(labels.has(l), `area label ${l}`);
  }
  const prefs = JSON.stringify(h.energyPrefs);
  for (const m of prefs.matchAll(/"stat_[a-z_]+":"([^"]+)"/g)) check(states.has(m[1]!), `energy stat ${m[1]}`);
  for (const cfg of [...Object.values(h.automationConfigs), ...Object.values(h.scriptConfigs)]) {
    for (const m of JSON.stringify(cfg).matchAll(/"entity_id":"([^"]+)"/g)) check(states.has(m[1]!), `config refers to ${m[1]}`);
    for (const m of JSON.stringify(cfg).matchAll(/"area_id":"([^"]+)"/g)) check(areas.has(m[1]!), `config refers to area ${m[1]}`);
  }
  t.same(bad, [], 'every reference resolves');
}

t.test('referential integrity', async (t) => {
  integrity(t, home);
  integrity(t, big);
  integrity(t, generateHome(30));
});

const keys = (o: object) => Object.keys(o);

t.test('shapes equal the recorded ones', async (t) => {
  for (const h of [home, big]) {
    t.same([...new Set(h.entities.map((e) => keys(e).join()))], [shapes.entityEntryKeys.join()], 'entity registry entries');
    t.same([...new Set(h.devices.map((d) => keys(d).join()))], [shapes.deviceEntryKeys.join()], 'device registry entries');
    t.same([...new Set(h.areas.map((a) => keys(a).join()))], [shapes.areaEntryKeys.join()], 'area registry entries');
    t.same([...new Set(h.floors.map((f) => keys(f).join()))], [shapes.floorEntryKeys.join()], 'floor registry entries');
    t.same([...new Set(h.labels.map((l) => keys(l).join()))], [shapes.labelEntryKeys.join()], 'label registry entries');
    t.same([...new Set(Object.values(h.extras!.entityDetails!).map((d) => keys(d).join()))], [shapes.entityDetailKeys.join()], 'entity details');
    t.same(keys(h.energyPrefs), shapes.energyPrefsKeys, 'energy prefs');
    t.same([...new Set(Object.values(h.automationConfigs).map((c) => keys(c).join()))], [shapes.automationConfigKeys.join()], 'automation configs');
    const unrecorded = new Set<string>();
    const mismatched: string[] = [];
    for (const s of h.states) {
      const domain = domainOf(s.entity_id);
      if (keys(s).join() !== shapes.stateKeys.join() || keys(s.context).join() !== shapes.contextKeys.join()) mismatched.push(`${s.entity_id} envelope`);
      const recorded = shapes.attributeKeys[domain];
      if (!recorded) {
        unrecorded.add(domain);
        continue;
      }
      const attrs = keys(s.attributes);
      const ok = s.state === 'unavailable'
        ? recorded.some((r) => attrs.every((k) => r.includes(k)))
        : recorded.some((r) => r.join() === attrs.join());
      if (!ok) mismatched.push(`${s.entity_id}: ${attrs.join()}`);
    }
    t.same(mismatched, [], 'state attributes have a recorded key set of their domain');
    // The demo recording has no scene; scenes carry HA's scene attributes (entity_id, id).
    t.same([...unrecorded], ['scene'], 'only scenes have no recorded shape');
  }
});

t.test('things needing attention, energy and services', async (t) => {
  const s = (pred: (x: SimState) => boolean) => home.states.filter(pred);
  t.ok(s((x) => x.state === 'unavailable').length > 0, 'some entities are unavailable');
  t.ok(s((x) => x.attributes.device_class === 'battery' && Number(x.state) < 15).length > 0, 'some batteries are low');
  t.ok(s((x) => ['door', 'window'].includes(x.attributes.device_class as string) && x.state === 'on').length > 0, 'some doors or windows are open');
  t.ok(s((x) => x.entity_id.startsWith('update.') && x.state === 'on').length > 0, 'some updates wait');
  t.ok(home.entities.some((e) => (e.labels as string[]).length > 0), 'some entities carry labels');
  t.ok(Object.values(home.extras!.entityDetails!).some((d) => (d.aliases as string[]).length > 0), 'some entities have aliases');
  t.ok(home.areas.some((a) => (a.aliases as string[]).length > 0), 'some areas have aliases');
  const types = (home.energyPrefs.energy_sources as { type: string }[]).map((x) => x.type);
  t.same(types, ['grid', 'solar', 'battery', 'gas']);
  t.ok((home.energyPrefs.device_consumption as unknown[]).length > 0, 'device consumption from smart plugs');
  const noServices = new Set(['sensor', 'binary_sensor', 'sun', 'zone']);
  const missing = [...new Set(home.states.map((x) => domainOf(x.entity_id)))].filter((d) => !noServices.has(d) && !home.services[d]);
  t.same(missing, [], 'every domain with actions has its services');
  const names = home.states.map((x) => x.attributes.friendly_name as string);
  t.ok(names.includes('Kitchen Ceiling Light') && names.includes('Upstairs Hallway Motion'), 'realistic names');
});
