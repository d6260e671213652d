// Cameras, calendars and a to-do list for a running home that has none (generated homes): what
// ha_camera and ha_calendar read in the big-home tests. sim.home.addHousehold() adds them as
// new entities (state_changed events), with events around now in the home's time zone.
import { setPictureSpec } from '../state/cameraPictures.js';
import type { SimHome } from '../state/home.js';
import { newContext } from '../state/context.js';
import { hexId } from '../util/ids.js';
import { isoFromMicros } from '../util/time.js';
import { offsetMs, validZone } from '../util/zone.js';

const HOUR = 3_600_000;

/** summary, hours from now, duration in hours, location. */
const EVENTS: [string, number, number, string | null][] = [
  ['Bin collection', -50, 1, null],
  ['Dentist', -26, 1, 'Tandartspraktijk Centrum'],
  ['Football practice', -3, 1.5, 'Sportpark Noord'],
  ['Piano lesson', 1, 1, null],
  ['Dinner with Sam', 3, 2.5, 'Café de Jaren'],
  ['Bin collection', 46, 1, null],
  ['Parents evening', 50, 2, 'School'],
  ['Car service', 70, 3, 'Garage Jansen'],
  ['Football practice', 93, 1.5, 'Sportpark Noord'],
  ['Birthday party', 120, 4, null],
  ['Bin collection', 214, 1, null],
  ['Flight to Lisbon', 260, 3, 'Schiphol'],
];

/** camera.front_door (1920x1080), camera.driveway (2560x1440), camera.garden (unavailable), calendar.family (local, can create and delete), calendar.holidays (read-only), todo.groceries. */
export function addHousehold(home: SimHome): void {
  const tz = validZone(home.data.config.time_zone);
  const iso = (ms: number): string => isoFromMicros(ms * 1000, offsetMs(ms, tz) / 60_000);
  const set = (id: string, state: string, attributes: Record<string, unknown>): void => void home.store.set(id, state, attributes, { context: newContext() });
  for (const [object, name, width, height, state] of [
    ['front_door', 'Front Door', 1920, 1080, 'idle'],
    ['driveway', 'Driveway', 2560, 1440, 'recording'],
    ['garden', 'Garden', 1280, 720, 'unavailable'],
  ] as const) {
    const id = `camera.${object}`;
    const token = hexId() + hexId();
    setPictureSpec(id, { width, height, format: 'jpeg' });
    set(id, state, state === 'unavailable'
      ? { friendly_name: name, supported_features: 3 }
      : { access_token: token, entity_picture: `/api/camera_proxy/${id}?token=${token}`, friendly_name: name, supported_features: 3 });
  }
  const now = Date.now();
  home.data.extras ??= {};
  const calendars = (home.data.extras.calendars ??= []);
  set('calendar.family', 'off', { message: 'Piano lesson', all_day: false, start_time: '', end_time: '', location: '', description: '', friendly_name: 'Family', supported_features: 7 });
  calendars.push({
    entity_id: 'calendar.family',
    name: 'Family',
    events: EVENTS.map(([summary, at, hours, location]) => ({
      start: { dateTime: iso(now + at * HOUR) }, end: { dateTime: iso(now + (at + hours) * HOUR) },
      summary, description: null, location, uid: hexId(), recurrence_id: null, rrule: null,
    })),
  });
  set('calendar.holidays', 'off', { message: 'Christmas Day', all_day: true, start_time: '', end_time: '', location: '', description: '', friendly_name: 'Holidays' });
  const day = new Date(now + 5 * 24 * HOUR).toISOString().slice(0, 10);
  const next = new Date(now + 6 * 24 * HOUR).toISOString().slice(0, 10);
  calendars.push({
    entity_id: 'calendar.holidays',
    name: 'Holidays',
    events: [{ start: { date: day }, end: { date: next }, summary: 'Public holiday', description: null, location: null, uid: null, recurrence_id: null, rrule: null }],
  });
  home.data.extras.todoItems = {
    ...home.data.extras.todoItems,
    'todo.groceries': [
      { summary: 'Milk', uid: hexId(), status: 'needs_action' },
      { summary: 'Coffee beans', uid: hexId(), status: 'needs_action', description: 'The dark roast' },
      { summary: 'Bread', uid: hexId(), status: 'needs_action' },
      { summary: 'Eggs', uid: hexId(), status: 'completed' },
    ],
  };
  set('todo.groceries', '3', { friendly_name: 'Groceries', supported_features: 127 });
}
