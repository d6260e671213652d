// Moves every recorded time in a home forward by the same amount, so a recorded (or generated)
// home looks as if it started just now: ISO strings anywhere, registry epoch stamps, statistics.
import type { HomeData } from '../model.js';
import { nowMicros, shiftIso } from '../util/time.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?[+-]\d{2}:\d{2}$/;

function walk(v: unknown, deltaUs: number): unknown {
  if (typeof v === 'string') return v.length >= 25 && v.length <= 32 && ISO.test(v) ? shiftIso(v, deltaUs) : v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = walk(v[i], deltaUs);
    return v;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = walk(o[k], deltaUs);
  }
  return v;
}

/** State times are always "YYYY-MM-DDTHH:MM:SS.ffffff+00:00": shift them without a regex. */
function shiftStateTime(s: string, deltaUs: number): string {
  return s.length === 32 && s.endsWith('+00:00') ? shiftIso(s, deltaUs) : (walk(s, deltaUs) as string);
}

/** Shifts `home` in place from extras.recordedAt to now; a home without recordedAt is left as is. */
export function shiftHomeToNow(home: HomeData): HomeData {
  const recordedAt = home.extras?.recordedAt;
  if (!recordedAt) return home;
  const deltaUs = nowMicros() - recordedAt;
  const deltaS = deltaUs / 1_000_000;
  for (const st of home.states) {
    const { last_changed: lc, last_updated: lu, last_reported: lr } = st;
    st.last_changed = shiftStateTime(lc, deltaUs);
    st.last_updated = lu === lc ? st.last_changed : shiftStateTime(lu, deltaUs);
    st.last_reported = lr === lu ? st.last_updated : shiftStateTime(lr, deltaUs);
    // Attribute times (last_triggered, media_position_updated_at, ...) sit at the top level.
    const a = st.attributes;
    for (const k in a) {
      const v = a[k];
      if (typeof v === 'string' && v.length >= 25 && v.length <= 32 && v.charCodeAt(4) === 45 && ISO.test(v)) a[k] = shiftIso(v, deltaUs);
    }
  }
  if (home.extras) {
    const { statistics5m, entityDetails: _details, ...rest } = home.extras;
    walk(rest, deltaUs);
    // Statistics rows stay on 5-minute boundaries (epoch ms).
    const deltaMs = Math.round(deltaUs / 1000 / 300_000) * 300_000;
    for (const rows of Object.values(statistics5m ?? {})) {
      for (const r of rows) {
        r.start = (r.start as number) + deltaMs;
        r.end = (r.end as number) + deltaMs;
      }
    }
    home.extras.recordedAt = recordedAt + deltaUs;
  }
  for (const list of [home.areas, home.floors, home.labels, home.devices, home.entities]) {
    for (const e of list) {
      for (const k of ['created_at', 'modified_at'] as const) if (typeof e[k] === 'number') e[k] = (e[k] as number) + deltaS;
    }
  }
  walk(home.automationConfigs, deltaUs);
  return home;
}
