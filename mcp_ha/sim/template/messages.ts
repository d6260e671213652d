// Error text as Home Assistant reports it: "<PythonException>: <message>".
import { BudgetExceeded, PyError, TemplateSyntaxError } from './errors.js';

const REWORD: [RegExp, (m: RegExpExecArray) => string][] = [
  [/unknown block tag: (\w+)/, (m) => `Encountered unknown tag '${m[1]}'.`],
  [/unexpected end of file/, () => 'Unexpected end of template.'],
  [/unexpected token: }}/, () => "Expected an expression, got 'end of print statement'"],
  [/unexpected token: %}/, () => "Expected an expression, got 'end of statement block'"],
  [/unexpected token: (.+)/, (m) => `unexpected '${m[1]}'`],
];

/** nunjucks parser messages, reworded as Jinja's TemplateSyntaxError. */
export function syntaxMessage(e: unknown): string {
  if (e instanceof TemplateSyntaxError) return `${e.pyName}: ${e.message}`;
  const raw = e instanceof Error ? e.message : String(e);
  const msg = raw.replace(/^\(.*?\)\s*(\[Line \d+, Column \d+\])?\s*/s, '').trim();
  for (const [re, jinja] of REWORD) {
    const m = re.exec(msg);
    if (m) return `TemplateSyntaxError: ${jinja(m)}`;
  }
  return `TemplateSyntaxError: ${msg.replace(/^\w+: /, '')}`;
}

/** "1.0" for 1 and "0.5" for 0.5, as Python prints the float timeout. */
function pyFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

export function describeError(e: unknown, budgetSeconds: number): string {
  if (e instanceof BudgetExceeded) return `Exceeded maximum execution time of ${pyFloat(budgetSeconds)}s`;
  if (e instanceof PyError) return e.message ? `${e.pyName}: ${e.message}` : e.pyName;
  if (e instanceof RangeError && /call stack/.test(e.message)) return 'RecursionError: maximum recursion depth exceeded';
  const cause = (e as { cause?: unknown })?.cause;
  if (cause && cause !== e) return describeError(cause, budgetSeconds);
  return `TypeError: ${e instanceof Error ? e.message : String(e)}`;
}
