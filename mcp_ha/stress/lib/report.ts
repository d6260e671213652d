// Checks and the report: every check has a status (pass, fail, or n/a with the reason), its
// figures, and the known defects it is there to catch. Written as Markdown and JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Availability } from '../adapters.js';

export type Part = 'load' | 'fuzz' | 'faults' | 'crash';
export const PARTS: Part[] = ['load', 'fuzz', 'faults', 'crash'];
export type Status = 'pass' | 'fail' | 'n/a';
export type Figure = number | string | boolean | null | undefined;

export interface Check {
  /** "run" for checks of the run itself (its time budget). */
  part: Part | 'run';
  /** An adapter id, or "server" for checks that do not go through an MCP client. */
  transport: string;
  name: string;
  status: Status;
  figures: Record<string, Figure>;
  /** Why it failed, or why it does not apply. */
  detail?: string;
  /** The known defects (1-6, see DEFECTS) whose own case this check is. */
  defects?: number[];
  /** Known defects a broader check (random fuzz, /health throughout) would also catch. */
  related?: number[];
  examples?: string[];
}

export const DEFECTS: Record<number, string> = {
  1: '100 initialized-but-never-DELETEd sessions lock every new client out (503) until idle timeout',
  2: 'memory grows without bound on failed initializes (initialize with bad params to /mcp without a session)',
  3: 'a 250,000-char entity id to ha_get_state freezes the server (/health stalls)',
  4: 'batches without limit (10,000 x tools/list in one POST to /messages: seconds and a 190 MB answer)',
  5: 'bad input gets -32603 internal errors instead of -32602/clear errors (initialize params {} / capabilities [], hass://entity/%, service_data 5,000 deep)',
  6: "malformed URLs (GET /%ZZ, /%, /%c0%ae%c0%ae/etc/passwd) get Fastify's own 400 body instead of {error,message,suggestion}",
};

export interface PartTiming {
  part: Part;
  seconds: number;
  error?: string;
}

export class Report {
  readonly checks: Check[] = [];
  readonly timings: PartTiming[] = [];
  availability: Availability[] = [];
  notes: string[] = [];

  constructor(readonly meta: { mode: 'full' | 'quick'; seed: number; parts: Part[]; started: string; node: string; cpus: number; commit: string }) {}

  add(c: Check): Check {
    this.checks.push(c);
    const mark = c.status === 'pass' ? 'PASS' : c.status === 'fail' ? 'FAIL' : 'n/a ';
    process.stderr.write(`  ${mark} [${c.part}/${c.transport}] ${c.name}${c.status !== 'pass' && c.detail ? ` — ${c.detail.slice(0, 200)}` : ''}\n`);
    return c;
  }

  /** A check for each transport that is not available, so the report says what was not run. */
  notAvailable(part: Part, name: string, transports: string[], defects?: number[]): void {
    for (const t of transports) {
      const a = this.availability.find((x) => x.adapter === t);
      this.add({ part, transport: t, name, status: 'n/a', figures: {}, detail: `not available: ${a?.reason ?? 'not probed'}`, defects });
    }
  }

  get failed(): Check[] {
    return this.checks.filter((c) => c.status === 'fail');
  }

  json(totalSeconds: number): string {
    return `${JSON.stringify({ ...this.meta, seconds: totalSeconds, availability: this.availability, timings: this.timings, checks: this.checks, notes: this.notes }, null, 2)}\n`;
  }

  markdown(totalSeconds: number): string {
    const out: string[] = [];
    const n = (s: Status) => this.checks.filter((c) => c.status === s).length;
    out.push('# Stress report', '');
    const cmd = ['scripts/stress', ...(this.meta.parts.length === PARTS.length ? [] : this.meta.parts), ...(this.meta.mode === 'quick' ? ['--quick'] : [])].join(' ');
    out.push(`\`${cmd}\` — ${this.meta.started}, commit ${this.meta.commit}, Node ${this.meta.node}, ${this.meta.cpus} CPUs, seed ${this.meta.seed}, ${this.meta.mode} mode, ${totalSeconds} s.`);
    out.push('', `**${n('pass')} passed, ${n('fail')} failed, ${n('n/a')} not applicable or not available.**`, '');

    out.push('## Transports', '', '| transport | available | protocol | connect ms | why not |', '|---|---|---|---|---|');
    for (const a of this.availability) out.push(`| ${a.adapter} | ${a.available ? 'yes' : 'no'} | ${a.protocolVersion ?? ''} | ${a.connect_ms ?? ''} | ${esc(a.reason ?? '')} |`);

    out.push('', '## Known defects', '', '| # | defect | its own checks | status | broader checks that would catch it too |', '|---|---|---|---|---|');
    for (const [num, text] of Object.entries(DEFECTS)) {
      const d = Number(num);
      const own = this.checks.filter((c) => c.defects?.includes(d) && c.status !== 'n/a');
      const failing = own.filter((c) => c.status === 'fail');
      const status = !own.length ? 'not run' : failing.length ? `**still present** (${failing.length} of ${own.length} fail)` : `fixed (${own.length} pass)`;
      const names = [...new Set(own.map((c) => `${c.part}: ${c.name}`))].join('; ');
      const broad = this.checks.filter((c) => c.related?.includes(d) && c.status !== 'n/a');
      const broadFailing = broad.filter((c) => c.status === 'fail').length;
      out.push(`| ${num} | ${esc(text)} | ${esc(names)} | ${status} | ${broad.length ? `${broad.length} checks, ${broadFailing} failing` : ''} |`);
    }

    out.push('', '## Time per part', '', '| part | seconds | |', '|---|---|---|');
    for (const t of this.timings) out.push(`| ${t.part} | ${t.seconds} | ${esc(t.error ?? '')} |`);
    for (const c of this.checks.filter((x) => x.part === 'run')) out.push(`| **${c.status === 'pass' ? 'pass' : 'FAIL'}**: ${esc(c.name)} | ${esc(figures(c.figures))} | |`);

    for (const part of this.meta.parts) {
      const cs = this.checks.filter((c) => c.part === part);
      if (!cs.length) continue;
      out.push('', `## ${part}`, '', '| check | transport | status | figures | detail |', '|---|---|---|---|---|');
      // Checks on transports the server does not offer: one line per check, not one per transport.
      const na = cs.filter((c) => c.status === 'n/a' && c.detail?.startsWith('not available'));
      for (const c of cs) {
        if (na.includes(c)) continue;
        const status = c.status === 'pass' ? 'pass' : c.status === 'fail' ? '**FAIL**' : 'n/a';
        const defects = c.defects?.length ? ` (defect ${c.defects.join(', ')})` : c.related?.length ? ` (would catch ${c.related.join(', ')})` : '';
        out.push(`| ${esc(c.name)}${defects} | ${c.transport} | ${status} | ${esc(figures(c.figures))} | ${esc(c.detail ?? '')} |`);
      }
      for (const nm of [...new Set(na.map((c) => c.name))]) out.push(`| ${esc(nm)} | ${na.filter((c) => c.name === nm).map((c) => c.transport).join(', ')} | n/a | | not available (see Transports) |`);
      const examples = cs.filter((c) => c.examples?.length);
      if (examples.length) {
        out.push('', `### ${part}: examples of failures`, '');
        for (const c of examples) {
          out.push(`- **${c.name}** (${c.transport}):`);
          for (const e of c.examples ?? []) out.push(`  - \`${e.replace(/`/g, "'").replace(/\n/g, ' ')}\``);
        }
      }
    }
    if (this.notes.length) out.push('', '## Notes', '', ...this.notes.map((x) => `- ${x}`));
    return `${out.join('\n')}\n`;
  }

  write(dir: string, totalSeconds: number, name = 'latest'): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.md`), this.markdown(totalSeconds));
    writeFileSync(join(dir, `${name}.json`), this.json(totalSeconds));
  }
}

function figures(f: Record<string, Figure>): string {
  return Object.entries(f)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'number' ? fmt(v) : String(v)}`)
    .join(', ');
}

const fmt = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : String(Math.round(v * 10) / 10));
const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Percentiles of samples (ms), rounded to 0.1. */
export function percentiles(samples: number[]): { p50: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round((s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0) * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), max: Math.round((s[s.length - 1] ?? 0) * 10) / 10 };
}
