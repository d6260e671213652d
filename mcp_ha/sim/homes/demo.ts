// The recorded demo home (sim/data/demo.json, built from the capture by sim/data/extract.ts),
// with every recorded time moved forward so the home looks as if it started just now.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HomeData } from '../model.js';
import { nowMicros, shiftIso } from '../util/time.js';

const here = dirname(fileURLToPath(import.meta.url));
let raw: string | null = null;

const ISO_IN_JSON = /"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?[+-]\d{2}:\d{2})"/g;

/** A fresh copy of the demo home (callers may mutate it). */
export function loadDemoHome(): HomeData {
  raw ??= readFileSync(join(here, '..', 'data', 'demo.json'), 'utf8');
  const recordedAt = (JSON.parse(raw) as HomeData).extras?.recordedAt;
  if (!recordedAt) return JSON.parse(raw) as HomeData;
  const deltaUs = nowMicros() - recordedAt;
  const deltaS = deltaUs / 1_000_000;
  // Shift ISO strings in the text, then epoch-second registry stamps and statistic rows.
  const shifted = raw.replace(ISO_IN_JSON, (_m, iso: string) => `"${shiftIso(iso, deltaUs)}"`);
  const home = JSON.parse(shifted) as HomeData;
  for (const list of [home.areas, home.floors, home.labels, home.devices, home.entities]) {
    for (const e of list) {
      for (const k of ['created_at', 'modified_at'] as const) if (typeof e[k] === 'number') e[k] = (e[k] as number) + deltaS;
    }
  }
  const fiveMinMs = 300_000;
  const deltaMs = Math.round(deltaUs / 1000 / fiveMinMs) * fiveMinMs;
  for (const rows of Object.values(home.extras?.statistics5m ?? {})) {
    for (const r of rows) {
      r.start = (r.start as number) + deltaMs;
      r.end = (r.end as number) + deltaMs;
    }
  }
  if (home.extras) home.extras.recordedAt = recordedAt + deltaUs;
  return home;
}
