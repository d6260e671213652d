// Renders a Home Assistant template against a simulated home: the text HA would return, the
// listeners HA would register, or the error in HA's words ("ZeroDivisionError: division by zero").
import type nunjucks from 'nunjucks';
import type { TemplateEnv, TemplateOutcome } from './types.js';
import { compileTemplate } from './compile.js';
import { templateEnvironment } from './env.js';
import { describeError, syntaxMessage } from './messages.js';
import { beginSession, endSession } from './session.js';
import { setStrict, takeError } from './runtime.js';

export interface RenderOptions {
  /** Jinja StrictUndefined: an undefined variable is an error, not "". */
  strict?: boolean;
  /**
   * Time budget in seconds, as the WebSocket `timeout` field. Exceeding it fails with
   * "Exceeded maximum execution time of <timeout>s". Without it a runaway template is still
   * stopped, after DEFAULT_BUDGET_S.
   */
  timeout?: number;
}

export const DEFAULT_BUDGET_S = 1;
/** HA refuses output above 256 KiB. */
const MAX_OUTPUT = 256 * 1024;
const CACHE_SIZE = 1000;
const JINJA_DELIMITERS = /\{%|\{\{|\{#/;

const cache = new Map<string, nunjucks.Template | { syntaxError: string }>();

function compiled(source: string): nunjucks.Template | { syntaxError: string } {
  let entry = cache.get(source);
  if (entry) {
    cache.delete(source);
  } else {
    try {
      entry = compileTemplate(source, templateEnvironment);
    } catch (e) {
      entry = { syntaxError: syntaxMessage(e) };
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(source, entry);
  return entry;
}

export function renderTemplate(
  source: string,
  env: TemplateEnv,
  variables: Record<string, unknown> = {},
  options: RenderOptions = {},
): TemplateOutcome {
  const none = { all: false, entities: [], domains: [], time: false };
  if (!JINJA_DELIMITERS.test(source)) return { ok: true, result: source, listeners: none };
  const tmpl = compiled(source);
  if ('syntaxError' in tmpl) return { ok: false, error: tmpl.syntaxError, kind: 'syntax' };
  const budget = options.timeout ?? DEFAULT_BUDGET_S;
  const s = beginSession(env, source, budget * 1000);
  setStrict(options.strict === true);
  try {
    const out = tmpl.render({ ...variables });
    if (out.length > MAX_OUTPUT) {
      return { ok: false, error: `Template output exceeded maximum size of ${MAX_OUTPUT} characters`, kind: 'runtime' };
    }
    const listeners = s.all
      ? { all: true, entities: [], domains: [], time: s.time }
      : { all: false, entities: [...s.entities], domains: [...s.domains], time: s.time };
    return { ok: true, result: out.trim(), listeners };
  } catch (e) {
    return { ok: false, error: describeError(takeError() ?? e, budget), kind: 'runtime' };
  } finally {
    takeError();
    setStrict(false);
    endSession();
  }
}
