// A compact diff of two stored forms for write answers: one line per change, by path
// ("~ actions[0].data.brightness: 128 -> 200", "+ conditions[1]: {...}", "- mode: \"single\""),
// lists matched by content first, so that an insertion shows as one line, not a cascade.
import { isDeepStrictEqual } from 'node:util';

export interface Diff {
  lines: string[];
  /** Changes left out to keep the answer short. */
  more: number;
}

const MAX_LINES = 40;
const MAX_VALUE = 120;
/** Above this many items a list is compared position by position (LCS is quadratic). */
const MAX_LCS = 300;

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? 'null';
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 3)}...` : s;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const key = (path: string, k: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? (path ? `${path}.${k}` : k) : `${path}[${JSON.stringify(k)}]`);

/** Index pairs of the longest common subsequence of two lists (equal by content). */
function lcs(a: readonly unknown[], b: readonly unknown[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const len: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) len[i]![j] = isDeepStrictEqual(a[i], b[j]) ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (isDeepStrictEqual(a[i], b[j])) pairs.push([i++, j++]);
    else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (isDeepStrictEqual(a, b)) return;
  if (isObj(a) && isObj(b)) {
    for (const k of Object.keys(a)) if (!(k in b)) out.push(`- ${key(path, k)}: ${show(a[k])}`);
    for (const [k, v] of Object.entries(b)) {
      if (!(k in a)) out.push(`+ ${key(path, k)}: ${show(v)}`);
      else walk(a[k], v, key(path, k), out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const pairs: [number, number][] = a.length <= MAX_LCS && b.length <= MAX_LCS ? lcs(a, b) : [];
    pairs.push([a.length, b.length]);
    let i = 0;
    let j = 0;
    for (const [pi, pj] of pairs) {
      // Between two matches: pair the leftovers up as edits, the rest are removals or additions.
      while (i < pi && j < pj) walk(a[i++], b[j], `${path}[${j++}]`, out);
      while (i < pi) out.push(`- ${path}[${i}]: ${show(a[i++])}`);
      while (j < pj) out.push(`+ ${path}[${j}]: ${show(b[j++])}`);
      i = pi + 1;
      j = pj + 1;
    }
    return;
  }
  out.push(`~ ${path || '(whole)'}: ${show(a)} -> ${show(b)}`);
}

/** What changed from `before` to `after`; null stands for "did not exist". */
export function diffObjects(before: unknown, after: unknown): Diff {
  const lines: string[] = [];
  if (before === null && after !== null) lines.push('+ (created)');
  if (after === null && before !== null) lines.push('- (deleted)');
  if (before !== null && after !== null) walk(before, after, '', lines);
  else if (isObj(after)) for (const [k, v] of Object.entries(after)) lines.push(`+ ${k}: ${show(v)}`);
  return { lines: lines.slice(0, MAX_LINES), more: Math.max(0, lines.length - MAX_LINES) };
}
