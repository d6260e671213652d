// Small measuring helpers: timings with percentiles, throughput over a time window, tokens.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

export const tokens = (text: string): number => encode(text).length;

export interface Timing {
  median_ms: number;
  p99_ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

export function timing(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return { median_ms: round(percentile(s, 0.5)), p99_ms: round(percentile(s, 0.99)) };
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Calls per second with `workers` loops running `call` for `ms`. */
export async function throughput(workers: ((i: number) => Promise<unknown>)[], ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    workers.map(async (call) => {
      while (performance.now() < until) {
        await call(done);
        done++;
      }
    }),
  );
  return Math.round(done / ((performance.now() - t0) / 1000));
}

/** `a` and `b` called alternately `n` times each after `warm` warm-up rounds (a failing warm-up call waits 50 ms). */
export async function alternate(a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>, n: number, warm: number): Promise<{ a: Timing; b: Timing }> {
  for (let i = 0; i < warm; i++) {
    await a(i).catch(async () => new Promise((r) => setTimeout(r, 50)));
    await b(i);
  }
  const at: number[] = [];
  const bt: number[] = [];
  for (let i = 0; i < n; i++) {
    at.push(await timed(() => a(i)));
    bt.push(await timed(() => b(i)));
  }
  return { a: timing(at), b: timing(bt) };
}
