// Watches GET /health from a worker thread (its own event loop, so a busy runner does not look
// like a stalled server), every `intervalMs`, next to the same probe to a trivial control
// server in another process: a slow /health while the control answered fast is the server's
// stall; both slow is the machine (2 shared cores). Stalls are attributed to what was in flight.
import { Worker } from 'node:worker_threads';
import { activity, type Activity } from './activity.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
const now = () => performance.timeOrigin + performance.now();
function probe(url) {
  return new Promise((resolve) => {
    const t0 = now();
    const req = http.get(url, { agent, timeout: workerData.timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: now() - t0, status: res.statusCode }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ms: now() - t0, status: 0, error: String(e.message || e) }));
  });
}
let running = true;
parentPort.on('message', (m) => { if (m === 'stop') running = false; });
(async () => {
  while (running) {
    const t = now();
    const [s, c] = await Promise.all([probe(workerData.url + '/health'), workerData.control ? probe(workerData.control) : Promise.resolve(undefined)]);
    parentPort.postMessage({ t, ms: s.ms, status: s.status, error: s.error, ctl: c ? c.ms : undefined });
    const wait = workerData.intervalMs - (now() - t);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  parentPort.postMessage('done');
})();
`;

export interface Probe {
  /** Epoch ms (fractional) the probe started. */
  t: number;
  ms: number;
  status: number;
  error?: string;
  /** The control server's time for the same round. */
  ctl?: number;
}

export interface Stall {
  /** Epoch ms (fractional) the probe started. */
  t: number;
  at_ms: number;
  ms: number;
  control_ms: number | undefined;
  status: number;
  in_flight: string[];
}

export interface HealthSummary {
  probes: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Over the limit while the control server answered in less than half that time. */
  stalls: Stall[];
  /** Over the limit, but the control server was about as slow: the machine, not the server. */
  noisy: number;
  /** Over the limit while nothing was asked of this server (only stdio servers were busy). */
  idle: number;
  failures: number;
  limit_ms: number;
}

export class HealthMonitor {
  readonly probes: Probe[] = [];
  private worker: Worker | undefined;
  private readonly t0 = performance.timeOrigin + performance.now();

  constructor(
    private readonly url: string,
    private readonly control: string | undefined,
    private readonly opts: { intervalMs?: number; limitMs?: number; timeoutMs?: number; /** Count only stalls with a tracked request in flight (default true). */ attribute?: boolean } = {},
  ) {}

  start(): this {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { url: this.url, control: this.control, intervalMs: this.opts.intervalMs ?? 50, timeoutMs: this.opts.timeoutMs ?? 30_000 },
    });
    this.worker.on('message', (m: Probe | 'done') => {
      if (m !== 'done') this.probes.push(m);
    });
    return this;
  }

  async stop(): Promise<HealthSummary> {
    const w = this.worker;
    if (w) {
      const done = new Promise<void>((r) => {
        const timer = setTimeout(r, 35_000);
        w.on('message', (m) => m === 'done' && (clearTimeout(timer), r()));
      });
      w.postMessage('stop');
      await done;
      await w.terminate();
      this.worker = undefined;
    }
    return this.summary();
  }

  summary(from = 0, to = Infinity): HealthSummary {
    const limit = this.opts.limitMs ?? 100;
    const ps = this.probes.filter((p) => p.t >= from && p.t <= to);
    const sorted = ps.map((p) => p.ms).sort((a, b) => a - b);
    const pct = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0);
    const stalls: Stall[] = [];
    let noisy = 0;
    let idle = 0;
    for (const p of ps) {
      if (p.ms <= limit && p.status === 200) continue;
      if (p.status === 200 && p.ctl !== undefined && p.ctl >= p.ms / 2) {
        noisy++;
        continue;
      }
      // Something asked of this server must have been in flight (stdio servers are other processes).
      const all = activity.overlapping(p.t, p.t + p.ms, 10_000);
      if (p.status === 200 && this.opts.attribute !== false && !all.some((a) => !a.label.startsWith('stdio'))) {
        idle++;
        continue;
      }
      stalls.push({
        t: p.t,
        at_ms: Math.round(p.t - this.t0),
        ms: round(p.ms),
        control_ms: p.ctl === undefined ? undefined : round(p.ctl),
        status: p.status,
        in_flight: activity.overlapping(p.t, p.t + p.ms).map(describe),
      });
    }
    return { probes: ps.length, p50_ms: pct(0.5), p99_ms: pct(0.99), max_ms: round(sorted[sorted.length - 1] ?? 0), stalls, noisy, idle, failures: ps.filter((p) => p.status !== 200).length, limit_ms: limit };
  }
}

const round = (v: number) => Math.round(v * 10) / 10;
const describe = (a: Activity) => `${a.label} (${Math.round(a.end === undefined ? -1 : a.end - a.start)} ms)`;
