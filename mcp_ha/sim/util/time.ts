// Home Assistant stamps states with microsecond ISO times ("…T16:24:55.627296+00:00") and
// epoch-second floats; JavaScript only has milliseconds, so keep a monotonic microsecond clock.

const baseMicros = Date.now() * 1000;
const baseHr = process.hrtime.bigint();
let lastMicros = 0;

/** Microseconds since the epoch, strictly increasing within this process. */
export function nowMicros(): number {
  let us = baseMicros + Number((process.hrtime.bigint() - baseHr) / 1000n);
  if (us <= lastMicros) us = lastMicros + 1;
  lastMicros = us;
  return us;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** ISO-8601 UTC with microseconds and "+00:00", like Python's datetime.isoformat(). */
export function isoFromMicros(us: number, offsetMinutes = 0): string {
  const shifted = us + offsetMinutes * 60_000_000;
  const ms = Math.floor(shifted / 1000);
  const micro = shifted - ms * 1000;
  const d = new Date(ms);
  const frac = pad(d.getUTCMilliseconds() * 1000 + micro, 6);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}` +
    `${sign}${pad(Math.floor(off / 60), 2)}:${pad(off % 60, 2)}`
  );
}

export function isoNow(): string {
  return isoFromMicros(nowMicros());
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses ISO-ish datetimes the way HA's dt_util.parse_datetime does (naive = UTC here). */
export function parseIsoMicros(s: string): number | null {
  const m = ISO_RE.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (Number.isNaN(ms)) return null;
  let us = ms * 1000 + Number(frac.padEnd(6, '0'));
  if (tz && tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    us -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000_000;
  }
  return us;
}

/** The UTC offset (minutes) an ISO string carries, so shifted times keep their zone. */
export function isoOffsetMinutes(s: string): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(s);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** Moves an ISO timestamp by `deltaUs`, keeping its offset. */
export function shiftIso(s: string, deltaUs: number): string {
  const us = parseIsoMicros(s);
  if (us === null) return s;
  return isoFromMicros(us + deltaUs, isoOffsetMinutes(s));
}

/** Epoch seconds as a float, the way HA's compressed states carry `lc` / `lu`. */
export function epochSeconds(us: number): number {
  return us / 1_000_000;
}
