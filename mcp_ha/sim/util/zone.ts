// Local calendar arithmetic in a home's IANA time zone: the offset at an instant, local midnight,
// and day/week/month period starts (weeks start on Monday, as Home Assistant's statistics do).
// Offsets are cached per hour, so walking a month of hours costs a few Intl calls.

const HOUR = 3_600_000;
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

/** A zone name Intl knows, else UTC. */
export function validZone(tz: unknown): string {
  if (typeof tz !== 'string' || !tz) return 'UTC';
  try {
    format(tz);
    return tz;
  } catch {
    return 'UTC';
  }
}

/** Local time minus UTC at `tMs`, in ms (whole minutes). */
export function offsetMs(tMs: number, tz: string): number {
  if (tz === 'UTC') return 0;
  const hour = Math.floor(tMs / HOUR);
  const key = `${tz}|${hour}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const p: Record<string, number> = {};
    for (const part of format(tz).formatToParts(new Date(hour * HOUR))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - hour * HOUR;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

/** The local wall clock at `tMs` as a UTC Date (read it with getUTC*). */
export function wall(tMs: number, tz: string): Date {
  return new Date(tMs + offsetMs(tMs, tz));
}

/** The local hour of day at `tMs`, with fractions (0 <= h < 24). */
export function localHour(tMs: number, tz: string): number {
  const w = tMs + offsetMs(tMs, tz);
  return (((w % 86_400_000) + 86_400_000) % 86_400_000) / HOUR;
}

/** The instant of local midnight starting y-m-d (month and day may overflow, as in Date.UTC). */
export function localMidnight(y: number, m: number, d: number, tz: string): number {
  const w = Date.UTC(y, m - 1, d);
  let t = w - offsetMs(w, tz);
  t = w - offsetMs(t, tz);
  return t;
}

export type CalendarPeriod = 'day' | 'week' | 'month';

/** The start of the local day, week (Monday) or month containing `tMs`. */
export function periodStart(tMs: number, period: CalendarPeriod, tz: string): number {
  const w = wall(tMs, tz);
  const y = w.getUTCFullYear();
  const m = w.getUTCMonth() + 1;
  const d = w.getUTCDate();
  if (period === 'day') return localMidnight(y, m, d, tz);
  if (period === 'week') return localMidnight(y, m, d - ((w.getUTCDay() + 6) % 7), tz);
  return localMidnight(y, m, 1, tz);
}

/** The start of the period after the one starting at `startMs`. */
export function nextPeriodStart(startMs: number, period: CalendarPeriod, tz: string): number {
  const w = wall(startMs + HOUR, tz);
  const y = w.getUTCFullYear();
  const m = w.getUTCMonth() + 1;
  const d = w.getUTCDate();
  if (period === 'day') return localMidnight(y, m, d + 1, tz);
  if (period === 'week') return localMidnight(y, m, d + 7, tz);
  return localMidnight(y, m + 1, 1, tz);
}
