// Python datetime / timedelta stand-ins, so templates can use `now().hour`,
// `now() - timedelta(hours=1)`, `.strftime()` and print them the way Python does.

import { PyFloat } from './pyfloat.js';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, w = 2) => String(Math.trunc(n)).padStart(w, '0');

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** UTC offset in minutes of `timeZone` at `ms` (0 for an unknown zone). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      return 0;
    }
    offsetFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

export class PyTimedelta {
  constructor(readonly micros: number) {}
  get days(): number {
    return Math.floor(this.micros / 86_400_000_000);
  }
  get seconds(): number {
    return Math.floor((this.micros - this.days * 86_400_000_000) / 1_000_000);
  }
  get microseconds(): number {
    return this.micros % 1_000_000;
  }
  total_seconds(): PyFloat {
    return new PyFloat(this.micros / 1_000_000);
  }
  valueOf(): number {
    return this.micros;
  }
  toString(): string {
    const neg = this.days;
    const rest = this.micros - neg * 86_400_000_000;
    const s = Math.floor(rest / 1_000_000);
    const us = rest % 1_000_000;
    const hms = `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${us ? `.${pad(us, 6)}` : ''}`;
    return neg ? `${neg} day${Math.abs(neg) === 1 ? '' : 's'}, ${hms}` : hms;
  }
}

export class PyDateTime {
  /** micros: microseconds since the epoch; offset: minutes east of UTC; naive: no tzinfo. */
  constructor(readonly micros: number, readonly offset = 0, readonly naive = false) {}

  private get local(): Date {
    return new Date(Math.floor(this.micros / 1000) + this.offset * 60_000);
  }
  get year(): number { return this.local.getUTCFullYear(); }
  get month(): number { return this.local.getUTCMonth() + 1; }
  get day(): number { return this.local.getUTCDate(); }
  get hour(): number { return this.local.getUTCHours(); }
  get minute(): number { return this.local.getUTCMinutes(); }
  get second(): number { return this.local.getUTCSeconds(); }
  get microsecond(): number { return ((this.micros % 1_000_000) + 1_000_000) % 1_000_000; }
  get tzinfo(): string | null { return this.naive ? null : this.utcOffset(); }

  weekday(): number { return (this.local.getUTCDay() + 6) % 7; }
  isoweekday(): number { return this.weekday() + 1; }
  timestamp(): PyFloat { return new PyFloat(this.micros / 1_000_000); }
  date(): string { return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`; }
  time(): string { return this.timePart(); }
  astimezone(): PyDateTime { return this; }
  replace(kw: Record<string, number> = {}): PyDateTime {
    const d = this.local;
    const ms = Date.UTC(kw.year ?? d.getUTCFullYear(), (kw.month ?? this.month) - 1, kw.day ?? this.day, kw.hour ?? this.hour, kw.minute ?? this.minute, kw.second ?? this.second);
    const us = kw.microsecond ?? this.microsecond;
    return new PyDateTime((ms - this.offset * 60_000) * 1000 + us, this.offset, this.naive);
  }
  isoformat(): string { return `${this.date()}T${this.timePart()}${this.naive ? '' : this.utcOffset()}`; }
  strftime(fmt: string): string { return strftime(this, fmt); }
  valueOf(): number { return this.micros; }
  toString(): string { return `${this.date()} ${this.timePart()}${this.naive ? '' : this.utcOffset()}`; }

  utcOffset(compact = false): string {
    const o = Math.abs(this.offset);
    return `${this.offset < 0 ? '-' : '+'}${pad(Math.floor(o / 60))}${compact ? '' : ':'}${pad(o % 60)}`;
  }
  private timePart(): string {
    const us = this.microsecond;
    return `${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}${us ? `.${pad(us, 6)}` : ''}`;
  }
}

export function strftime(d: PyDateTime, fmt: string): string {
  return fmt.replace(/%(-?)([a-zA-Z%])/g, (whole, dash: string, code: string) => {
    const p = (n: number, w = 2) => (dash ? String(n) : pad(n, w));
    switch (code) {
      case 'Y': return String(d.year);
      case 'y': return pad(d.year % 100);
      case 'm': return p(d.month);
      case 'd': return p(d.day);
      case 'e': return String(d.day).padStart(2, ' ');
      case 'H': return p(d.hour);
      case 'I': return p(d.hour % 12 || 12);
      case 'M': return p(d.minute);
      case 'S': return p(d.second);
      case 'f': return pad(d.microsecond, 6);
      case 'p': return d.hour < 12 ? 'AM' : 'PM';
      case 'a': return DAYS[d.weekday()]!.slice(0, 3);
      case 'A': return DAYS[d.weekday()]!;
      case 'w': return String((d.weekday() + 1) % 7);
      case 'b': case 'h': return MONTHS[d.month - 1]!.slice(0, 3);
      case 'B': return MONTHS[d.month - 1]!;
      case 'j': return p(Math.floor((Date.UTC(d.year, d.month - 1, d.day) - Date.UTC(d.year, 0, 1)) / 86_400_000) + 1, 3);
      case 'z': return d.naive ? '' : d.utcOffset(true);
      case 'Z': return d.naive ? '' : d.offset === 0 ? 'UTC' : d.utcOffset();
      case 's': return String(Math.floor(d.micros / 1_000_000));
      case 'F': return d.date();
      case 'T': return `${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}`;
      case 'c': return `${DAYS[d.weekday()]!.slice(0, 3)} ${MONTHS[d.month - 1]!.slice(0, 3)} ${String(d.day).padStart(2, ' ')} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)} ${d.year}`;
      case '%': return '%';
      default: return whole;
    }
  });
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO datetime the way dt_util.parse_datetime does; null when it is not one. */
export function parseDateTime(s: string, defaultOffset: number): PyDateTime | null {
  const m = ISO_RE.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (Number.isNaN(ms)) return null;
  let offset = defaultOffset;
  if (tz === 'Z') offset = 0;
  else if (tz) {
    const digits = tz.slice(1).replace(':', '');
    offset = (tz.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return new PyDateTime((ms - offset * 60_000) * 1000 + Number(frac.padEnd(6, '0')), offset, !tz);
}

/** `2 hours`, `1 minute`: HA's relative_time / time_since wording (largest unit only). */
export function humanDelta(seconds: number): string {
  const units: [string, number][] = [['year', 31_536_000], ['month', 2_592_000], ['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1]];
  for (const [name, size] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'}`;
  }
  return '0 seconds';
}
