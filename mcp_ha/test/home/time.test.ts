// Time arguments of the history tools: ISO 8601 (absolute with Z or an offset, else the home's
// wall clock), relative times and named periods, across daylight saving, and clear errors.
import t, { type Test } from 'tap';
import { AppError } from '../../src/errors.js';
import { Clock, formatDuration, formatTime, resolveSpan } from '../../src/home/time.js';

const TZ = 'Europe/Amsterdam';
// Wednesday 2026-12-02 15:30:00 in Amsterdam (UTC+1).
const NOW = Date.parse('2026-12-02T14:30:00Z');
const span = (start?: string, end?: string, now = NOW, tz = TZ) => resolveSpan({ start, end }, tz, now, '-24h');
const iso = (s: { start: number; end: number }) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()];

function fails(t: Test, f: () => unknown, pattern: RegExp, what: string): AppError {
  try {
    f();
  } catch (err) {
    t.ok(err instanceof AppError, `${what}: an AppError`);
    const e = err as AppError;
    t.equal(e.code, 'invalid_input', `${what}: invalid_input`);
    t.match(e.message, pattern, `${what}: message`);
    return e;
  }
  t.fail(`${what}: no error`);
  return new AppError('internal_error', '', '');
}

t.test('defaults and relative times', async (t) => {
  t.same(iso(span()), ['2026-12-01T14:30:00.000Z', '2026-12-02T14:30:00.000Z'], 'the last 24 h');
  t.same(iso(span('-2h')), ['2026-12-02T12:30:00.000Z', '2026-12-02T14:30:00.000Z']);
  t.same(iso(span('-1h30m', '-30m')), ['2026-12-02T13:00:00.000Z', '2026-12-02T14:00:00.000Z'], 'compound and relative end');
  t.same(iso(span('-7d')), ['2026-11-25T14:30:00.000Z', '2026-12-02T14:30:00.000Z']);
  t.same(iso(span('-2w', 'now')), ['2026-11-18T14:30:00.000Z', '2026-12-02T14:30:00.000Z']);
  t.same(iso(span(' -90 m ')), ['2026-12-02T13:00:00.000Z', '2026-12-02T14:30:00.000Z'], 'spaces are fine');
});

t.test('named periods in the home time zone (weeks from Monday)', async (t) => {
  t.same(iso(span('today')), ['2026-12-01T23:00:00.000Z', '2026-12-02T14:30:00.000Z'], 'today until now');
  t.same(iso(span('yesterday')), ['2026-11-30T23:00:00.000Z', '2026-12-01T23:00:00.000Z'], 'yesterday alone is the whole day');
  t.same(iso(span('this week')), ['2026-11-29T23:00:00.000Z', '2026-12-02T14:30:00.000Z'], 'Monday 30 November');
  t.same(iso(span('this_week')), iso(span('This  Week')), 'underscores and case');
  t.same(iso(span('last week')), ['2026-11-22T23:00:00.000Z', '2026-11-29T23:00:00.000Z']);
  t.same(iso(span('this month')), ['2026-11-30T23:00:00.000Z', '2026-12-02T14:30:00.000Z']);
  t.same(iso(span('last month')), ['2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z'], 'November, across the end of summer time');
  t.same(iso(span('this year')), ['2025-12-31T23:00:00.000Z', '2026-12-02T14:30:00.000Z']);
  t.same(iso(span('last week', 'yesterday')), ['2026-11-22T23:00:00.000Z', '2026-12-01T23:00:00.000Z'], 'a named end is its end');
  t.same(iso(span('yesterday', '-1h')), ['2026-11-30T23:00:00.000Z', '2026-12-02T13:30:00.000Z']);
});

t.test('ISO 8601: offsets are absolute, the rest is the home wall clock', async (t) => {
  t.same(iso(span('2026-12-01T18:00')), ['2026-12-01T17:00:00.000Z', '2026-12-02T14:30:00.000Z'], 'no offset: Amsterdam time');
  t.same(iso(span('2026-12-01 18:00:30')), ['2026-12-01T17:00:30.000Z', '2026-12-02T14:30:00.000Z'], 'a space works too');
  t.same(iso(span('2026-12-01T18:00:00Z')), ['2026-12-01T18:00:00.000Z', '2026-12-02T14:30:00.000Z'], 'Z');
  t.same(iso(span('2026-12-01T18:00:00.250+05:30')), ['2026-12-01T12:30:00.250Z', '2026-12-02T14:30:00.000Z'], 'an offset');
  t.same(iso(span('2026-12-01')), ['2026-11-30T23:00:00.000Z', '2026-12-01T23:00:00.000Z'], 'a date alone is that day');
  t.same(iso(span('2026-11-01', '2026-11-30')), ['2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z'], 'dates as a range include the last day');
  // Summer time: 2026-07-01 12:00 in Amsterdam is 10:00 UTC.
  t.same(iso(span('2026-07-01T12:00', '2026-07-01T13:00')), ['2026-07-01T10:00:00.000Z', '2026-07-01T11:00:00.000Z']);
  t.same(iso(span('2026-12-01T18:00', undefined, NOW, 'UTC')), ['2026-12-01T18:00:00.000Z', '2026-12-02T14:30:00.000Z'], 'a UTC home');
});

t.test('the end of summer time: a day of 25 hours', async (t) => {
  // 2026-10-25: clocks go back at 03:00 CEST to 02:00 CET.
  const now = Date.parse('2026-10-26T12:00:00Z');
  const y = span('yesterday', undefined, now);
  t.same(iso(y), ['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  t.equal((y.end - y.start) / 3_600_000, 25);
  t.equal(formatTime(Date.parse('2026-10-25T00:30:00Z'), TZ), '2026-10-25 02:30', 'first 02:30 (summer time)');
  t.equal(formatTime(Date.parse('2026-10-25T01:30:00Z'), TZ), '2026-10-25 02:30', 'second 02:30 (winter time)');
});

t.test('bad times say what works', async (t) => {
  const e = fails(t, () => span('last tuesday'), /^start "last tuesday" is not a time\.$/, 'words');
  t.match(e.suggestion, /ISO 8601/);
  t.match(e.suggestion, /Europe\/Amsterdam/);
  t.match(e.suggestion, /"-24h"/);
  t.match(e.suggestion, /"yesterday"/);
  t.same(e.details, { field: 'start', value: 'last tuesday', time_zone: TZ });
  fails(t, () => span('-24h', 'soonish'), /^end "soonish"/, 'end is named in the message');
  fails(t, () => span('2026-02-30'), /is not a time/, 'a date that does not exist');
  fails(t, () => span('2026-12-01T25:00'), /is not a time/, 'hour 25');
  fails(t, () => span('24h'), /is not a time/, 'relative without the minus');
  fails(t, () => span('1733150000'), /is not a time/, 'epoch seconds');
  fails(t, () => span(''), /is not a time/, 'empty');
  fails(t, () => span('0050-01-01'), /is not a time/, 'before 1970');
  fails(t, () => span('-99999999999999w'), /is not a time/, 'before 1970, relative');
  fails(t, () => span('2026-12-03T10:00'), /is in the future/, 'a start after now');
  fails(t, () => span('-1h', '-2h'), /is not before end/, 'end before start');
  const long = fails(t, () => span('x'.repeat(1000)), /is not a time/, 'long input');
  t.ok(long.message.length < 80, 'a long input is not echoed whole');
});

t.test('output times', async (t) => {
  t.equal(formatTime(NOW, TZ), '2026-12-02 15:30');
  t.equal(formatTime(NOW + 5000, TZ, true), '2026-12-02 15:30:05');
  const clock = new Clock(TZ);
  t.same(
    [Date.parse('2026-12-01T22:30:00Z'), Date.parse('2026-12-01T22:59:00Z'), Date.parse('2026-12-01T23:00:00Z'), Date.parse('2026-12-01T23:10:00Z')].map((x) => clock.label(x)),
    ['2026-12-01 23:30', '23:59', '2026-12-02 00:00', '00:10'],
    'the date only when it changes',
  );
  t.same([45_000, 125_000, 3 * 3_600_000 + 12 * 60_000, 3_600_000, 50 * 3_600_000].map(formatDuration), ['45s', '2m', '3h12m', '1h', '2d2h']);
});
