// The recorded demo home (sim/data/demo.json, built from the capture by sim/data/extract.ts),
// with every recorded time moved forward so the home looks as if it started just now.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HomeData } from '../model.js';
import { shiftHomeToNow } from './shift.js';

const here = dirname(fileURLToPath(import.meta.url));
let raw: string | null = null;

/** A fresh copy of the demo home (callers may mutate it). */
export function loadDemoHome(): HomeData {
  raw ??= readFileSync(join(here, '..', 'data', 'demo.json'), 'utf8');
  return shiftHomeToNow(JSON.parse(raw) as HomeData);
}
