// Python str methods models call in templates: `.split()`, `.upper()`, `.replace()`, …
import { PyError } from './errors.js';

function pySplit(s: string, sep?: string | null, maxsplit = -1): string[] {
  if (sep === undefined || sep === null) {
    const parts = s.trim().split(/\s+/).filter(Boolean);
    if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
    const head = parts.slice(0, maxsplit);
    let rest = s.trimStart();
    for (const h of head) rest = rest.slice(rest.indexOf(h) + h.length).trimStart();
    return [...head, rest];
  }
  if (sep === '') throw new PyError('ValueError', 'empty separator');
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
}

function strip(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  if (chars === undefined || chars === null) {
    if (left && right) return s.trim();
    return left ? s.trimStart() : s.trimEnd();
  }
  let a = 0;
  let b = s.length;
  while (left && a < b && chars.includes(s[a]!)) a++;
  while (right && b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

const title = (s: string) => s.toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());

/** A bound Python str method, or undefined when str has no such member. */
export function stringMethod(s: string, name: string): unknown {
  switch (name) {
    case 'split': return (sep?: string | null, maxsplit?: number) => pySplit(s, sep, maxsplit);
    case 'rsplit': return (sep?: string | null) => pySplit(s, sep);
    case 'upper': return () => s.toUpperCase();
    case 'lower': return () => s.toLowerCase();
    case 'title': return () => title(s);
    case 'capitalize': return () => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
    case 'strip': return (chars?: string) => strip(s, chars, true, true);
    case 'lstrip': return (chars?: string) => strip(s, chars, true, false);
    case 'rstrip': return (chars?: string) => strip(s, chars, false, true);
    case 'replace': return (a: string, b: string, count?: number) => {
      if (count === undefined || count < 0) return s.split(a).join(b);
      const parts = s.split(a);
      return parts.slice(0, count + 1).join(b) + (parts.length > count + 1 ? a + parts.slice(count + 1).join(a) : '');
    };
    case 'startswith': return (p: string | string[]) => (Array.isArray(p) ? p : [p]).some((x) => s.startsWith(x));
    case 'endswith': return (p: string | string[]) => (Array.isArray(p) ? p : [p]).some((x) => s.endsWith(x));
    case 'find': return (sub: string) => s.indexOf(sub);
    case 'rfind': return (sub: string) => s.lastIndexOf(sub);
    case 'index': return (sub: string) => {
      const i = s.indexOf(sub);
      if (i < 0) throw new PyError('ValueError', 'substring not found');
      return i;
    };
    case 'count': return (sub: string) => (sub ? s.split(sub).length - 1 : s.length + 1);
    case 'join': return (items: unknown[]) => items.map(String).join(s);
    case 'isdigit': case 'isnumeric': case 'isdecimal': return () => /^\d+$/.test(s);
    case 'isalpha': return () => /^[a-zA-Z]+$/.test(s);
    case 'isalnum': return () => /^[a-zA-Z0-9]+$/.test(s);
    case 'islower': return () => s !== s.toUpperCase() && s === s.toLowerCase();
    case 'isupper': return () => s !== s.toLowerCase() && s === s.toUpperCase();
    case 'zfill': return (w: number) => (s.startsWith('-') ? `-${s.slice(1).padStart(w - 1, '0')}` : s.padStart(w, '0'));
    case 'ljust': return (w: number, c = ' ') => s.padEnd(w, c);
    case 'rjust': return (w: number, c = ' ') => s.padStart(w, c);
    case 'center': return (w: number) => s.padStart(Math.floor((w + s.length) / 2)).padEnd(w);
    case 'format': return (...args: unknown[]) => {
      let i = 0;
      return s.replace(/\{(\d*)\}/g, (_m, n: string) => String(args[n === '' ? i++ : Number(n)] ?? ''));
    };
    default: return undefined;
  }
}
