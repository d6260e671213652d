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

/** ISO-8601 with microseconds and an offset ("+00:00" for UTC), like Python's isoformat(). */
export function isoFromMicros(us: number, offsetMinutes = 0): string {
  const shifted = Math.round(us) + offsetMinutes * 60_000_000;
  const ms = Math.floor(shifted / 1000);
  const micro = shifted - ms * 1000;
  // toISOString is native and fast; it has the milliseconds, we add the last three digits.
  const base = new Date(ms).toISOString();
  let off = '+00:00';
  if (offsetMinutes !== 0) {
    const a = Math.abs(offsetMinutes);
    off = `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}:${pad(a % 60, 2)}`;
  }
  return `${base.slice(0, 23)}${micro < 10 ? '00' : micro < 100 ? '0' : ''}${micro}${off}`;
}

export function isoNow(): string {
  return isoFromMicros(nowMicros());
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses ISO-ish datetimes the way HA's dt_util.parse_datetime does (naive = UTC here). */
export function parseIsoMicros(s: string): number | null {
  // Fast path for HA's own format ("2026-11-21T16:24:55.627296+00:00").
  if (s.length === 32 && s.charCodeAt(10) === 84 && s.endsWith('+00:00') && s.charCodeAt(19) === 46) {
    const ms = Date.parse(`${s.slice(0, 23)}Z`);
    const micro = Number(s.slice(23, 26));
    if (!Number.isNaN(ms) && !Number.isNaN(micro)) return ms * 1000 + micro;
  }
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
  return isoFromMicros(us + deltaUs, s.endsWith('+00:00') ? 0 : isoOffsetMinutes(s));
}

/** Epoch seconds as a float, the way HA's compressed states carry `lc` / `lu`. */
export function epochSeconds(us: number): number {
  return us / 1_000_000;
}
