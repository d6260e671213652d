// Long-term statistics for homes without recorded ones (generated homes): every sensor with a
// state_class has statistics, flat at its current value, from when the home started.
import type { SimHome } from './home.js';

const UNIT_CLASS: Record<string, string> = {
  temperature: 'temperature', energy: 'energy', power: 'power', gas: 'volume', water: 'volume', humidity: 'unitless',
  pressure: 'pressure', voltage: 'voltage', current: 'electric_current', carbon_dioxide: 'unitless', illuminance: 'illuminance',
  battery: 'unitless', distance: 'distance', speed: 'speed', volume: 'volume', weight: 'mass',
};

const PERIOD_MS: Record<string, number> = { '5minute': 300_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

export function statisticIds(home: SimHome): Record<string, unknown>[] {
  const recorded = home.data.extras?.statisticIds;
  if (recorded) return recorded;
  const out: Record<string, unknown>[] = [];
  for (const s of home.store.all()) {
    const a = s.attributes;
    if (!s.entity_id.startsWith('sensor.') || typeof a.state_class !== 'string') continue;
    const hasSum = a.state_class !== 'measurement';
    const unit = (a.unit_of_measurement as string | undefined) ?? null;
    out.push({
      statistic_id: s.entity_id,
      display_unit_of_measurement: unit,
      has_mean: !hasSum,
      mean_type: hasSum ? 0 : 1,
      has_sum: hasSum,
      name: null,
      source: 'recorder',
      statistics_unit_of_measurement: unit,
      unit_class: UNIT_CLASS[String(a.device_class)] ?? null,
    });
  }
  return out;
}

/** Rows for [startMs, endMs): one per complete period since the home started. */
export function statisticsDuringPeriod(
  home: SimHome,
  ids: string[] | undefined,
  period: string,
  startMs: number,
  endMs: number,
  startedMs: number,
): Record<string, Record<string, unknown>[]> {
  const recorded = home.data.extras?.statistics5m;
  const out: Record<string, Record<string, unknown>[]> = {};
  if (recorded) {
    // The recorded home was under an hour old: only 5-minute rows exist.
    if (period !== '5minute') return out;
    for (const [sid, rows] of Object.entries(recorded)) {
      if (ids && !ids.includes(sid)) continue;
      const inRange = rows.filter((r) => (r.start as number) >= startMs - 300_000 && (r.start as number) <= endMs);
      if (inRange.length) out[sid] = inRange;
    }
    return out;
  }
  const step = PERIOD_MS[period] ?? 2_592_000_000;
  const now = Date.now();
  const wanted = new Set(ids ?? statisticIds(home).map((s) => String(s.statistic_id)));
  for (const meta of statisticIds(home)) {
    const sid = String(meta.statistic_id);
    if (!wanted.has(sid)) continue;
    const value = Number(home.store.get(sid)?.state);
    if (!Number.isFinite(value)) continue;
    const rows: Record<string, unknown>[] = [];
    const first = Math.max(Math.ceil(startedMs / step) * step, Math.floor(startMs / step) * step);
    for (let t = first; t + step <= Math.min(endMs, now) && rows.length < 5000; t += step) {
      rows.push(
        meta.has_sum
          ? { start: t, end: t + step, sum: 0.0, max: null, min: null, last_reset: null, mean: null, state: value, change: 0.0 }
          : { start: t, end: t + step, sum: null, max: value, min: value, last_reset: null, mean: value, state: null, change: null },
      );
    }
    if (rows.length) out[sid] = rows;
  }
  return out;
}
