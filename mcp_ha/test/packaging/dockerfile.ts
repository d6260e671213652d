// A small Dockerfile reader for the tests: instructions with continuation lines joined,
// grouped into stages. There is no Docker engine on our machines, so the tests read the
// Dockerfile and run what it runs (the build, the HEALTHCHECK and CMD) outside a container.
import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
  /** hadolint rules ignored by a `# hadolint ignore=...` comment right above. */
  ignored: string[];
}

export interface Stage {
  from: Instruction;
  image: string;
  name: string | undefined;
  platform: string | undefined;
  body: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
  all: Instruction[];
}

export function parseDockerfile(path: string): Dockerfile {
  const lines = readFileSync(path, 'utf8').split('\n');
  const all: Instruction[] = [];
  let ignored: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) {
      const m = /^#\s*hadolint\s+ignore=([\w,]+)/.exec(trimmed);
      if (m) ignored = (m[1] as string).split(',');
      continue;
    }
    if (trimmed === '') continue;
    const start = i + 1;
    let text = trimmed;
    while (text.endsWith('\\') && i + 1 < lines.length) {
      text = text.slice(0, -1).trimEnd();
      i++;
      const next = (lines[i] as string).trim();
      if (!next.startsWith('#')) text += ' ' + next;
    }
    const m = /^(\w+)\s*(.*)$/s.exec(text);
    if (m) all.push({ keyword: (m[1] as string).toUpperCase(), args: m[2] as string, line: start, ignored });
    ignored = [];
  }
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of all) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=(\S+)\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      stages.push({ from: ins, platform: m?.[1], image: m?.[2] ?? '', name: m?.[3], body: [] });
    } else if (stages.length === 0) {
      globalArgs.push(ins);
    } else {
      (stages[stages.length - 1] as Stage).body.push(ins);
    }
  }
  return { globalArgs, stages, all };
}

/** The argv of an exec-form (JSON array) instruction, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  const text = args.replace(/^(--\S+\s+)*/, '').replace(/^CMD\s+/, '');
  if (!text.startsWith('[')) return undefined;
  try {
    const argv = JSON.parse(text) as unknown;
    return Array.isArray(argv) && argv.every((a) => typeof a === 'string') ? (argv as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** LABEL key="value" pairs (values unquoted). */
export function labels(ins: Instruction[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of ins.filter((i) => i.keyword === 'LABEL')) {
    for (const m of l.args.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
      const v = m[2] as string;
      out[m[1] as string] = v.startsWith('"') ? (JSON.parse(v) as string) : v;
    }
  }
  return out;
}
