// troubleshoot_entity: what the live cache and registries know about one entity (state and how
// long, attributes, device, area, integration, siblings on its device, related automations),
// what that suggests, and which tools to call next.
import { z } from 'zod';
import type { HaState } from '../ha/schemas.js';
import type { HaClient, HomeCache } from '../ha/types.js';
import { compactRow, stateWithUnit } from '../home/compact.js';
import { interestingAttributes } from '../home/attributes.js';
import { requireState } from '../home/entityLookup.js';
import { liveCache } from '../home/liveCache.js';
import { deviceName, entityName, placementOf } from '../home/placement.js';
import { auditLog } from '../tools/audit.js';
import { listAutomations } from '../tools/automations.js';
import { callService } from '../tools/callService.js';
import { listEntities } from '../tools/entities.js';
import { history } from '../tools/history.js';
import { logbook } from '../tools/logbook.js';
import { listServices } from '../tools/services.js';
import { getState } from '../tools/states.js';
import { renderTemplate } from '../tools/template.js';
import { MAX_ENTITY_ID, MAX_PROMPT_BYTES, TextBudget, ago, bytes, clip, clipBytes, definePrompt, toolLines, toolView, userMessage, type ToolView } from './prompt.js';

const RELATED_TIMEOUT_MS = 1500;
const ATTRIBUTE_BYTES = 1800;
const ATTRIBUTE_VALUE_CHARS = 160;
const MAX_SIBLINGS = 12;
const MAX_RELATED = 5;
const RELATED_LINE_BYTES = 700;
const DAY_MS = 86_400_000;

const BAD_STATES = new Set(['unavailable', 'unknown']);

/** What search/related says the entity is used by; undefined when it cannot say quickly. */
async function relatedItems(ha: HaClient, entityId: string): Promise<Record<string, string[]> | undefined> {
  if (ha.status !== 'connected') return undefined;
  try {
    const r = await ha.command<Record<string, unknown>>({ type: 'search/related', item_type: 'entity', item_id: entityId }, { timeoutMs: RELATED_TIMEOUT_MS });
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(r ?? {})) if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
    return out;
  } catch {
    return undefined; // older Home Assistant, no admin rights, or slow: the prompt does without
  }
}

/** Attributes as compact JSON, the interesting ones first, each value clipped, within a budget. */
function attributeLines(state: HaState): { text: string; left: number } {
  const first = Object.keys(interestingAttributes(state));
  const keys = [...new Set([...first, ...Object.keys(state.attributes)])].filter((k) => k !== 'friendly_name');
  const parts: string[] = [];
  let size = 0;
  for (const k of keys) {
    const json = JSON.stringify(state.attributes[k]) ?? 'null';
    const part = `${JSON.stringify(k)}:${clip(json, ATTRIBUTE_VALUE_CHARS)}`;
    if (size + bytes(part) + 1 > ATTRIBUTE_BYTES) break;
    parts.push(part);
    size += bytes(part) + 1;
  }
  return { text: `{${parts.join(',')}}`, left: keys.length - parts.length };
}

interface Facts {
  lines: string[];
  observations: string[];
  siblings: string[];
  siblingIds: string[];
  platform?: string | undefined;
}

function facts(cache: HomeCache, entityId: string, state: HaState | undefined, now: number, view: ToolView): Facts {
  const entry = cache.entities.get(entityId);
  const place = placementOf(cache, entityId);
  const lines: string[] = [];
  const observations: string[] = [];
  if (state) {
    const since = ago(state.last_changed, now);
    lines.push(`- state: ${stateWithUnit(state)} (last_changed ${state.last_changed}${since ? `, ${since} ago` : ''}; last_updated ${state.last_updated})`);
    const attrs = attributeLines(state);
    const more = attrs.left ? ` (+${attrs.left} more${view.has(getState) ? `: ${getState.name}` : ''})` : '';
    lines.push(`- attributes: ${attrs.text}${more}`);
  } else {
    lines.push('- state: none (the entity is in the entity registry but has no state)');
  }
  const device = place.device_id ? cache.devices.get(place.device_id) : undefined;
  if (entry?.platform) lines.push(`- integration: ${entry.platform}`);
  if (device) {
    const model = [device.manufacturer, device.model].filter(Boolean).join(' ');
    lines.push(`- device: ${JSON.stringify(deviceName(cache, device.id) ?? device.id)}${model ? ` (${model})` : ''}, device_id ${device.id}${device.disabled_by ? `, disabled by ${device.disabled_by}` : ''}`);
  }
  if (place.area_id) lines.push(`- area: ${place.area_id}${place.floor_id ? ` (floor ${place.floor_id})` : ''}`);
  if (place.labels.length) lines.push(`- labels: ${place.labels.join(', ')}`);
  const flags = [
    entry?.disabled_by ? `disabled_by: ${entry.disabled_by}` : '',
    entry?.hidden_by ? `hidden_by: ${entry.hidden_by}` : '',
    entry?.entity_category ? `entity_category: ${entry.entity_category}` : '',
  ].filter(Boolean);
  if (flags.length) lines.push(`- registry: ${flags.join(', ')}`);
  if (!entry) lines.push('- registry: not in the entity registry (no unique_id: it cannot be renamed, given an area or disabled in the UI)');

  // What the data suggests.
  if (entry?.disabled_by) observations.push(`It is disabled (by ${entry.disabled_by}), so it has no state until someone enables it in Settings > Devices & services > Entities.`);
  if (device?.disabled_by) observations.push(`Its device is disabled (by ${device.disabled_by}).`);
  if (state?.state === 'unavailable') {
    observations.push(
      state.attributes.restored === true
        ? 'It is unavailable and "restored": its integration did not provide it at start-up (the integration failed to set up, or the device or entity was removed).'
        : 'It is unavailable: Home Assistant has no contact with it (device offline, out of range or without power, or its integration failing).',
    );
  } else if (state?.state === 'unknown') {
    observations.push('Its state is unknown: the integration is running but has not reported a value (after a restart, or a template or helper with missing inputs).');
  }
  if (state && state.entity_id.startsWith('sensor.') && state.attributes.state_class === 'measurement' && !BAD_STATES.has(state.state)) {
    const t = Date.parse(state.last_changed);
    if (Number.isFinite(t) && now - t > DAY_MS) observations.push(`A measurement that has not changed for ${ago(state.last_changed, now)}: the sensor may be stuck.`);
  }

  // Siblings on the same device, and the integration as a whole.
  const siblingStates: HaState[] = [];
  let platformTotal = 0;
  let platformBad = 0;
  for (const e of cache.entities.values()) {
    const s = cache.getState(e.entity_id);
    if (entry?.platform && e.platform === entry.platform && s) {
      platformTotal++;
      if (s.state === 'unavailable') platformBad++;
    }
    if (device && e.device_id === device.id && e.entity_id !== entityId && s) siblingStates.push(s);
  }
  siblingStates.sort((a, b) => a.entity_id.localeCompare(b.entity_id));
  if (state?.state === 'unavailable') {
    const badSiblings = siblingStates.filter((s) => s.state === 'unavailable').length;
    if (siblingStates.length && badSiblings === siblingStates.length) observations.push(`All ${siblingStates.length} other entities of its device are unavailable too: look at the device or its connection, not this entity.`);
    else if (siblingStates.length) observations.push(`Only ${badSiblings} of the ${siblingStates.length} other entities of its device are unavailable: the problem is likely this entity's feature, not the whole device.`);
    if (entry?.platform && platformTotal > 1) {
      observations.push(
        platformBad === platformTotal
          ? `All ${platformTotal} entities of the ${entry.platform} integration are unavailable: the integration itself is likely down (reload it, check its configuration and the log).`
          : `${platformBad} of ${platformTotal} entities of the ${entry.platform} integration are unavailable.`,
      );
    }
  }
  return {
    lines,
    observations,
    siblings: siblingStates.map((s) => compactRow(cache, s)),
    siblingIds: siblingStates.map((s) => s.entity_id),
    platform: entry?.platform,
  };
}

export const troubleshootEntity = definePrompt({
  name: 'troubleshoot_entity',
  title: 'Troubleshoot an entity',
  description: 'Diagnose one entity: its state, attributes, device, area, integration and related automations, with next steps.',
  arguments: [{ name: 'entity_id', description: 'e.g. "light.kitchen"', required: true }],
  input: z.object({ entity_id: z.string().trim().min(1).max(MAX_ENTITY_ID).describe('e.g. "light.kitchen"') }),
  async render({ entity_id: entityId }, deps) {
    const { cache, stale } = liveCache(deps);
    const inRegistry = cache.entities.has(entityId);
    // A disabled entity has no state but is worth diagnosing; anything else unknown gets the closest ids.
    const state = inRegistry ? cache.getState(entityId) : requireState(cache, entityId);
    const now = Date.now();
    const view = toolView(deps);
    const f = facts(cache, entityId, state, now, view);
    const related = await relatedItems(deps.ha, entityId);
    const name = entityName(cache, state, entityId);
    const domain = entityId.slice(0, entityId.indexOf('.'));

    const services = cache.services.homeassistant ?? {};
    const writes = view.canWrite
      ? [
          services.update_entity ? `homeassistant.update_entity {"entity_id":"${entityId}"} asks the integration for a fresh value` : '',
          services.reload_config_entry && f.platform ? `homeassistant.reload_config_entry {"entity_id":"${entityId}"} reloads its ${f.platform} integration` : '',
        ].filter(Boolean)
      : [];
    const steps = toolLines(view, [
      [getState, `{"entity_id":"${entityId}"} for every attribute, untrimmed`],
      [listEntities, f.siblingIds.length ? `{"entity_ids":[...]} for the other entities of its device (${f.siblingIds.length}), or {"state":"unavailable"} for everything unavailable` : '{"state":"unavailable"} for everything unavailable in the home'],
      [listAutomations, 'automations and scripts, to find the ones that drive or depend on it'],
      [renderTemplate, f.platform ? `e.g. "{{ integration_entities('${f.platform}') | select('is_state', 'unavailable') | list }}" to see how much of its integration is down` : `e.g. "{{ states('${entityId}') }}" to check values and templates`],
      [listServices, `{"domain":"${domain}"} for what it can be told to do`],
      [history, `{"entity_ids":["${entityId}"],"start":"-3d"} for when its state changed and to what`],
      [logbook, `{"entity_ids":["${entityId}"]} for who or what changed it (a person, automation or script)`],
      [auditLog, `{"entity_id":"${entityId}"} for writes made through this server`],
      ...(writes.length ? [[callService, `only after the user agrees: ${writes.join('; ')}`] as const] : []),
    ]);
    const tail = [
      '',
      'Please diagnose it: say whether something is wrong, the likely causes in order, and what the user can do about each. Check further with:',
      ...steps,
      view.has(history)
        ? "Home Assistant's log is not available through these tools: when it matters, ask the user to look at Settings > System > Logs."
        : "Home Assistant's log and the entity's history are not available through these tools: when they matter, ask the user to look at Settings > System > Logs and the entity's history graph.",
    ].join('\n');

    // The diagnosis hints always fit: the facts above them get what is left.
    const suggests = f.observations.length ? ['What this suggests:', ...f.observations.map((o) => `- ${o}`)].join('\n') : '';
    const body = new TextBudget(MAX_PROMPT_BYTES - bytes(tail) - (suggests ? bytes(suggests) + 1 : 0) - 1);
    body.add(`Troubleshoot the Home Assistant entity ${entityId} (${JSON.stringify(name)}). What the server knows now (${new Date(now).toISOString()}):`);
    if (stale) body.add('- NOTE: the connection to Home Assistant is down; this may be out of date.');
    for (const line of f.lines) body.add(line);
    if (f.siblings.length) {
      body.add(`- other entities of its device (${f.siblingIds.length}), as entity_id=state|device_class|name:`);
      body.addRows(f.siblings.map((r) => `  ${r}`), (n) => `  (+${n} more${view.has(listEntities) ? `: ${listEntities.name} with their entity_ids` : ''})`, { reserve: 600, max: MAX_SIBLINGS });
    }
    if (related) {
      for (const kind of ['automation', 'script', 'scene', 'group'] as const) {
        const ids = related[kind] ?? [];
        if (!ids.length) continue;
        const rows = ids.slice(0, MAX_RELATED).map((id) => {
          const s = cache.getState(id);
          const last = s && typeof s.attributes.last_triggered === 'string' ? `, last_triggered ${s.attributes.last_triggered}` : '';
          return s ? `${compactRow(cache, s)}${last}` : id;
        });
        body.add(clipBytes(`- ${kind}s that use it: ${rows.join('; ')}${ids.length > MAX_RELATED ? ` (+${ids.length - MAX_RELATED} more)` : ''}`, RELATED_LINE_BYTES));
      }
      if (!['automation', 'script', 'scene'].some((k) => related[k]?.length)) body.add('- no automation, script or scene refers to it');
    }
    return userMessage([body.text(), suggests, tail].filter(Boolean).join('\n'), `Troubleshoot ${entityId}`);
  },
});
