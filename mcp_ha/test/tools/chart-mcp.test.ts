// ha_history as: "chart" through MCP against the simulator: a PNG image after a short JSON text
// with the period's figures; a numeric sensor over a week, statistics (a meter's bars and a mean
// with its band), several entities of several kinds, a state entity's timeline; on the demo home
// and the 2,000-entity home. Each PNG is decoded: 768 px wide, at most 768 high, not blank, the
// series colours drawn. Errors: too many entities or units for one chart, no data in the period,
// statistics "list". Sizes and times are t.comment()ed.
import { writeFileSync } from 'node:fs';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import t, { type Test } from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';
import { pixelStats } from './chartPixels.js';

type Obj = Record<string, unknown>;

interface Chart {
  json: Obj;
  png: Buffer;
  stats: ReturnType<typeof pixelStats>;
}

async function chart(t: Test, stack: Stack, args: Obj, label: string): Promise<Chart> {
  const started = performance.now();
  const { result, json } = await stack.call('ha_history', { ...args, as: 'chart' });
  const ms = performance.now() - started;
  const text = (result.content[0] as { text: string }).text;
  if (result.isError) throw new Error(`${label}: ${text}`);
  t.equal(result.content.length, 2, `${label}: the JSON text, then the image`);
  const image = result.content[1] as { type: string; data: string; mimeType: string };
  t.match(image, { type: 'image', mimeType: 'image/png' });
  const png = Buffer.from(image.data, 'base64');
  t.same([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const stats = pixelStats(png);
  t.equal(stats.width, 768, 'readable at 768 px: the width');
  t.ok(stats.height >= 100 && stats.height <= 768, `height ${stats.height} within 768`);
  t.ok(stats.variance > 100, `not blank (grey variance ${stats.variance.toFixed(0)})`);
  t.notOk('images' in (result.structuredContent ?? {}), 'no image in structuredContent');
  t.match(json, { time_zone: 'Europe/Amsterdam', start: String, end: String, has_more: false, note: /image/ });
  if (process.env.CHART_DIR) writeFileSync(`${process.env.CHART_DIR}/${label.replace(/[^a-z0-9]+/gi, '_')}.png`, png);
  t.comment(`${label}: ${png.length} bytes PNG ${stats.width}x${stats.height}, text ${encode(text).length} tokens, ${ms.toFixed(0)} ms`);
  return { json, png, stats };
}

const entity = (json: Obj, id: string): Obj => (json.entities as Record<string, Obj>)[id]!;

async function error(stack: Stack, args: Obj): Promise<Obj> {
  const { result, json } = await stack.call('ha_history', { ...args, as: 'chart' });
  if (!result.isError) throw new Error(`expected an error for ${JSON.stringify(args)}`);
  return json;
}

t.test('charts on the demo home', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  t.test('a numeric sensor, a light and a power sensor in one chart', async (t) => {
    const { json, stats } = await chart(t, stack, { entity_ids: ['sensor.outside_temperature', 'light.bed_light', 'sensor.power_consumption'], start: '-30m' }, 'demo: 3 entities, 30 minutes');
    t.match(entity(json, 'sensor.outside_temperature'), { unit: '°C', min: Number, max: Number, mean: Number });
    t.match(entity(json, 'sensor.power_consumption'), { unit: 'W', min: 100, max: 100 });
    t.match(entity(json, 'light.bed_light'), { time: { on: String, off: String } });
    t.ok(stats.height > 432, 'two panels (°C, W) and a lane');
    t.ok(stats.coloured > 3000, `${stats.coloured} coloured pixels`);
  });

  t.test('a state entity: the light toggled ~80 times as a timeline (the demo home’s day is its last minutes)', async (t) => {
    const { json, stats } = await chart(t, stack, { entity_ids: ['light.bed_light'], start: '-30m' }, 'demo: light.bed_light, 30 minutes');
    t.match(entity(json, 'light.bed_light'), { time: { on: String, off: String } });
    t.ok(stats.coloured > 1000, `${stats.coloured} coloured pixels (the "on" runs)`);
  });

  t.test('a numeric sensor over a week (the demo home began now: a short line at the end)', async (t) => {
    stack.sim.home.setState('sensor.outside_temperature', '12.5');
    const { json } = await chart(t, stack, { entity_ids: ['sensor.outside_temperature'], start: '-7d' }, 'demo: a week of a sensor');
    t.match(entity(json, 'sensor.outside_temperature'), { unit: '°C', max: Number });
  });

  t.test('statistics: the recorded 5-minute rows, a meter as bars and a mean with its band', async (t) => {
    const { json, stats } = await chart(t, stack, { entity_ids: ['sensor.total_energy_kwh', 'sensor.outside_temperature'], statistics: '5minute' }, 'demo: 5-minute statistics');
    t.match(entity(json, 'sensor.total_energy_kwh'), { unit: 'kWh', total: Number });
    t.match(entity(json, 'sensor.outside_temperature'), { unit: '°C', mean: Number });
    t.ok(stats.coloured > 500, `${stats.coloured} coloured pixels`);
  });

  t.test('errors: nothing in the period, statistics "list", a statistic without data', async (t) => {
    const none = await error(stack, { entity_ids: ['light.bed_light'], start: 'yesterday' });
    t.match(none, { error: 'not_found', message: /^No history of light\.bed_light from \d{4}-\d\d-\d\d 00:00 to .* \(Europe\/Amsterdam\)\.$/, suggestion: /earlier or longer period/ });
    const list = await error(stack, { statistics: 'list' });
    t.match(list, { error: 'invalid_input', message: 'statistics "list" has no chart.' });
    const noStats = await error(stack, { entity_ids: ['light.bed_light'], statistics: 'hour' });
    t.match(noStats, { error: 'not_found', message: /^No hour statistics of light\.bed_light/, suggestion: /finer statistics period/ });
    const unknown = await error(stack, { entity_ids: ['sensor.outside_temperatur'] });
    t.match(unknown, { error: 'entity_not_found', suggestion: /sensor\.outside_temperature/ });
    const bad = await stack.call('ha_history', { entity_ids: ['light.bed_light'], as: 'svg' });
    t.match(bad.json, { error: 'invalid_input' });
  });
});

t.test('charts on a 2,000-entity home with a synthesized past', async (t) => {
  const stack = await startStack({ home: 2000 });
  t.teardown(() => stack.close());
  const states = [...stack.deps.ha.cache.states()];
  const ids = (f: (s: (typeof states)[number]) => boolean, n: number) => states.filter(f).slice(0, n).map((s) => s.entity_id);
  const temperatures = ids((s) => s.attributes.device_class === 'temperature' && s.entity_id.startsWith('sensor.') && s.state !== 'unavailable', 9);

  t.test('a busy power sensor over a week: 48 buckets, mean with a min–max band', async (t) => {
    const { json, stats } = await chart(t, stack, { entity_ids: ['sensor.smart_meter_power'], start: '-7d' }, '2000: sensor.smart_meter_power, a week');
    const power = entity(json, 'sensor.smart_meter_power');
    t.match(power, { unit: 'W', min: Number, max: Number, mean: Number });
    t.ok((power.min as number) < (power.mean as number) && (power.mean as number) < (power.max as number));
    t.ok(stats.coloured > 1500, `${stats.coloured} coloured pixels (the line)`);
    t.ok(stats.inked > 50_000, `${stats.inked} inked pixels (the band)`);
  });

  t.test('five temperatures and three lights over a week in one chart', async (t) => {
    const lights = ids((s) => s.entity_id.startsWith('light.') && s.state !== 'unavailable', 3);
    const { json, stats } = await chart(t, stack, { entity_ids: [...temperatures.slice(0, 5), ...lights], start: '-7d' }, '2000: 5 temperatures + 3 lights, a week');
    for (const id of temperatures.slice(0, 5)) t.match(entity(json, id), { unit: '°C', mean: Number });
    for (const id of lights) t.match(entity(json, id), { time: Object });
    t.ok(stats.height > 432);
  });

  t.test('a lock and a door as timelines over three days', async (t) => {
    const doors = ids((s) => s.entity_id.startsWith('lock.') || s.attributes.device_class === 'door', 2);
    const { json, stats } = await chart(t, stack, { entity_ids: doors, start: '-3d' }, '2000: a lock and a door, 3 days');
    for (const id of doors) t.match(entity(json, id), { time: Object });
    t.ok(stats.coloured > 500);
  });

  t.test('statistics: kWh per day this week (bars) and the power per hour over a week (band)', async (t) => {
    const day = await chart(t, stack, { entity_ids: ['sensor.smart_meter_energy_import'], start: '-7d', statistics: 'day' }, '2000: kWh per day');
    t.match(entity(day.json, 'sensor.smart_meter_energy_import'), { unit: 'kWh', total: Number });
    t.ok(day.stats.coloured > 5000, `${day.stats.coloured} coloured pixels (bars)`);
    const hour = await chart(t, stack, { entity_ids: ['sensor.smart_meter_power', 'sensor.smart_meter_energy_import'], start: '-7d', statistics: 'hour' }, '2000: hourly power and energy, a week');
    t.match(entity(hour.json, 'sensor.smart_meter_power'), { unit: 'W', min: Number, max: Number, mean: Number });
    const month = await chart(t, stack, { entity_ids: ['sensor.smart_meter_energy_import'], start: '-30d', statistics: 'week' }, '2000: kWh per week, 30 days');
    t.match(entity(month.json, 'sensor.smart_meter_energy_import'), { total: Number });
  });

  t.test('errors: too many entities, too many units, no data in the period', async (t) => {
    t.equal(temperatures.length, 9);
    const many = await error(stack, { entity_ids: temperatures });
    t.match(many, { error: 'invalid_input', message: 'A chart shows at most 8 entities; 9 were asked.', suggestion: /several calls of at most 8.*leave out "as"/ });
    const units = ['sensor.smart_meter_power', 'sensor.smart_meter_energy_import', temperatures[0]!, ...ids((s) => s.attributes.unit_of_measurement === '%' && s.entity_id.startsWith('sensor.'), 1)];
    const tooManyUnits = await error(stack, { entity_ids: units, start: '-1h' });
    t.match(tooManyUnits, { error: 'invalid_input', message: /at most 3 panels \(one per unit\); these entities have 4/, suggestion: /one chart per unit/ });
    const empty = await error(stack, { entity_ids: ['sensor.smart_meter_power'], start: '-30d', end: '-25d' });
    t.match(empty, { error: 'not_found', message: /^No history of sensor\.smart_meter_power from/ });
    const long = await error(stack, { entity_ids: ['sensor.smart_meter_power'], start: '-40d' });
    t.match(long, { error: 'invalid_input', message: /at most 31 days/, suggestion: /statistics/ });
  });
});
