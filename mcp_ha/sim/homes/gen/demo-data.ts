// What a generated home borrows from the recorded demo (sim/data/demo.json): config, services
// and the sun/zone states. Parsed per call, since callers may mutate the home they get.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HomeData } from '../../model.js';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'demo.json');
let raw: string | null = null;

export function demoHome(): HomeData {
  raw ??= readFileSync(path, 'utf8');
  return JSON.parse(raw) as HomeData;
}
