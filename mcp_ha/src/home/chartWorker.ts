// The chart worker's thread: SVG in, PNG out (chartRaster.ts), one at a time.
import { parentPort } from 'node:worker_threads';
import { rasterize } from './chartRaster.js';

export interface ChartJob {
  id: number;
  svg: string;
}

export type ChartDone = { id: number; png: Uint8Array } | { id: number; error: string };

const port = parentPort!;
port.on('message', (job: ChartJob) => {
  rasterize(job.svg).then(
    (png) => port.postMessage({ id: job.id, png } satisfies ChartDone, [png.buffer as ArrayBuffer]),
    (err: unknown) => port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies ChartDone),
  );
});
