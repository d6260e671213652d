// write_automation: the user's goal, the entities that matter for it (the area's, or fuzzy
// matches of the goal), and the rules of Home Assistant's automation YAML as of 2024.10
// (triggers:/conditions:/actions:, "trigger: state", "action: light.turn_on").
import { z } from 'zod';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { compactRow } from '../home/compact.js';
import { homeLive } from '../home/live.js';
import { liveCache } from '../home/liveCache.js';
import { placementOf } from '../home/placement.js';
import { listAutomations } from '../tools/automations.js';
import { callService } from '../tools/callService.js';
import { listEntities } from '../tools/entities.js';
import { searchEntities } from '../tools/search.js';
import { listServices } from '../tools/services.js';
import { getState } from '../tools/states.js';
import { renderTemplate } from '../tools/template.js';
import { areaArg, resolveArea } from './args.js';
import { MAX_PROMPT_BYTES, MAX_TEXT_ARG, TextBudget, bytes, clipBytes, definePrompt, toolLines, toolView, userMessage } from './prompt.js';

const GOAL_MATCHES = 15;
const MAX_ENTITY_ROWS = 60;
const MAX_AREAS = 40;
const ENTITY_BYTES = 3000;
/** Bytes kept after the goal for the lines that follow it (version, entities). */
const GOAL_RESERVE = 1000;

/** Words of a goal that say nothing about which entities it means. */
const STOP_WORDS = new Set(
  ('a an and are as at be by do does every for from goes gets if in into is it its me my of off on or set so ' +
    'than that the then there this to turn turns up down when whenever while with without after before ' +
    'until all any someone somebody nobody no not should would will want please make automation automatically').split(' '),
);

const WORDS = /[\p{L}\p{M}\p{N}]+/gu;

/** The goal's words that may name entities or devices (without `known` ones, such as the area's name). */
export function goalQuery(goal: string, known: readonly string[] = []): string {
  const skip = new Set(known.flatMap((k) => k.toLowerCase().match(WORDS) ?? []));
  const words = goal.toLowerCase().match(WORDS) ?? [];
  return [...new Set(words.filter((w) => w.length >= 3 && !STOP_WORDS.has(w) && !skip.has(w)))].slice(0, 12).join(' ');
}

/** Domains an automation reacts to or acts on, most useful first; the rest follow. */
const DOMAIN_ORDER = ['binary_sensor', 'sensor', 'light', 'switch', 'cover', 'climate', 'fan', 'media_player', 'lock', 'vacuum', 'alarm_control_panel', 'person', 'device_tracker', 'input_boolean', 'input_number', 'scene', 'script', 'automation'];
const rank = (id: string): number => {
  const i = DOMAIN_ORDER.indexOf(id.slice(0, id.indexOf('.')));
  return i < 0 ? DOMAIN_ORDER.length : i;
};

export const AUTOMATION_RULES = `Automation YAML (Home Assistant 2024.10 and later):
\`\`\`yaml
alias: Hall light on at motion after dark
description: Turns the hall light on for motion after sunset, off 2 minutes after the last motion.
mode: restart # single (default) | restart | queued | parallel
triggers:
  - trigger: state
    entity_id: binary_sensor.hall_motion
    to: "on"
conditions:
  - condition: sun
    after: sunset
    before: sunrise
actions:
  - action: light.turn_on
    target:
      entity_id: light.hall
    data:
      brightness_pct: 60
  - wait_for_trigger:
      - trigger: state
        entity_id: binary_sensor.hall_motion
        to: "off"
        for: "00:02:00"
  - action: light.turn_off
    target:
      entity_id: light.hall
\`\`\`
Rules:
- Top-level keys are plural: triggers, conditions, actions. Each trigger starts with "trigger:" (not the old "platform:"), each service call with "action:" (not the old "service:"), each condition with "condition:".
- Triggers: state (entity_id, from, to, for, attribute), numeric_state (entity_id, above, below, for), time (at: "07:30:00" or an input_datetime), time_pattern (hours, minutes, seconds), sun (event: sunrise | sunset, offset: "-00:30:00"), template (value_template), event (event_type, event_data), zone (entity_id, zone, event: enter | leave), homeassistant (event: start). Give a trigger an id: to tell triggers apart in conditions (condition: trigger, id: ...).
- Conditions: state, numeric_state, time (after, before, weekday: [mon, fri]), sun (after/before sunset/sunrise), template, zone, trigger, and/or/not with their own conditions: list. A list of conditions must all pass.
- Actions: action: domain.service with target (entity_id, area_id, device_id, floor_id, label_id) and data; delay: "00:05:00"; wait_for_trigger; wait_template; if/then/else; choose (conditions/sequence, default); repeat; variables; stop. Optional continue_on_error: true.
- Quote "on", "off", "yes", "no" and times, or YAML turns them into booleans and numbers. Durations are "HH:MM:SS" or {minutes: 5}.
- Use only entity ids that exist, and only service fields that the service has. Prefer area_id or label_id targets to long entity lists, and entity ids to device ids.
- Pick mode on purpose: restart for "off N minutes after the last motion", queued for every event, single otherwise.`;

/** A note for a Home Assistant older than 2024.10, whose automation syntax differs. */
function versionNote(version: string | undefined): string | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return undefined;
  const v = Number(m[1]) * 100 + Number(m[2]);
  if (v >= 202410) return undefined;
  const actionKey = v >= 202408 ? 'action: (2024.8 and later)' : 'service:';
  return `NOTE: this Home Assistant is ${version}, older than 2024.10: write the top-level keys singular (trigger:, condition:, action:), start each trigger with platform:, and each service call with ${actionKey}.`;
}

/** Entities that are not settings or diagnostics: what automations use. */
function usable(cache: HomeCache, s: HaState): boolean {
  const e = cache.entities.get(s.entity_id);
  return !e?.entity_category && !e?.hidden_by;
}

export const writeAutomation = definePrompt({
  name: 'write_automation',
  title: 'Write an automation',
  description: 'Draft a Home Assistant automation (YAML) for a goal, with the relevant entities and the current syntax.',
  arguments: [
    { name: 'goal', description: 'What it should do, e.g. "turn the porch light on at sunset"', required: true },
    { name: 'area', description: 'Area id or name to take entities from', required: false },
  ],
  input: z.object({
    goal: z.string().trim().min(1).max(MAX_TEXT_ARG).describe('What the automation should do'),
    area: areaArg,
  }),
  async render({ goal, area }, deps) {
    const { cache, stale } = liveCache(deps);
    const areaId = area ? resolveArea(cache, area) : undefined;
    const tools = toolView(deps);
    const saveHow = [
      'Deliver the YAML in one block, a one-line explanation of each trigger, condition and action, and how to add it: Settings > Automations & scenes > Create automation > Create new automation > menu > Edit in YAML, paste, save.',
      tools.canWrite && tools.has(callService)
        ? `This server cannot save automations. Before handing it over you may run its actions once with ${callService.name} to check them, only if the user agrees.`
        : 'This server cannot save automations or run services: the user adds it.',
    ];
    const tail = [
      '',
      AUTOMATION_RULES,
      versionNote(cache.config?.version),
      '',
      'Tools:',
      ...toolLines(tools, [
        [searchEntities, 'find the entities the goal talks about (typos are fine), e.g. {"query":"porch light"}'],
        [listEntities, `{"area":"${areaId ?? '<area>'}"} or {"domain":"binary_sensor","device_class":"motion"} to browse`],
        [getState, 'check an entity\'s states and attributes before using them in a trigger or condition'],
        [listServices, '{"domain":"light","service":"turn_on"} for the fields an action takes'],
        [renderTemplate, 'try a template condition or value first, e.g. "{{ is_state(\'sun.sun\', \'below_horizon\') }}"'],
        [listAutomations, 'existing automations, to avoid a duplicate or a conflict'],
      ]),
      '',
      ...saveHow,
    ]
      .filter((l): l is string => l !== undefined)
      .join('\n');

    const body = new TextBudget(MAX_PROMPT_BYTES - bytes(tail) - 1);
    body.add('Write a Home Assistant automation for this goal (the user\'s words, between the lines):');
    body.add('"""');
    // 2,000 characters fit unless they are mostly multi-byte: then the goal is cut, and says so.
    const goalText = clipBytes(goal, body.remaining - GOAL_RESERVE);
    body.add(goalText);
    body.add('"""');
    if (goalText !== goal) body.add(`(The goal was cut to ${bytes(goalText)} bytes.)`);
    if (stale) body.add('NOTE: the connection to Home Assistant is down; states below may be out of date.');
    const version = cache.config?.version;
    if (version) body.add(`Home Assistant ${version}${cache.config?.time_zone ? `, time zone ${cache.config.time_zone}` : ''}.`);

    const search = homeLive(cache).search;
    const inArea = (id: string): boolean => !areaId || placementOf(cache, id).area_id === areaId;
    const areaEntry = areaId ? cache.areas.get(areaId) : undefined;
    // In an area its name matches everything there: rank by the goal's other words.
    const query = goalQuery(goal, areaEntry ? [areaEntry.area_id, areaEntry.name, ...(areaEntry.aliases ?? [])] : []);
    const matches = query ? search.search(query, GOAL_MATCHES, inArea).map((h) => h.entity_id) : [];
    const entityBudget = new TextBudget(Math.min(ENTITY_BYTES, body.remaining));
    if (areaId) {
      const rows: HaState[] = [];
      for (const s of cache.states()) if (inArea(s.entity_id) && usable(cache, s)) rows.push(s);
      const order = new Map(matches.map((id, i) => [id, i]));
      const pos = (id: string): number => order.get(id) ?? matches.length;
      rows.sort((a, b) => pos(a.entity_id) - pos(b.entity_id) || rank(a.entity_id) - rank(b.entity_id) || a.entity_id.localeCompare(b.entity_id));
      entityBudget.add(`Entities in area ${areaId}${areaEntry?.name ? ` (${JSON.stringify(areaEntry.name)})` : ''}: ${rows.length}, closest to the goal first, as entity_id=state|device_class|name:`);
      if (!rows.length) entityBudget.add('- none');
      entityBudget.addRows(rows.map((s) => `- ${compactRow(cache, s)}`), (n) => `- (+${n} more${tools.has(listEntities) ? `: ${listEntities.name} {"area":"${areaId}"}` : ''})`, { max: MAX_ENTITY_ROWS });
    } else {
      entityBudget.add('No area given. Entities whose names match words of the goal (check them; search for others), as entity_id=state|device_class|name:');
      const rows = matches.flatMap((id) => {
        const s = cache.getState(id);
        return s ? [`- ${compactRow(cache, s)}`] : [];
      });
      if (!rows.length) entityBudget.add('- none matched');
      entityBudget.addRows(rows, (n) => `- (+${n} more)`);
      const areas = [...cache.areas.keys()].sort();
      if (areas.length) {
        entityBudget.add(`Areas (${areas.length}): ${areas.slice(0, MAX_AREAS).join(', ')}${areas.length > MAX_AREAS ? `, ... (+${areas.length - MAX_AREAS})` : ''}`);
      }
    }
    for (const line of entityBudget.text().split('\n')) body.add(line);
    return userMessage(`${body.text()}\n${tail}`, `Automation: ${goal.length > 60 ? `${goal.slice(0, 59)}…` : goal}`);
  },
});
