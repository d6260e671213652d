// whats_on: what is unlocked, open or on right now (locks; doors and windows, covers, valves;
// lights, switches, fans, media, climate), counted per group with compact rows, from the live
// cache; optionally one area. Who is home comes along: it decides what is unusual.
import { z } from 'zod';
import type { HaState } from '../ha/schemas.js';
import type { HomeCache } from '../ha/types.js';
import { compactRow } from '../home/compact.js';
import { liveCache } from '../home/liveCache.js';
import { placementOf } from '../home/placement.js';
import { callService } from '../tools/callService.js';
import { listEntities } from '../tools/entities.js';
import { getState } from '../tools/states.js';
import { areaArg, resolveArea } from './args.js';
import { MAX_PROMPT_BYTES, TextBudget, bytes, definePrompt, toolLines, toolView, userMessage } from './prompt.js';

/** Rows per group before "N more"; the byte budget may cut earlier. */
const MAX_ROWS = 25;
const MAX_PEOPLE = 10;
const OPENINGS = new Set(['door', 'window', 'opening', 'garage_door']);
/** A speaker that is idle is not "on" in the sense a person means. */
const MEDIA_OFF = new Set(['off', 'standby', 'idle', 'unavailable', 'unknown']);

interface Group {
  key: string;
  label: string;
  /** ha_list_entities filters that list the whole group. */
  filter: Record<string, string>;
  /** What the filter leaves out. */
  also?: string;
  test(s: HaState): boolean;
}

const domainOf = (id: string): string => id.slice(0, id.indexOf('.'));

const GROUPS: Group[] = [
  { key: 'locks', label: 'Locks not locked', filter: { domain: 'lock', state: 'unlocked' }, also: 'also open, jammed', test: (s) => domainOf(s.entity_id) === 'lock' && ['unlocked', 'open', 'opening', 'unlocking', 'jammed'].includes(s.state) },
  {
    key: 'openings',
    label: 'Doors and windows open',
    filter: { domain: 'binary_sensor', state: 'on', device_class: 'door' },
    also: 'also device_class window, opening, garage_door',
    test: (s) => domainOf(s.entity_id) === 'binary_sensor' && s.state === 'on' && typeof s.attributes.device_class === 'string' && OPENINGS.has(s.attributes.device_class),
  },
  { key: 'covers', label: 'Covers open', filter: { domain: 'cover', state: 'open' }, also: 'also opening', test: (s) => domainOf(s.entity_id) === 'cover' && (s.state === 'open' || s.state === 'opening') },
  { key: 'valves', label: 'Valves open', filter: { domain: 'valve', state: 'open' }, also: 'also opening', test: (s) => domainOf(s.entity_id) === 'valve' && (s.state === 'open' || s.state === 'opening') },
  { key: 'lights', label: 'Lights on', filter: { domain: 'light', state: 'on' }, test: (s) => domainOf(s.entity_id) === 'light' && s.state === 'on' },
  { key: 'switches', label: 'Switches on', filter: { domain: 'switch', state: 'on' }, test: (s) => domainOf(s.entity_id) === 'switch' && s.state === 'on' },
  { key: 'fans', label: 'Fans on', filter: { domain: 'fan', state: 'on' }, test: (s) => domainOf(s.entity_id) === 'fan' && s.state === 'on' },
  { key: 'media', label: 'Media players on', filter: { domain: 'media_player', state: 'playing' }, also: 'also paused, on, buffering', test: (s) => domainOf(s.entity_id) === 'media_player' && !MEDIA_OFF.has(s.state) },
  { key: 'climate', label: 'Climate running', filter: { domain: 'climate' }, also: 'includes off ones', test: (s) => domainOf(s.entity_id) === 'climate' && s.state !== 'off' && s.state !== 'unavailable' && s.state !== 'unknown' },
];

/** Settings switches (child lock, LED indicator) are not "on" in the sense a person means. */
function isSetting(cache: HomeCache, id: string): boolean {
  const e = cache.entities.get(id);
  return !!e?.entity_category || !!e?.hidden_by;
}

function localTime(cache: HomeCache, now: Date): string {
  const tz = cache.config?.time_zone;
  try {
    return `${now.toLocaleString('sv-SE', { timeZone: tz ?? 'UTC' })} ${tz ?? 'UTC'}`;
  } catch {
    return now.toISOString();
  }
}

export const whatsOn = definePrompt({
  name: 'whats_on',
  title: "What's on",
  description: 'What is on, open or unlocked right now (lights, switches, media, covers, doors, windows, locks), optionally in one area.',
  arguments: [{ name: 'area', description: 'Area id or name (default: the whole home)', required: false }],
  input: z.object({ area: areaArg }),
  async render({ area }, deps) {
    const { cache, stale } = liveCache(deps);
    const areaId = area ? resolveArea(cache, area) : undefined;
    const found = new Map<string, { s: HaState; area: string }[]>(GROUPS.map((g) => [g.key, []]));
    const people: string[] = [];
    for (const s of cache.states()) {
      if (s.entity_id.startsWith('person.')) {
        people.push(`${s.entity_id}=${s.state}`);
        continue;
      }
      const group = GROUPS.find((g) => g.test(s));
      if (!group || isSetting(cache, s.entity_id)) continue;
      const where = placementOf(cache, s.entity_id).area_id;
      if (areaId && where !== areaId) continue;
      found.get(group.key)?.push({ s, area: where ?? '' });
      }
      const view = toolView(deps);
      const where = areaId ? ` in area ${areaId}` : '';
      const areaFilter = areaId ? { area: areaId } : {};
      const tail = [
        '',
        `Tell the user what is on, open or unlocked${where}, grouped by room, with counts. Point out what looks unusual (a door or lock open while nobody is home or at night, lights on in empty rooms, media playing with nobody home) and offer to switch things off or close them.`,
        ...toolLines(view, [
          [listEntities, `the full list of a group, with the filters given for it${areaId ? ` plus "area":"${areaId}"` : ''}`],
          [getState, 'details of one entity (brightness, position, media title)'],
          ...(view.canWrite ? [[callService, 'to switch off, close or lock, only after the user says which ones (e.g. light.turn_off, cover.close_cover, lock.lock)'] as const] : []),
        ]),
      ].join('\n');

      const body = new TextBudget(MAX_PROMPT_BYTES - bytes(tail) - 1);
      body.add(`What is on, open or unlocked right now${where} (${localTime(cache, new Date())}). Rows are [area: ]entity_id=state|device_class|name.`);
      if (stale) body.add('NOTE: the connection to Home Assistant is down; this may be out of date.');
      const counts = GROUPS.map((g) => `${g.key} ${found.get(g.key)?.length ?? 0}`);
      body.add(`Counts: ${counts.join(', ')}.`);
      if (!areaId && people.length) {
        body.add(`People: ${people.slice(0, MAX_PEOPLE).join(', ')}${people.length > MAX_PEOPLE ? ` (+${people.length - MAX_PEOPLE} more)` : ''}`);
      }
      const nonEmpty = GROUPS.filter((g) => found.get(g.key)?.length);
      if (!nonEmpty.length) body.add('Nothing is on, open or unlocked.');
      // Each group gets a fair share of what is left, so that one long group cannot hide the rest.
      nonEmpty.forEach((g, i) => {
        const list = (found.get(g.key) ?? []).sort((a, b) => (a.area === b.area ? a.s.entity_id.localeCompare(b.s.entity_id) : a.area < b.area ? -1 : 1));
        const filter = JSON.stringify({ ...g.filter, ...areaFilter });
        body.add(`${g.label} (${list.length}${view.has(listEntities) ? `; all: ${listEntities.name} ${filter}${g.also ? `, ${g.also}` : ''}` : ''}):`);
        const share = Math.floor(body.remaining / (nonEmpty.length - i));
        // The area goes in front unless the id already says it (light.kitchen_ceiling for kitchen).
      const rows = list.map(({ s, area: a }) => `- ${!areaId && a && !s.entity_id.includes(`.${a}_`) ? `${a}: ` : ''}${compactRow(cache, s)}`);
        body.addRows(rows, (n) => `- (+${n} more)`, { reserve: body.remaining - share, max: MAX_ROWS });
      });
      return userMessage(`${body.text()}\n${tail}`, `What is on${where}`);
    },
});
