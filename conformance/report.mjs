// Prints, for one results folder of the conformance CLI (--output-dir), every check that did not
// pass (FAILURE, WARNING, SKIPPED): status, scenario :: check id, and the suite's message. Used by
// scripts/conformance, since the suite's own summary says only "N passed, N failed" per scenario.
//   node report.mjs conformance/results/2025-11-25 [--all] [--only scenario,scenario:check-id,...]
// --all prints passing checks too; --only keeps the named scenarios (or single checks).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dir = args[0];
const all = args.includes('--all');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(String(args[onlyArg + 1] ?? '').split(',').filter(Boolean)) : undefined;

const stampOf = (name) => name.match(/\d{4}-\d{2}-\d{2}T[\d-]+Z$/)?.[0] ?? '';
const runs = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name.startsWith('server-'))
  .map((d) => d.name)
  .sort((a, b) => stampOf(a).localeCompare(stampOf(b))); // run order

const clip = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
for (const run of runs) {
  const scenario = run.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
  let checks;
  try {
    checks = JSON.parse(readFileSync(join(dir, run, 'checks.json'), 'utf8'));
  } catch {
    if (!only || only.has(scenario)) console.log(`FAILURE ${scenario}: no checks.json (the scenario crashed; see output.txt)`);
    continue;
  }
  for (const c of checks) {
    if (!all && (c.status === 'SUCCESS' || c.status === 'INFO')) continue;
    if (only && !only.has(scenario) && !only.has(`${scenario}:${c.id}`)) continue;
    const msg = String(c.errorMessage ?? c.description ?? '').replace(/\s+/g, ' ');
    console.log(`${c.status.padEnd(7)} ${scenario} :: ${c.id}  ${clip(msg, 300)}`);
  }
}
