// Charts drawn off the main thread: resvg holds its thread for tens of milliseconds a chart (more
// on a loaded Raspberry Pi, and the first one compiles the wasm), which would stall every other
// session and the Home Assistant heartbeat. One worker, started on the first chart and stopped
// after a minute without one; a bounded queue. Memory (built server, this machine): +52 MB RSS
// after the first chart (the worker, the compiled wasm, its linear memory), +32 MB more once V8
// has tiered the wasm up, about 26 MB of it back when the worker stops.
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.js';
import type { ChartDone, ChartJob } from './chartWorker.js';

const IDLE_MS = 60_000;
const MAX_QUEUED = 16;
const JOB_TIMEOUT_MS = 20_000;
/** Bounds on the worker's JS heap (it holds an SVG and a PNG; the image's NODE_OPTIONS do not reach workers). */
const LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

interface Waiting {
  resolve(png: Uint8Array): void;
  reject(err: AppError): void;
  timer: NodeJS.Timeout;
  /** The worker drawing it (a replaced worker's end fails only its own jobs). */
  by: Worker;
}

let worker: Worker | undefined;
let idle: NodeJS.Timeout | undefined;
let nextId = 1;
const waiting = new Map<number, Waiting>();

const unavailable = (why: string): AppError => new AppError('internal_error', `The chart could not be drawn: ${why}`.slice(0, 300), 'Ask again without "as" for the numbers.');

/** The worker's module beside this one: .js in the build; .ts under tsx (tests, scripts/dev), which the worker loads too. */
function newWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./chartWorker.js', import.meta.url), { resourceLimits: LIMITS });
  const url = new URL('./chartWorker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`, { eval: true, resourceLimits: LIMITS });
}

function failAll(by: Worker, err: AppError): void {
  for (const [id, w] of waiting) {
    if (w.by !== by) continue;
    clearTimeout(w.timer);
    w.reject(err);
    waiting.delete(id);
  }
}

function start(): Worker {
  const w = newWorker();
  w.on('message', (done: ChartDone) => {
    const job = waiting.get(done.id);
    if (!job) return;
    waiting.delete(done.id);
    clearTimeout(job.timer);
    if ('png' in done) job.resolve(done.png);
    else job.reject(unavailable(done.error));
    if (!waiting.size) {
      w.unref();
      scheduleStop();
    }
  });
  w.on('error', (err) => failAll(w, unavailable(err.message)));
  w.on('exit', () => {
    if (worker === w) worker = undefined;
    failAll(w, unavailable('the chart worker stopped'));
  });
  // An idle worker does not keep the process alive (after the listeners, which would ref it again).
  w.unref();
  return w;
}

function scheduleStop(): void {
  clearTimeout(idle);
  idle = setTimeout(() => {
    const w = worker;
    worker = undefined;
    void w?.terminate();
  }, IDLE_MS);
  idle.unref();
}

/** The SVG drawn as PNG bytes, in the chart worker. */
export function svgToPng(svg: string): Promise<Uint8Array> {
  if (waiting.size >= MAX_QUEUED) {
    return Promise.reject(new AppError('internal_error', `${MAX_QUEUED} charts are being drawn already.`, 'Retry in a few seconds, or ask without "as" for the numbers.'));
  }
  clearTimeout(idle);
  const by = (worker ??= start());
  // Kept alive while it has work (a one-shot stdio call must get its chart).
  by.ref();
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    // A stuck render must not hold the caller forever; the worker is replaced.
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(unavailable(`no answer within ${JOB_TIMEOUT_MS / 1000} s`));
      if (worker === by) worker = undefined;
      void by.terminate();
    }, JOB_TIMEOUT_MS);
    waiting.set(id, { resolve, reject, timer, by });
    by.postMessage({ id, svg } satisfies ChartJob);
  });
}
