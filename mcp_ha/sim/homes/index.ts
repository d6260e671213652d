// Picks the home a simulator runs: the recorded demo, a generated one of N entities, or given data.
import type { HomeData } from '../model.js';
import { loadDemoHome } from './demo.js';
import { shiftHomeToNow } from './shift.js';

type Generator = (entityCount: number, seed?: number) => HomeData;

/** The generator lives in sim/homes/generated.ts (written separately); loaded lazily. */
async function loadGenerator(): Promise<Generator> {
  const path = './generated.js';
  const mod = (await import(path)) as { generateHome?: Generator };
  if (!mod.generateHome) throw new Error('sim/homes/generated.ts does not export generateHome');
  return mod.generateHome;
}

// Generating a big home takes a while; tests start many simulators with the same one.
const generatedCache = new Map<string, string>();

export async function resolveHome(home: 'demo' | number | HomeData | undefined, seed?: number): Promise<HomeData> {
  if (home === undefined || home === 'demo') return loadDemoHome();
  if (typeof home === 'number') {
    const key = `${home}/${seed ?? ''}`;
    let json = generatedCache.get(key);
    if (json === undefined) {
      json = JSON.stringify((await loadGenerator())(home, seed));
      generatedCache.set(key, json);
    }
    return shiftHomeToNow(JSON.parse(json) as HomeData);
  }
  return home;
}
