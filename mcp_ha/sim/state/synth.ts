// The past of a generated home: deterministic history for every entity up to the moment its
// current state began, the logbook lines those changes make (with who or what caused them),
// and the signals long-term statistics are compiled from. Nothing is stored: any window is
// computed from hashes of the entity id and the time slot, so a week of a 10,000-entity home
// costs nothing until asked for, and the same question always gets the same answer.
//
// Numeric sensors follow daily patterns (solar by daylight, temperatures peaking in the
// afternoon, power every minute, meters every five minutes, integrated from a rate so they only
// go up); on/off things (lights, switches, motion, doors, locks, covers, people, media) change
// per slot with chances by hour of day; lights also change brightness while on (attribute-only
// rows, which significant_changes_only drops); climate entities move current_temperature.
import type { SimState } from '../model.js';
import { parseIsoMicros, isoFromMicros } from '../util/time.js';
import { localHour, validZone } from '../util/zone.js';
import type { HistoryRow, LogbookRow } from './recorder.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function hashStr(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b | 0, 0x9e3779b1) ^ Math.imul((b / 4294967296) | 0, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) for (seed, n). */
const u = (seed: number, n: number): number => mix(seed, n) / 4294967296;

/** Smooth noise in [-1, 1] over time, with knots every `period` ms. */
function smooth(seed: number, tMs: number, period: number): number {
  const x = tMs / period;
  const k = Math.floor(x);
  const f = x - k;
  const a = u(seed, k) * 2 - 1;
  const b = u(seed, k + 1) * 2 - 1;
  const s = f * f * (3 - 2 * f);
  return a + (b - a) * s;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-looking context id for (seed, n), stamped at tMs. */
function ulid(tMs: number, seed: number, n: number): string {
  let out = '';
  let t = Math.floor(tMs);
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  for (let i = 0; i < 16; i++) out += CROCKFORD[mix(seed + i, n) % 32]!;
  return out;
}

const daylight = (h: number): number => (h > 7 && h < 18 ? Math.sin((Math.PI * (h - 7)) / 11) : 0);

interface NumericSpec {
  kind: 'numeric';
  seed: number;
  /** ms between readings. */
  interval: number;
  decimals: number;
  /** The reading at t (before rounding). */
  value(tMs: number): number;
}

interface ToggleSpec {
  kind: 'toggle';
  seed: number;
  slot: number;
  active: string;
  inactive: string;
  /** The chance of the active state in a slot starting at this local hour. */
  chance(hour: number): number;
  /** Services a user or script calls for each state (for the logbook's context). */
  services?: [string, string];
  /** Who changes it: people, automations and scripts, or only the device itself. */
  caused: boolean;
  /** Lights: a brightness change in some active slots. */
  dims?: boolean;
}

/** Climate: current_temperature moves every 15 minutes (attribute-only rows that count as significant). */
interface ClimateSpec {
  kind: 'climate';
  seed: number;
}

type Spec = NumericSpec | ToggleSpec | ClimateSpec;

interface Entity {
  state: SimState;
  /** The current state's last_changed in µs: the synthesized past ends just before. */
  cutoffUs: number;
  spec: Spec;
  variants: Map<string, Record<string, unknown>>;
}

interface Cause {
  user?: string;
  automation?: string;
  script?: string;
}

const decimalsOf = (s: string): number => {
  const i = s.indexOf('.');
  return i < 0 ? 0 : Math.min(4, s.length - i - 1);
};

function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

/** Rate per hour of a meter (kWh, m³) with its own daily shape. */
function meterRate(id: string, seed: number, tz: string): (hourStartMs: number) => number {
  const name = id.toLowerCase();
  const solar = /solar|inverter|production|pv/.test(name);
  const exported = /export|discharg/.test(name);
  const charged = /charg/.test(name) && !exported;
  const gas = /gas/.test(name);
  const base = solar ? 0.9 : gas ? 0.12 : /grid|import|meter/.test(name) ? 0.45 : charged || exported ? 0.25 : 0.04 + u(seed, 7) * 0.08;
  return (t) => {
    const h = localHour(t + HOUR / 2, tz);
    const noise = 0.75 + 0.5 * u(seed, Math.floor(t / HOUR));
    if (solar) return base * daylight(h) * noise * 1.6;
    if (exported) return base * daylight(h) * noise;
    if (charged) return base * (h > 9 && h < 16 ? 1.5 : 0.1) * noise;
    if (gas) return base * (h < 7 || h > 17 ? 1.6 : 0.6) * noise;
    const evening = h >= 17 && h < 23 ? 1.6 : h >= 6 && h < 9 ? 1.2 : h < 6 ? 0.45 : 0.8;
    return base * evening * noise;
  };
}

export class Synth {
  private readonly entities = new Map<string, Entity>();
  private readonly tz: string;
  private readonly users: string[];
  private readonly automations: { id: string; name: string }[];
  private readonly scripts: { id: string; name: string }[];
  /** Meter readings at hour boundaries, built on first use: [firstHourMs, cumulative...]. */
  private readonly meters = new Map<string, { first: number; cum: Float64Array; rate: (t: number) => number }>();

  /**
   * @param originMs where the past begins (no rows before it)
   */
  constructor(
    states: SimState[],
    config: Record<string, unknown>,
    readonly originMs: number,
  ) {
    this.tz = validZone(config.time_zone);
    this.users = states.filter((s) => s.entity_id.startsWith('person.') && typeof s.attributes.user_id === 'string').map((s) => s.attributes.user_id as string);
    const named = (prefix: string) =>
      states.filter((s) => s.entity_id.startsWith(prefix)).map((s) => ({ id: s.entity_id, name: String(s.attributes.friendly_name ?? s.entity_id) }));
    this.automations = named('automation.');
    this.scripts = named('script.');
    for (const s of states) {
      const spec = this.specFor(s);
      const cutoffUs = parseIsoMicros(s.last_changed);
      if (spec && cutoffUs !== null && cutoffUs > originMs * 1000) this.entities.set(s.entity_id, { state: s, cutoffUs, spec, variants: new Map() });
    }
  }

  has(entityId: string): boolean {
    return this.entities.has(entityId);
  }

  private specFor(s: SimState): Spec | undefined {
    if (s.state === 'unavailable' || s.state === 'unknown') return undefined;
    const id = s.entity_id;
    const domain = id.slice(0, id.indexOf('.'));
    const a = s.attributes;
    const seed = hashStr(id);
    const dc = typeof a.device_class === 'string' ? a.device_class : '';
    const value = Number(s.state);
    if ((domain === 'sensor' || domain === 'number' || domain === 'input_number') && s.state !== '' && Number.isFinite(value) && 'unit_of_measurement' in a) {
      return this.numeric(id, seed, dc, value, decimalsOf(s.state), a.state_class);
    }
    const tz = this.tz;
    const by = (night: number, morning: number, day: number, evening: number) => (h: number) =>
      h < 6 ? night : h < 9 ? morning : h < 17 ? day : h < 23 ? evening : night;
    switch (domain) {
      case 'light':
        return { kind: 'toggle', seed, slot: 45 * MIN, active: 'on', inactive: 'off', chance: by(0.04, 0.45, 0.15, 0.75), services: ['turn_on', 'turn_off'], caused: true, dims: true };
      case 'switch':
        return { kind: 'toggle', seed, slot: 90 * MIN, active: 'on', inactive: 'off', chance: by(0.2, 0.4, 0.4, 0.55), services: ['turn_on', 'turn_off'], caused: true };
      case 'fan':
        return { kind: 'toggle', seed, slot: 120 * MIN, active: 'on', inactive: 'off', chance: by(0.2, 0.1, 0.3, 0.35), services: ['turn_on', 'turn_off'], caused: true };
      case 'input_boolean':
        return { kind: 'toggle', seed, slot: 240 * MIN, active: 'on', inactive: 'off', chance: () => 0.5, services: ['turn_on', 'turn_off'], caused: true };
      case 'lock':
        return { kind: 'toggle', seed, slot: 120 * MIN, active: 'unlocked', inactive: 'locked', chance: by(0.02, 0.3, 0.15, 0.25), services: ['unlock', 'lock'], caused: true };
      case 'cover':
        if (s.state !== 'open' && s.state !== 'closed') return undefined;
        return { kind: 'toggle', seed, slot: 240 * MIN, active: 'open', inactive: 'closed', chance: by(0.05, 0.6, 0.8, 0.3), services: ['open_cover', 'close_cover'], caused: true };
      case 'person':
      case 'device_tracker':
        if (s.state !== 'home' && s.state !== 'not_home') return undefined;
        return { kind: 'toggle', seed, slot: 180 * MIN, active: 'home', inactive: 'not_home', chance: by(0.95, 0.8, 0.35, 0.85), caused: false };
      case 'media_player': {
        const inactive = s.state === 'off' ? 'off' : 'idle';
        return { kind: 'toggle', seed, slot: 60 * MIN, active: 'playing', inactive, chance: by(0.02, 0.1, 0.1, 0.55), services: ['media_play', 'media_pause'], caused: true };
      }
      case 'binary_sensor':
        if (['motion', 'occupancy', 'presence'].includes(dc)) return { kind: 'toggle', seed, slot: 15 * MIN, active: 'on', inactive: 'off', chance: by(0.03, 0.4, 0.25, 0.5), caused: false };
        if (['door', 'window', 'opening', 'garage_door'].includes(dc)) return { kind: 'toggle', seed, slot: 60 * MIN, active: 'on', inactive: 'off', chance: by(0.01, 0.2, 0.1, 0.15), caused: false };
        if (['moisture', 'smoke', 'gas', 'problem', 'safety', 'tamper', 'connectivity', 'battery', 'update'].includes(dc)) return undefined;
        return { kind: 'toggle', seed, slot: 120 * MIN, active: 'on', inactive: 'off', chance: () => 0.2, caused: false };
      case 'climate':
        return typeof a.current_temperature === 'number' ? { kind: 'climate', seed } : undefined;
      default:
        void tz;
        return undefined;
    }
  }

  private numeric(id: string, seed: number, dc: string, cur: number, decimals: number, stateClass: unknown): NumericSpec {
    const tz = this.tz;
    const name = id.toLowerCase();
    const scale = Math.max(Math.abs(cur), 1);
    if (stateClass === 'total_increasing' || stateClass === 'total') {
      // Meters: the reading is integrated backwards from the current value, so it only goes up.
      return { kind: 'numeric', seed, interval: dc === 'gas' || dc === 'water' ? 15 * MIN : 5 * MIN, decimals: Math.max(decimals, 2), value: (t) => this.meterAt(id, seed, cur, t) };
    }
    switch (dc) {
      case 'power': {
        const solar = /solar|inverter|pv/.test(name);
        const battery = /battery|powerwall/.test(name);
        const peak = Math.max(scale * 1.4, solar ? 3000 : battery ? 2500 : 400);
        return {
          kind: 'numeric', seed, interval: MIN, decimals: Math.min(decimals, 1),
          value: (t) => {
            const h = localHour(t, tz);
            const n = smooth(seed, t, 7 * MIN) * 0.5 + smooth(seed ^ 1, t, 53 * MIN) * 0.5;
            if (solar) return Math.max(0, peak * daylight(h) * (0.75 + 0.25 * n));
            if (battery) return peak * (h > 9 && h < 16 ? -0.6 : h >= 17 && h < 23 ? 0.7 : 0.1) * (0.7 + 0.3 * n);
            const load = h >= 17 && h < 23 ? 0.75 : h >= 6 && h < 9 ? 0.55 : h < 6 ? 0.2 : 0.4;
            return Math.max(0, peak * load * (0.7 + 0.5 * n) + (u(seed, Math.floor(t / (3 * MIN))) > 0.93 ? peak * 0.6 : 0));
          },
        };
      }
      case 'temperature':
        return {
          kind: 'numeric', seed, interval: 5 * MIN, decimals: Math.max(1, Math.min(decimals, 1)),
          value: (t) => cur + 1.4 * Math.sin((2 * Math.PI * (localHour(t, tz) - 9)) / 24) + 0.4 * smooth(seed, t, 40 * MIN),
        };
      case 'humidity':
        return { kind: 'numeric', seed, interval: 10 * MIN, decimals: 0, value: (t) => Math.min(100, Math.max(0, cur + 6 * smooth(seed, t, 3 * HOUR))) };
      case 'illuminance':
        return { kind: 'numeric', seed, interval: 5 * MIN, decimals: 0, value: (t) => Math.max(0, (scale + 200) * daylight(localHour(t, tz)) * (0.7 + 0.3 * smooth(seed, t, 20 * MIN))) };
      case 'battery':
        return { kind: 'numeric', seed, interval: HOUR, decimals: 0, value: (t) => Math.min(100, cur + ((this.cutoffMs(id) - t) / DAY) * 0.6) };
      default:
        return { kind: 'numeric', seed, interval: 10 * MIN, decimals, value: (t) => cur + scale * 0.04 * smooth(seed, t, 2 * HOUR) };
    }
  }

  private cutoffMs(id: string): number {
    return (this.entities.get(id)?.cutoffUs ?? Date.now() * 1000) / 1000;
  }

  /** A meter's reading at t: the current value minus what it counted between t and its cutoff. */
  private meterAt(id: string, seed: number, cur: number, tMs: number): number {
    let m = this.meters.get(id);
    if (!m) {
      const rate = meterRate(id, seed, this.tz);
      const end = this.cutoffMs(id);
      const first = Math.floor(this.originMs / HOUR) * HOUR;
      const hours = Math.max(1, Math.ceil((end - first) / HOUR));
      // cum[k]: what the meter counted from first + k hours until the cutoff.
      const cum = new Float64Array(hours + 1);
      for (let k = hours - 1; k >= 0; k--) {
        const hs = first + k * HOUR;
        const part = Math.min(HOUR, Math.max(0, end - hs));
        cum[k] = cum[k + 1]! + (rate(hs) * part) / HOUR;
      }
      m = { first, cum, rate };
      this.meters.set(id, m);
    }
    const end = this.cutoffMs(id);
    if (tMs >= end) return cur;
    const k = Math.max(0, Math.min(m.cum.length - 2, Math.floor((tMs - m.first) / HOUR)));
    const hs = m.first + k * HOUR;
    const within = Math.min(1, Math.max(0, (tMs - hs) / HOUR));
    // Linear within the hour: from cum[k] down to cum[k + 1].
    const left = m.cum[k]! - (m.cum[k]! - m.cum[k + 1]!) * within;
    return Math.max(0, cur - left);
  }

  /**
   * A numeric signal for statistics: the reading at t (the current value from the cutoff on),
   * or undefined for entities without a synthesized numeric past.
   */
  value(entityId: string, tMs: number, current: number): number | undefined {
    const e = this.entities.get(entityId);
    if (!e || e.spec.kind !== 'numeric') return undefined;
    if (tMs < this.originMs) return undefined;
    if (tMs * 1000 >= e.cutoffUs) return current;
    return round(e.spec.value(tMs), e.spec.decimals);
  }

  /**
   * Synthesized rows of an entity in [fromUs, toUs] (and the one in effect at fromUs), oldest
   * first, all before its current state began.
   */
  rows(entityId: string, fromUs: number, toUs: number): HistoryRow[] {
    const e = this.entities.get(entityId);
    if (!e) return [];
    const from = Math.max(fromUs / 1000, this.originMs);
    const to = Math.min(toUs, e.cutoffUs - 1) / 1000;
    if (to < this.originMs) return [];
    const out: HistoryRow[] = [];
    if (e.spec.kind === 'numeric') this.numericRows(e, e.spec, from, to, out);
    else if (e.spec.kind === 'toggle') for (const c of this.toggleChanges(e, e.spec, from, to)) out.push(c.row);
    else this.climateRows(e, from, to, out);
    return out;
  }

  private row(e: Entity, state: string, attributes: Record<string, unknown>, us: number, lcUs = us): HistoryRow {
    const iso = isoFromMicros(us);
    return { entity_id: e.state.entity_id, state, attributes, last_changed: lcUs === us ? iso : isoFromMicros(lcUs), last_updated: iso, us, lcUs };
  }

  private numericRows(e: Entity, spec: NumericSpec, from: number, to: number, out: HistoryRow[]): void {
    // Readings on a grid from the epoch (so a window does not move them), none before the origin.
    const at = (k: number) => k * spec.interval + Math.floor(u(spec.seed ^ 0x5bd1, k) * spec.interval * 0.5);
    const val = (k: number) => round(spec.value(at(k)), spec.decimals);
    const firstK = Math.ceil(this.originMs / spec.interval);
    let k = Math.max(firstK, Math.floor(from / spec.interval) - 1);
    while (k > firstK && at(k) > from) k--;
    // The reading in effect at `from`: walk back (a bounded way) to where it last changed.
    let back = k;
    for (let n = 0; back > firstK && n < 48 && val(back - 1) === val(back); n++) back--;
    let prev = back > firstK ? val(back - 1) : NaN;
    for (let j = back; ; j++) {
      const t = at(j);
      if (t > to) break;
      const v = val(j);
      if (v === prev) continue;
      prev = v;
      const r = this.row(e, String(v), e.state.attributes, Math.round(t * 1000) + (mix(spec.seed, j) % 1000));
      // Readings before `from`: only the last one stays (the state in effect at from).
      if (t < from && out.length) out[0] = r;
      else out.push(r);
    }
  }

  private activeIn(spec: ToggleSpec, k: number, lastSlot: number, current: string): boolean {
    // The slot before the current state began always holds the other state, so the current
    // state really begins at its last_changed.
    if (k >= lastSlot) return current !== spec.active;
    return u(spec.seed, k) < spec.chance(localHour(k * spec.slot, this.tz));
  }

  /** State changes (and dimming rows) of an on/off entity in [from, to], with the one in effect at from. */
  private toggleChanges(e: Entity, spec: ToggleSpec, from: number, to: number): { row: HistoryRow; k: number; dim: boolean }[] {
    const lastSlot = Math.floor(e.cutoffUs / 1000 / spec.slot) - 1;
    const firstSlot = Math.ceil(this.originMs / spec.slot);
    const changeAt = (k: number) => k * spec.slot + Math.floor((0.1 + 0.8 * u(spec.seed ^ 0x2c1b, k)) * spec.slot);
    const out: { row: HistoryRow; k: number; dim: boolean }[] = [];
    let k = Math.max(firstSlot, Math.floor(from / spec.slot) - 1);
    // Walk back to the change in effect at `from` (bounded: a week of slots).
    let start = k;
    for (let n = 0; start > firstSlot && n < 2000; n++) {
      if (this.activeIn(spec, start, lastSlot, e.state.state) !== this.activeIn(spec, start - 1, lastSlot, e.state.state)) break;
      start--;
    }
    k = start;
    let prev = k > firstSlot ? this.activeIn(spec, k - 1, lastSlot, e.state.state) : undefined;
    for (; k <= lastSlot; k++) {
      const t = changeAt(k);
      if (t > to) break;
      const active = this.activeIn(spec, k, lastSlot, e.state.state);
      const state = active ? spec.active : spec.inactive;
      const us = t * 1000 + (mix(spec.seed, k) % 1000);
      if (active !== prev) {
        const r = { row: this.row(e, state, this.attributes(e, state, 0), us), k, dim: false };
        if (t < from && out.length) out[0] = r;
        else out.push(r);
        prev = active;
      } else if (active && spec.dims && u(spec.seed ^ 0x77, k) < 0.3 && t >= from && out.length) {
        // Same state, new brightness: an attribute-only row (last_changed stays).
        const lcUs = out.at(-1)!.row.lcUs;
        out.push({ row: this.row(e, state, this.attributes(e, state, 1 + (mix(spec.seed, k) % 5)), us, lcUs), k, dim: true });
      }
    }
    return out;
  }

  /** Attributes of a synthesized state: the current ones, adjusted for the state (lights off have no colour). */
  private attributes(e: Entity, state: string, dim: number): Record<string, unknown> {
    const key = `${state}|${dim}`;
    let a = e.variants.get(key);
    if (a) return a;
    const cur = e.state.attributes;
    a = cur;
    const domain = e.state.entity_id.slice(0, e.state.entity_id.indexOf('.'));
    if (domain === 'light') {
      if (state === 'off') {
        a = { ...cur };
        for (const k of ['color_mode', 'brightness', 'color_temp_kelvin', 'color_temp', 'hs_color', 'rgb_color', 'xy_color', 'effect']) if (k in a) a[k] = null;
      } else if (dim || cur.brightness === null || cur.brightness === undefined) {
        const modes = Array.isArray(cur.supported_color_modes) ? (cur.supported_color_modes as string[]) : [];
        a = { ...cur, ...('color_mode' in cur ? { color_mode: cur.color_mode ?? modes[0] ?? 'onoff' } : {}), brightness: 60 + dim * 38 };
      }
    } else if (domain === 'cover' && 'current_position' in cur) {
      a = { ...cur, current_position: state === 'open' ? 100 : 0 };
    }
    e.variants.set(key, a);
    return a;
  }

  private climateRows(e: Entity, from: number, to: number, out: HistoryRow[]): void {
    const step = 15 * MIN;
    const base = e.state.attributes.current_temperature as number;
    const seed = e.spec.seed;
    const at = (k: number) => k * step + Math.floor(u(seed, k) * MIN);
    const first = Math.max(Math.ceil(this.originMs / step), Math.floor(from / step) - 1);
    const lcUs = Math.round(this.originMs * 1000);
    for (let k = first; at(k) <= to; k++) {
      const t = at(k);
      const temp = round(base + 0.8 * smooth(seed, t, 2 * HOUR), 1);
      const r = this.row(e, e.state.state, { ...e.state.attributes, current_temperature: temp }, t * 1000, lcUs);
      if (t < from) {
        out.length = 0;
        out.push(r);
      } else out.push(r);
    }
  }

  private cause(e: Entity, spec: ToggleSpec, k: number): Cause {
    if (!spec.caused) return {};
    const x = u(spec.seed ^ 0x3d, k);
    if (x < 0.45 && this.users.length) return { user: this.users[mix(spec.seed, k) % this.users.length]! };
    if (x < 0.75 && this.automations.length) return { automation: this.automations[mix(spec.seed ^ 9, k) % this.automations.length]!.id };
    if (x < 0.85 && this.scripts.length) return { script: this.scripts[mix(spec.seed ^ 11, k) % this.scripts.length]!.id };
    return {};
  }

  /** Logbook rows (REST shape, oldest first) for the synthesized state changes in [fromUs, toUs]. */
  logbook(fromUs: number, toUs: number, entityIds?: Set<string>): LogbookRow[] {
    const out: LogbookRow[] = [];
    const from = fromUs / 1000;
    const to = toUs / 1000;
    const nameOf = (id: string) => this.automations.find((a) => a.id === id)?.name ?? this.scripts.find((s) => s.id === id)?.name ?? id;
    // Only the asked entities, unless an automation or script is asked for (what did it change?).
    const all = !entityIds || [...entityIds].some((id) => id.startsWith('automation.') || id.startsWith('script.'));
    const candidates = all ? this.entities : new Map([...entityIds].flatMap((id) => (this.entities.has(id) ? [[id, this.entities.get(id)!] as const] : [])));
    for (const [id, e] of candidates) {
      if (e.spec.kind !== 'toggle') continue;
      const spec = e.spec;
      const changes = this.toggleChanges(e, spec, from, to);
      // The change into the current state is in the logbook too.
      if (e.cutoffUs >= fromUs && e.cutoffUs <= toUs) {
        const k = Math.floor(e.cutoffUs / 1000 / spec.slot);
        changes.push({ row: this.row(e, e.state.state, e.state.attributes, e.cutoffUs), k, dim: false });
      }
      for (const { row, k, dim } of changes) {
        if (dim || row.us < fromUs) continue;
        const entry: Record<string, unknown> = { state: row.state, entity_id: id, name: String(e.state.attributes.friendly_name ?? id), when: row.last_changed };
        const c = this.cause(e, spec, k);
        const service = spec.services?.[row.state === spec.active ? 0 : 1];
        if (c.user) {
          Object.assign(entry, { context_user_id: c.user, context_domain: id.slice(0, id.indexOf('.')), context_service: service, context_event_type: 'call_service' });
        } else if (c.automation || c.script) {
          const by = (c.automation ?? c.script)!;
          const automation = !!c.automation;
          const message = automation ? 'triggered by time pattern' : 'started';
          if (!entityIds || entityIds.has(by)) {
            const trigger: Record<string, unknown> = automation
              ? { name: nameOf(by), message, source: 'time pattern', entity_id: by, context_id: ulid(row.us / 1000, spec.seed, k), domain: 'automation', when: isoFromMicros(row.us - 1500) }
              : { name: nameOf(by), message, entity_id: by, context_id: ulid(row.us / 1000, spec.seed, k), domain: 'script', when: isoFromMicros(row.us - 1500) };
            out.push({ entry: trigger, us: row.us - 1500 });
          }
          Object.assign(entry, {
            context_event_type: automation ? 'automation_triggered' : 'script_started',
            context_domain: automation ? 'automation' : 'script',
            context_name: nameOf(by),
            context_message: message,
            ...(automation ? { context_source: 'time pattern' } : {}),
            context_entity_id: by,
            context_entity_id_name: nameOf(by),
          });
        }
        if (!entityIds || entityIds.has(id)) out.push({ entry, us: row.us });
      }
    }
    return out.filter((r) => r.us >= fromUs && r.us <= toUs && (!entityIds || entityIds.has(String(r.entry.entity_id)))).sort((a, b) => a.us - b.us);
  }
}
