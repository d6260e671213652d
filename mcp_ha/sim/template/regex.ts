// HA's regex filters over Python `re` patterns, translated to JavaScript RegExp where they differ.
import { PyError } from './errors.js';

const cache = new Map<string, RegExp>();

function compile(pattern: unknown, ignorecase: unknown, global = false): RegExp {
  const key = `${global ? 'g' : ''}${ignorecase ? 'i' : ''}/${String(pattern)}`;
  let re = cache.get(key);
  if (!re) {
    // Python's named groups (?P<n>…) and backreferences (?P=n) have JavaScript spellings.
    const src = String(pattern).replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
    try {
      re = new RegExp(src, `${global ? 'g' : ''}${ignorecase ? 'i' : ''}`);
    } catch (e) {
      throw new PyError('re.error', (e as Error).message);
    }
    if (cache.size > 500) cache.clear();
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** `match` anchors at the start (re.match); `search` looks anywhere (re.search). */
export function regexTest(value: unknown, pattern: unknown, ignorecase: unknown, anchored: boolean): boolean {
  const s = String(value);
  const re = compile(anchored ? `^(?:${String(pattern)})` : pattern, ignorecase);
  return re.test(s);
}

export function regexReplace(value: unknown, find: unknown = '', replace: unknown = '', ignorecase: unknown = false): string {
  // Python replacement strings use \1 and \g<name>; JavaScript uses $1 and $<name>.
  const repl = String(replace).replace(/\$/g, '$$$$').replace(/\\g<(\w+)>/g, (_m, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`)).replace(/\\(\d)/g, '$$$1');
  return String(value).replace(compile(find, ignorecase, true), repl);
}

export function regexFindall(value: unknown, find: unknown = '', ignorecase: unknown = false): unknown[] {
  const out: unknown[] = [];
  for (const m of String(value).matchAll(compile(find, ignorecase, true))) {
    out.push(m.length <= 1 ? m[0] : m.length === 2 ? m[1] : m.slice(1));
  }
  return out;
}
