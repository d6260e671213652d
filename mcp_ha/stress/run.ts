// The stress suite (not a test: long, and its figures are timings). Run through scripts/stress:
//   scripts/stress [load|fuzz|faults|crash ...] [--quick] [--seed N] [--transports id,id]
// Every request goes to 127.0.0.1; every loop is bounded in count and time. Writes
// stress/results/latest.md and latest.json; exits 1 when a check fails.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ADAPTERS, probe } from './adapters.js';
import { startStack, type Ctx } from './lib/context.js';
import { killAllChildren, startControlServer } from './lib/procs.js';
import { PARTS, Report, type Part } from './lib/report.js';
import { runCrash } from './parts/crash.js';
import { runFaults } from './parts/faults.js';
import { runFuzz } from './parts/fuzz.js';
import { runLoad } from './parts/load.js';

const here = dirname(fileURLToPath(import.meta.url));
const RUNNERS: Record<Part, (ctx: Ctx) => Promise<void>> = { load: runLoad, fuzz: runFuzz, faults: runFaults, crash: runCrash };

const say = (s: string) => process.stderr.write(`${s}\n`);

function commit(): string {
  try {
    const id = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', '../src'], { cwd: here, encoding: 'utf8' }).trim();
    return dirty ? `${id} (src/ modified)` : id;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      seed: { type: 'string', default: '20260728' },
      transports: { type: 'string' },
      out: { type: 'string', default: join(here, 'results') },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    say('usage: scripts/stress [load|fuzz|faults|crash ...] [--quick] [--seed N] [--transports http-2025,sse,...]');
    return;
  }
  const parts = positionals.length ? (positionals as Part[]) : PARTS;
  const bad = parts.filter((p) => !PARTS.includes(p));
  if (bad.length) throw new Error(`unknown part ${bad.join(', ')}; parts are ${PARTS.join(', ')}`);
  const only = values.transports?.split(',');
  const all = ADAPTERS.filter((a) => !only || only.includes(a.id));
  const started = performance.now();
  const report = new Report({ mode: values.quick ? 'quick' : 'full', seed: Number(values.seed), parts, started: new Date().toISOString(), node: process.version, cpus: cpus().length, commit: commit() });
  if (process.env.STRESS_BUILD_NOTE) report.notes.push(process.env.STRESS_BUILD_NOTE);
  const control = await startControlServer();

  say(`stress: probing ${all.length} transports`);
  const probeStack = await startStack();
  report.availability = await Promise.all(all.map((a) => probe(a, probeStack.target, a.transport === 'stdio' ? 10_000 : 8000)));
  await probeStack.close();
  for (const a of report.availability) say(`  ${a.adapter}: ${a.available ? `available (${a.protocolVersion})` : `not available: ${a.reason}`}`);
  const available = all.filter((a) => report.availability.find((x) => x.adapter === a.id)?.available);

  const ctx: Ctx = {
    quick: values.quick ?? false,
    seed: Number(values.seed),
    report,
    all,
    available,
    controlUrl: control.url,
    scale: (full, quick) => (values.quick ? quick : full),
    stack: (opts) => startStack(opts),
    log: say,
  };
  for (const part of parts) {
    const t0 = performance.now();
    say(`stress: ${part}`);
    let error: string | undefined;
    try {
      await RUNNERS[part](ctx);
    } catch (err) {
      error = String((err as Error)?.stack ?? err).split('\n').slice(0, 3).join(' ');
      report.add({ part, transport: 'runner', name: `${part} part ran to the end`, status: 'fail', figures: {}, detail: error });
    }
    const seconds = Math.round((performance.now() - t0) / 1000);
    report.timings.push({ part, seconds, ...(error ? { error } : {}) });
    say(`stress: ${part} took ${seconds} s`);
  }
  control.stop();
  const build = Number(process.env.STRESS_BUILD_S ?? 0);
  const total = Math.round((performance.now() - started) / 1000) + build;
  if (!values.quick && parts.length === PARTS.length) {
    report.add({ part: 'run', transport: 'runner', name: 'the whole run (build included) took under 10 minutes', status: total < 600 ? 'pass' : 'fail', figures: { seconds: total, build_s: build } });
  }
  const name = values.name ?? (parts.length === PARTS.length && !values.quick ? 'latest' : `latest-${values.quick ? 'quick-' : ''}${parts.join('-')}`);
  report.write(values.out, total, name);
  const failed = report.failed;
  say(`\nstress: ${report.checks.length - failed.length} of ${report.checks.length} checks did not fail, ${failed.length} failed; ${total} s; report in ${join(values.out, `${name}.md`)}`);
  for (const c of failed) say(`  FAIL [${c.part}/${c.transport}] ${c.name}`);
  process.exitCode = failed.length ? 1 : 0;
}

process.once('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});
process.once('SIGTERM', () => {
  killAllChildren();
  process.exit(143);
});
main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  })
  .finally(() => {
    killAllChildren();
    // Open keep-alive sockets and SDK timers must not keep a finished run alive.
    setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
  });
