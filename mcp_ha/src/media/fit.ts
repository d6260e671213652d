// fitImage off the event loop: one worker thread, started on first use and ended after IDLE_MS
// without work, with the pictures queued in turn. If no worker can start, the work runs here.
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors.js';
import { fitImage, type FitOptions, type FittedImage } from './image.js';

interface Reply {
  id: number;
  ok?: FittedImage & { data: Uint8Array };
  error?: { code: ErrorCode; message: string; suggestion: string; statusCode: number };
}

/** A few seconds: a model looking at several cameras in a row reuses the thread. */
const IDLE_MS = 5_000;

let worker: Worker | undefined;
let idle: NodeJS.Timeout | undefined;
let broken = false;
let nextId = 0;
const waiting = new Map<number, { resolve: (v: FittedImage) => void; reject: (e: unknown) => void }>();

function failAll(err: unknown): void {
  for (const w of waiting.values()) w.reject(err);
  waiting.clear();
}

function start(): Worker | undefined {
  if (worker || broken) return worker;
  try {
    // The build runs imageWorker.js; from the sources (tests, tsx) the worker registers tsx first,
    // as a worker thread does not inherit the main thread's loader.
    const w = import.meta.url.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./imageWorker.ts', import.meta.url).href)}); });`, { eval: true })
      : new Worker(new URL('./imageWorker.js', import.meta.url));
    w.unref();
    w.on('message', (reply: Reply) => {
      const entry = waiting.get(reply.id);
      if (!entry) return;
      waiting.delete(reply.id);
      if (!waiting.size) {
        idle = setTimeout(() => {
          if (!waiting.size && worker === w) {
            worker = undefined;
            void w.terminate();
          }
        }, IDLE_MS);
        idle.unref();
      }
      if (reply.ok) entry.resolve({ ...reply.ok, data: Buffer.from(reply.ok.data.buffer, reply.ok.data.byteOffset, reply.ok.data.byteLength) });
      else entry.reject(new AppError(reply.error!.code, reply.error!.message, reply.error!.suggestion, { statusCode: reply.error!.statusCode }));
    });
    w.on('error', (err) => {
      if (worker === w) worker = undefined;
      failAll(new AppError('internal_error', 'The picture could not be processed.', 'Try again.', { cause: err }));
    });
    w.on('exit', () => {
      if (worker === w) worker = undefined;
      failAll(new AppError('internal_error', 'The picture could not be processed.', 'Try again.'));
    });
    worker = w;
  } catch {
    broken = true;
  }
  return worker;
}

export async function fitImageOffThread(bytes: Buffer, opts: FitOptions): Promise<FittedImage> {
  clearTimeout(idle);
  const w = start();
  if (!w) return fitImage(bytes, opts);
  const id = nextId++;
  return new Promise<FittedImage>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, bytes, opts });
  });
}
