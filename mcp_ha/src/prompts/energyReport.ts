// energy_report: the energy dashboard's sources with live values (src/home/energy.ts), the
// period as local and UTC times in the home's time zone, and how to get figures for it.
import { z } from 'zod';
import type { HomeCache } from '../ha/types.js';
import { compactRow } from '../home/compact.js';
import { energyPrefs, energyView, type EnergyView, type Readings } from '../home/energy.js';
import { liveCache } from '../home/liveCache.js';
import { getEnergy } from '../tools/energy.js';
import { listEntities } from '../tools/entities.js';
import { toolsFor } from '../tools/registry.js';
import { searchEntities } from '../tools/search.js';
import { renderTemplate } from '../tools/template.js';
import { MAX_PROMPT_BYTES, TextBudget, bytes, definePrompt, toolLines, toolView, userMessage } from './prompt.js';

export const ENERGY_PERIODS = ['today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month', 'this_year'] as const;
export type EnergyPeriod = (typeof ENERGY_PERIODS)[number];

const MAX_DEVICES = 30;
const MAX_SENSORS = 20;

interface LocalParts {
  y: number;
  m: number;
  d: number;
  hh: number;
  mm: number;
  /** Monday 0 .. Sunday 6 */
  weekday: number;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function partsIn(t: number, timeZone: string): LocalParts {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    weekday: 'short',
  });
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(new Date(t))) p[part.type] = part.value;
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), hh: Number(p.hour), mm: Number(p.minute), weekday: WEEKDAYS.indexOf(p.weekday ?? 'Mon') };
}

/** The UTC instant of local midnight starting y-m-d (month and day may overflow, as in Date.UTC). */
function localMidnight(y: number, m: number, d: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d);
  let t = wall;
  // Two rounds settle the offset, also next to a daylight-saving change.
  for (let i = 0; i < 2; i++) {
    const p = partsIn(t, timeZone);
    const offset = Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm) - Math.floor(t / 60_000) * 60_000;
    t = wall - offset;
  }
  return t;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function localText(t: number, timeZone: string): string {
  const p = partsIn(t, timeZone);
  return `${p.y}-${pad(p.m)}-${pad(p.d)} ${pad(p.hh)}:${pad(p.mm)}`;
}

export interface PeriodRange {
  start: number;
  /** Now, for a period still running. */
  end: number;
  running: boolean;
}

/** A period's bounds in the home's time zone; weeks start on Monday. */
export function periodRange(period: EnergyPeriod, now: number, timeZone: string): PeriodRange {
  const { y, m, d, weekday } = partsIn(now, timeZone);
  const day = (offset: number): number => localMidnight(y, m, d + offset, timeZone);
  switch (period) {
    case 'today':
      return { start: day(0), end: now, running: true };
    case 'yesterday':
      return { start: day(-1), end: day(0), running: false };
    case 'this_week':
      return { start: day(-weekday), end: now, running: true };
    case 'last_week':
      return { start: day(-weekday - 7), end: day(-weekday), running: false };
    case 'this_month':
      return { start: localMidnight(y, m, 1, timeZone), end: now, running: true };
    case 'last_month':
      return { start: localMidnight(y, m - 1, 1, timeZone), end: localMidnight(y, m, 1, timeZone), running: false };
    case 'this_year':
      return { start: localMidnight(y, 1, 1, timeZone), end: now, running: true };
  }
}

function validZone(tz: string | undefined): string {
  if (!tz) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
}

const readingText = (r: Readings | undefined): string | undefined =>
  r && Object.keys(r).length ? Object.entries(r).map(([id, v]) => `${id}=${v}`).join(', ') : undefined;

function sourceLines(view: EnergyView): string[] {
  const lines: [string, Readings | undefined][] = [
    ['grid import', view.grid?.import],
    ['grid export', view.grid?.export],
    ['grid power', view.grid?.power],
    ['solar production', view.solar?.energy],
    ['solar power', view.solar?.power],
    ['battery charged', view.battery?.charge],
    ['battery discharged', view.battery?.discharge],
    ['battery power', view.battery?.power],
    ['battery level', view.battery?.level],
    ['gas', view.gas],
    ['water', view.water],
  ];
  return lines.flatMap(([label, r]) => {
    const text = readingText(r);
    return text ? [`- ${label}: ${text}`] : [];
  });
}

function energySensors(cache: HomeCache): string[] {
  const rows: string[] = [];
  for (const s of cache.states()) {
    if (s.entity_id.startsWith('sensor.') && s.attributes.device_class === 'energy') rows.push(compactRow(cache, s));
  }
  return rows.sort();
}

export const energyReport = definePrompt({
  name: 'energy_report',
  title: 'Energy report',
  description: "A report on the home's energy for a period: grid, solar, battery, gas, water and the biggest devices.",
  arguments: [{ name: 'period', description: `${ENERGY_PERIODS.join(', ')} (default today)`, required: false }],
  input: z.object({ period: z.enum(ENERGY_PERIODS).default('today') }),
  async render({ period }, deps) {
    const { cache, stale } = liveCache(deps);
    const prefs = await energyPrefs(deps.ha);
    const view = energyView(cache, prefs);
    const tools = toolView(deps);
    const tz = validZone(cache.config?.time_zone);
    const now = Date.now();
    const range = periodRange(period, now, tz);
    const label = period.replace('_', ' ');
    // Whatever history or statistics tool this server has (none yet) reads amounts for the period.
    const periodTools = toolsFor(deps.config.toolsets).filter((t) => /history|statistic/.test(t.name));

    const how = periodTools.length
      ? toolLines(tools, periodTools.map((t) => [t, `${t.description} Use it for the sensors above from ${new Date(range.start).toISOString()} to ${new Date(range.end).toISOString()}.`] as const))
      : [
          `- No history or statistics tool is available here, so amounts for ${label} cannot be read directly. Energy meters above are running totals. Use sensors that reset each period if the home has them (utility meters such as "daily energy" or "monthly energy"), else report the live values and say the Energy dashboard shows ${label}.`,
        ];
    const tail = [
      '',
      `Please write a short energy report for ${label}: energy from and to the grid, solar production and how much of it the home used, battery use, gas and water, and the biggest consumers among the devices; the cost when prices are known. Say clearly which figures are for ${label} and which are only live values.`,
      'How to get the figures:',
      ...how,
      ...toolLines(tools, [
        [getEnergy, 'live values again; {"prefs":true} adds the dashboard preferences (prices, tariffs)'],
        [searchEntities, 'e.g. "daily energy", "monthly gas" to find sensors that reset each period'],
        [listEntities, '{"domain":"sensor","device_class":"energy"} for every energy sensor'],
        [renderTemplate, "arithmetic on live values, e.g. \"{{ (states('sensor.x') | float(0)) * 0.30 }}\""],
      ]),
    ].join('\n');

    const body = new TextBudget(MAX_PROMPT_BYTES - bytes(tail) - 1);
    body.add(
      `Energy report for ${label}: ${localText(range.start, tz)} to ${range.running ? 'now' : localText(range.end, tz)} local time (${tz}), ` +
        `${new Date(range.start).toISOString()} to ${new Date(range.end).toISOString()}. Now: ${localText(now, tz)}.`,
    );
    if (stale) body.add('NOTE: the connection to Home Assistant is down; live values may be out of date.');
    if (view.configured) {
      body.add('The Energy dashboard is set up. Its sources, with live values (energy meters are running totals, not amounts for the period):');
      const lines = sourceLines(view);
      if (!lines.length) body.add('- none of its sensors has a state right now');
      for (const line of lines) body.add(line);
    } else {
      body.add('The Energy dashboard is not set up (Settings > Dashboards > Energy). Energy sensors in the home, as entity_id=state|device_class|name:');
      const rows = energySensors(cache);
      if (!rows.length) body.add('- none');
      body.addRows(rows.map((r) => `- ${r}`), (n) => `- (+${n} more${tools.has(listEntities) ? `: ${listEntities.name} {"domain":"sensor","device_class":"energy"}` : ''})`, { max: MAX_SENSORS, reserve: 400 });
    }
    if (view.devices?.length) {
      body.add(`Devices tracked by the dashboard (${view.devices.length}), energy total and power now:`);
      const rows = view.devices.map((d) => `- ${d.entity_id}${d.name ? ` (${d.name})` : ''}: ${d.energy ?? '?'}${d.power ? `, ${d.power}` : ''}`);
      body.addRows(rows, (n) => `- (+${n} more${tools.has(getEnergy) ? `: ${getEnergy.name}` : ''})`, { max: MAX_DEVICES, reserve: 200 });
    }
    if (view.power_w) {
      body.add(`Power now (W): ${Object.entries(view.power_w).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
    }
    return userMessage(`${body.text()}\n${tail}`, `Energy report for ${label}`);
  },
});
