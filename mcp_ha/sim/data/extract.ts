// Builds sim/data/demo.json from the Home Assistant recordings in test/fixtures/ha-capture.
// Run after the recordings change: `npx tsx sim/data/extract.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HomeData, SimHistoryState, SimState } from '../model.js';
import { parseIsoMicros } from '../util/time.js';

const here = dirname(fileURLToPath(import.meta.url));
const captureDir = join(here, '..', '..', 'test', 'fixtures', 'ha-capture');

type Json = Record<string, unknown>;
interface Frame { dir: string; data?: unknown }
interface Exchange { name: string; request: { method: string; path: string }; response: { status: number; body: unknown } }

function load(name: string): Json {
  return JSON.parse(readFileSync(join(captureDir, name), 'utf8')) as Json;
}

/** The `result` of the answer to command `id` in a WS recording. */
function wsResult(file: string, id: number, session = 0): unknown {
  const sessions = load(file).sessions as { frames: Frame[] }[];
  for (const f of sessions[session]!.frames) {
    const d = f.data as Json | undefined;
    if (f.dir === 'recv' && d && !Array.isArray(d) && d.id === id && d.type === 'result') return d.result;
  }
  throw new Error(`no result ${id} in ${file}`);
}

function rest(file: string, name: string): unknown {
  const ex = (load(file).exchanges as Exchange[]).find((e) => e.name === name);
  if (!ex) throw new Error(`no exchange ${name} in ${file}`);
  return ex.response.body;
}

const states = wsResult('ws-get-states.json', 1) as SimState[];
const entities = wsResult('ws-entity-registry.json', 1) as Json[];
const bedLightFull = wsResult('ws-entity-registry-get.json', 1) as Json;
const listKeys = new Set(Object.keys(entities[0]!));
const detailKeys = Object.keys(bedLightFull).filter((k) => !listKeys.has(k));

// Details for every entity: the recorded ones for light.bed_light, defaults for the others.
const entityDetails: Record<string, Json> = {};
for (const e of entities) {
  const id = e.entity_id as string;
  if (id === 'light.bed_light') {
    entityDetails[id] = Object.fromEntries(detailKeys.map((k) => [k, bedLightFull[k]]));
    continue;
  }
  const st = states.find((s) => s.entity_id === id);
  entityDetails[id] = {
    aliases: [],
    capabilities: null,
    device_class: null,
    original_device_class: (st?.attributes.device_class as string | undefined) ?? null,
    original_icon: null,
  };
}

const historyBody = rest('rest-history.json', 'history, explicit start/end, two entities') as SimHistoryState[][];
const history: Record<string, SimHistoryState[]> = {};
for (const list of historyBody) {
  const first = list[0];
  if (first) history[first.entity_id] = list;
}

const traceList = wsResult('ws-trace.json', 1) as Json[];
const scriptTraces = wsResult('ws-trace.json', 2) as Json[];
const fullTrace = wsResult('ws-trace.json', 4) as Json;

const calList = rest('rest-calendars.json', 'list calendars') as { name: string; entity_id: string }[];
const calendars = calList.map((c) => ({
  ...c,
  events: rest('rest-calendars.json', `events of ${c.entity_id}`) as Json[],
}));

const southDaily = (wsResult('ws-call-service.json', 3) as Json).response as Record<string, { forecast: Json[] }>;
const northHourly = (wsResult('ws-misc.json', 6) as Json).response as Record<string, { forecast: Json[] }>;
const forecasts: Record<string, Record<string, Json[]>> = {};
for (const [id, r] of Object.entries(southDaily)) forecasts[id] = { daily: r.forecast, twice_daily: r.forecast };
for (const [id, r] of Object.entries(northHourly)) forecasts[id] = { ...forecasts[id], hourly: r.forecast };

const automation = rest('rest-automation-config.json', 'existing automation') as Json;
const captured = load('ws-get-states.json').captured_at as string;

const home: HomeData = {
  config: wsResult('ws-get-config.json', 1) as Json,
  states,
  services: wsResult('ws-get-services.json', 1) as HomeData['services'],
  areas: wsResult('ws-area-registry.json', 1) as Json[],
  floors: wsResult('ws-floor-registry.json', 1) as Json[],
  labels: wsResult('ws-label-registry.json', 1) as Json[],
  devices: wsResult('ws-device-registry.json', 1) as Json[],
  entities,
  energyPrefs: wsResult('ws-energy.json', 1) as Json,
  automationConfigs: { [automation.id as string]: automation },
  // Not recorded: the script's config as it would be stored in scripts.yaml.
  scriptConfigs: {
    mcp_test_script: {
      alias: 'MCP test script',
      sequence: [{ action: 'light.turn_off', target: { entity_id: 'light.ceiling_lights' } }],
      mode: 'single',
    },
  },
  extras: {
    recordedAt: parseIsoMicros(captured) ?? undefined,
    components: rest('rest-config.json', 'components') as string[],
    entityDetails,
    currentUser: wsResult('ws-misc.json', 1) as Json,
    users: wsResult('ws-misc.json', 2) as Json[],
    entitySource: wsResult('ws-misc.json', 3) as Record<string, Json>,
    repairs: (wsResult('ws-misc.json', 9) as { issues: Json[] }).issues,
    traces: { list: [...traceList, ...scriptTraces], full: { [fullTrace.run_id as string]: fullTrace } },
    statisticIds: wsResult('ws-statistics.json', 1) as Json[],
    statistics5m: wsResult('ws-statistics.json', 3) as Record<string, Json[]>,
    recorderInfo: wsResult('ws-statistics.json', 7) as Json,
    energyInfo: wsResult('ws-energy.json', 2) as Json,
    history,
    logbook: rest('rest-logbook.json', 'logbook (default period)') as Json[],
    calendars,
    forecasts,
    errorLog: rest('rest-error-log.json', 'error log') as string,
    eventListeners: rest('rest-events.json', 'list event listeners') as { event: string; listener_count: number }[],
  },
};

writeFileSync(join(here, 'demo.json'), JSON.stringify(home) + '\n');
process.stderr.write(`wrote demo.json: ${states.length} states, ${entities.length} registry entries\n`);
