// Times in and out, in the home's time zone (Home Assistant's core config time_zone).
// In: ISO 8601 (an offset or Z is absolute; without one the time is the home's wall clock; a bare
// date is local midnight) or relative: "now", "-24h", "-1h30m", "-7d", "-2w" ("+3d" ahead, for
// calendars), and named periods ("today", "yesterday", "tomorrow", "this week", "last week",
// "next week", "this month", "last month", "next month", "this year", "last year"). A named period or a bare date as a start means its beginning, as an end its end,
// so start "yesterday" alone is all of yesterday. Weeks start on Monday. Anything else is an
// invalid_input naming the field, with the forms that work.
// Out: "YYYY-MM-DD HH:MM[:SS]" wall-clock times; series repeat the date only when it changes.
import { AppError } from '../errors.js';
import type { HomeCache } from '../ha/types.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Characters a time argument may have (the longest ISO form with microseconds and an offset fits). */
export const MAX_TIME_CHARS = 40;

const formats = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formats.set(tz, f);
  }
  return f;
}

/** The home's time zone (config time_zone), or UTC when it is missing or unknown to this Node. */
export function homeZone(cache: HomeCache): string {
  const tz = cache.config?.time_zone;
  if (!tz) return 'UTC';
  try {
    format(tz);
    return tz;
  } catch {
    return 'UTC';
  }
}

/** Local time minus UTC at t, in ms; cached per hour. */
export function offsetMs(t: number, tz: string): number {
  if (tz === 'UTC') return 0;
  const hour = Math.floor(t / HOUR);
  const key = `${tz}|${hour}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const p: Record<string, number> = {};
    for (const part of format(tz).formatToParts(new Date(hour * HOUR))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - hour * HOUR;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

/** The instant whose wall clock in tz reads `wallMs` (a UTC timestamp of the wall time). */
function fromWall(wallMs: number, tz: string): number {
  let t = wallMs - offsetMs(wallMs, tz);
  t = wallMs - offsetMs(t, tz);
  return t;
}

const wallDate = (t: number, tz: string): Date => new Date(t + offsetMs(t, tz));

function localMidnight(y: number, m: number, d: number, tz: string): number {
  return fromWall(Date.UTC(y, m, d), tz);
}

export interface Span {
  start: number;
  end: number;
}

type Named = 'today' | 'yesterday' | 'tomorrow' | 'this week' | 'last week' | 'next week' | 'this month' | 'last month' | 'next month' | 'this year' | 'last year';
const NAMED = new Set<string>(['today', 'yesterday', 'tomorrow', 'this week', 'last week', 'next week', 'this month', 'last month', 'next month', 'this year', 'last year']);

/** A named period's bounds; a period still running ends now. */
function namedSpan(name: Named, now: number, tz: string): Span {
  const w = wallDate(now, tz);
  const y = w.getUTCFullYear();
  const m = w.getUTCMonth();
  const d = w.getUTCDate();
  const weekday = (w.getUTCDay() + 6) % 7;
  const day = (offset: number): number => localMidnight(y, m, d + offset, tz);
  switch (name) {
    case 'today':
      return { start: day(0), end: day(1) };
    case 'yesterday':
      return { start: day(-1), end: day(0) };
    case 'tomorrow':
      return { start: day(1), end: day(2) };
    case 'next week':
      return { start: day(7 - weekday), end: day(14 - weekday) };
    case 'next month':
      return { start: localMidnight(y, m + 1, 1, tz), end: localMidnight(y, m + 2, 1, tz) };
    case 'this week':
      return { start: day(-weekday), end: day(7 - weekday) };
    case 'last week':
      return { start: day(-weekday - 7), end: day(-weekday) };
    case 'this month':
      return { start: localMidnight(y, m, 1, tz), end: localMidnight(y, m + 1, 1, tz) };
    case 'last month':
      return { start: localMidnight(y, m - 1, 1, tz), end: localMidnight(y, m, 1, tz) };
    case 'this year':
      return { start: localMidnight(y, 0, 1, tz), end: localMidnight(y + 1, 0, 1, tz) };
    case 'last year':
      return { start: localMidnight(y - 1, 0, 1, tz), end: localMidnight(y, 0, 1, tz) };
  }
}

const RELATIVE = /^([-+])\s*((?:\d+(?:\.\d+)?\s*(?:w|d|h|m|s)\s*)+)$/;
const RELATIVE_PART = /(\d+(?:\.\d+)?)\s*(w|d|h|m|s)/g;
const UNIT_MS: Record<string, number> = { w: 7 * DAY, d: DAY, h: HOUR, m: MIN, s: 1000 };
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A time argument as a span: an instant is a span of length 0; a day or named period covers it. */
function parseOne(text: string, now: number, tz: string): Span | undefined {
  const t = text.trim().toLowerCase().replace(/[_\s]+/g, ' ');
  if (t === 'now') return { start: now, end: now };
  if (NAMED.has(t)) return namedSpan(t as Named, now, tz);
  const rel = RELATIVE.exec(t.replace(/\s+/g, ''));
  if (rel) {
    let ms = 0;
    for (const m of rel[2]!.matchAll(RELATIVE_PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    const at = rel[1] === '+' ? now + ms : now - ms;
    // Nothing was recorded before 1970, nor planned past 9999.
    if (!(at >= 0 && at < MAX_TIME)) return undefined;
    return { start: at, end: at };
  }
  const iso = ISO.exec(text.trim());
  if (!iso) return undefined;
  const [, y, mo, d, hh, mi, ss = '0', frac = '', zone] = iso;
  // Date.UTC reads years below 100 as 19xx; nothing was recorded before 1970 anyway.
  if (Number(y) < 1970) return undefined;
  const month = Number(mo) - 1;
  const wall = Date.UTC(Number(y), month, Number(d), Number(hh ?? 0), Number(mi ?? 0), Number(ss), Number(frac.padEnd(3, '0').slice(0, 3)));
  const check = new Date(wall);
  // Date.UTC rolls 2026-02-30 over into March: a date that does not exist is no date.
  if (Number.isNaN(wall) || check.getUTCMonth() !== month || check.getUTCDate() !== Number(d) || Number(hh ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(ss) > 59) return undefined;
  if (hh === undefined) {
    if (zone) return undefined;
    const start = localMidnight(Number(y), month, Number(d), tz);
    return { start, end: localMidnight(Number(y), month, Number(d) + 1, tz) };
  }
  let at: number;
  if (!zone) at = fromWall(wall, tz);
  else if (zone.toUpperCase() === 'Z') at = wall;
  else {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    at = wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * MIN;
  }
  return { start: at, end: at };
}

function badTime(field: string, text: string, tz: string): AppError {
  return new AppError(
    'invalid_input',
    `${field} "${text.slice(0, MAX_TIME_CHARS)}" is not a time.`,
    `Use ISO 8601 ("2026-12-01T18:00", read in the home's time zone ${tz} unless it ends in Z or an offset such as +01:00; "2026-12-01" for the day) ` +
      'or relative: "now", "-30m", "-24h", "-7d", "-2w", "today", "yesterday", "this week", "last week", "this month", "last month", "this year".',
    { details: { field, value: text.slice(0, MAX_TIME_CHARS), time_zone: tz } },
  );
}

/**
 * The period [start, end) from the caller's start and end (defaults: `defaultStart` ago, and now;
 * a named start alone covers that period). End is capped at now; start must come before end.
 */
export function resolveSpan(input: { start?: string | undefined; end?: string | undefined }, tz: string, now: number, defaultStart: string): Span {
  const s = parseOne(input.start ?? defaultStart, now, tz);
  if (!s) throw badTime('start', input.start ?? '', tz);
  let end: number;
  if (input.end === undefined) end = s.start === s.end ? now : s.end;
  else {
    const e = parseOne(input.end, now, tz);
    if (!e) throw badTime('end', input.end, tz);
    end = e.end;
  }
  end = Math.min(end, now);
  if (s.start >= now) {
    throw new AppError('invalid_input', `start ${formatTime(s.start, tz)} is in the future (now is ${formatTime(now, tz)} ${tz}).`, 'History ends now: give a start in the past, e.g. "-24h" or "today".');
  }
  if (s.start >= end) {
    throw new AppError('invalid_input', `start ${formatTime(s.start, tz)} is not before end ${formatTime(end, tz)} (${tz}).`, 'Give an end after the start, or leave end out for "until now".');
  }
  return { start: s.start, end };
}

/** Year 10000: no calendar goes further. */
const MAX_TIME = 253_402_300_800_000;

/**
 * A period that may lie ahead (calendars, to-do due dates): [start, end) from the caller's start
 * and end; without an end, a named start covers its period and an instant runs `defaultDays`.
 */
export function resolvePeriod(
  input: { start?: string | undefined; end?: string | undefined },
  tz: string,
  now: number,
  opts: { defaultStart: string; defaultDays: number; maxDays: number },
): Span {
  const s = parseOne(input.start ?? opts.defaultStart, now, tz);
  if (!s) throw badTime('start', input.start ?? '', tz);
  let end: number;
  if (input.end !== undefined) {
    const e = parseOne(input.end, now, tz);
    if (!e) throw badTime('end', input.end, tz);
    end = e.end;
  } else end = s.start === s.end ? s.start + opts.defaultDays * DAY : s.end;
  if (s.start >= end) {
    throw new AppError('invalid_input', `start ${formatTime(s.start, tz)} is not before end ${formatTime(end, tz)} (${tz}).`, 'Give an end after the start, or leave end out.');
  }
  if (end - s.start > opts.maxDays * DAY) {
    throw new AppError('invalid_input', `The period is ${Math.round((end - s.start) / DAY)} days; at most ${opts.maxDays} days per call.`, 'Ask for a shorter period, e.g. start "this month" or "next week".');
  }
  return { start: s.start, end };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "YYYY-MM-DD HH:MM" (with ":SS" when asked) on the home's wall clock. */
export function formatTime(t: number, tz: string, seconds = false): string {
  const w = wallDate(t, tz);
  const date = `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}`;
  return `${date} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}${seconds ? `:${pad(w.getUTCSeconds())}` : ''}`;
}

/** "YYYY-MM-DD" of the home's wall clock. */
export function formatDate(t: number, tz: string): string {
  return formatTime(t, tz).slice(0, 10);
}

/**
 * Labels for a series of times: the full date and time at first and whenever the date changes,
 * else only the time of day. One per series, used in order.
 */
export class Clock {
  private lastDate = '';
  constructor(
    private readonly tz: string,
    private readonly seconds = false,
  ) {}

  label(t: number): string {
    const full = formatTime(t, this.tz, this.seconds);
    const date = full.slice(0, 10);
    if (date === this.lastDate) return full.slice(11);
    this.lastDate = date;
    return full;
  }
}

/** "3h12m", "45s", "2d4h": a compact duration. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
}
