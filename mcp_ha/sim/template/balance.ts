// Jinja's lexer checks bracket balance inside `{{ }}` and `{% %}` before parsing, and its
// messages are what HA reports for the most common mistake models make ("unexpected '}',
// expected ')'"). nunjucks words these differently, so the same check runs first here.

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Jinja's balance error for `source`, or null when every block is balanced. */
export function balanceError(source: string): string | null {
  let i = 0;
  const n = source.length;
  while (i < n) {
    const open = source.indexOf('{', i);
    if (open < 0 || open + 1 >= n) return null;
    const kind = source[open + 1];
    if (kind === '#') {
      const end = source.indexOf('#}', open + 2);
      if (end < 0) return null;
      i = end + 2;
      continue;
    }
    if (kind !== '{' && kind !== '%') {
      i = open + 1;
      continue;
    }
    const endChar = kind === '{' ? '}' : '%';
    const stack: string[] = [];
    let j = open + 2;
    let closed = false;
    while (j < n && !closed) {
      const c = source[j]!;
      if (c === '"' || c === "'") {
        j++;
        while (j < n && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
        j++;
        continue;
      }
      if (stack.length === 0 && c === endChar && source[j + 1] === '}') {
        closed = true;
        j += 2;
        break;
      }
      if (c in CLOSER) stack.push(CLOSER[c]!);
      else if (c === ')' || c === ']' || c === '}') {
        const expected = stack.pop();
        if (expected === undefined) return `unexpected '${c}'`;
        if (expected !== c) return `unexpected '${c}', expected '${expected}'`;
      }
      j++;
    }
    if (!closed) return `unexpected end of template, expected '${kind === '{' ? 'end of print statement' : 'end of statement block'}'.`;
    i = j;
  }
  return null;
}
