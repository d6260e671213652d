// What every answer to hostile input must be: no 5xx but the documented 503, the documented
// error shapes ({error, message, suggestion} for HTTP and tool errors; JSON-RPC errors with a
// documented code, never -32603 or internal_error), no stack trace, file path or token, and in time.
import type { CallOutcome } from '../adapters.js';
import { messagesIn, isFailure, type RawResult } from '../lib/raw.js';
import { ErrorCodeSchema } from '../../src/errors.js';

export type Rule = 'crash' | 'stall' | 'no-answer' | '5xx' | 'shape' | 'shape-parser' | 'code' | 'internal' | 'leak' | 'transport' | 'size';

export interface Violation {
  rule: Rule;
  detail: string;
}

/** JSON-RPC codes the server (and the SDK under it) documents for bad requests. */
// -32020 (headers and body disagree), -32021 (missing client capability), -32022 (unsupported
// protocol version) are 2026-07-28's.
export const ALLOWED_RPC_CODES = new Set([-32700, -32600, -32601, -32602, -32000, -32001, -32002, -32020, -32021, -32022]);
const APP_CODES = new Set<string>(ErrorCodeSchema.options);

export interface OracleEnv {
  /** Strings that must never appear in an answer: API keys, Home Assistant tokens. */
  secrets: string[];
  /** Paths of this machine that must not appear: the package, data folders, the temp dir. */
  paths: string[];
  /** A call slower than this is a stall. */
  slowMs: number;
}

const STACK = [/\n\s+at [^\n]*(?:\(|:\d+:\d+)/, /\bat (?:async )?[\w$.<>[\] ]+ \((?:file:\/\/|\/|node:)[^)]*\)/, /\b(?:TypeError|RangeError|ReferenceError|SyntaxError): [^\n"]*\n/];
const PATHS = [/file:\/\/\/[\w/.-]+/, /\/node_modules\//, /\/(?:src|dist|\.dist|sim)\/[\w/.-]+\.(?:js|ts|mjs|cjs)\b/, /\b[\w-]+\.(?:ts|js|mjs):\d+:\d+/];

/** What in `text` is a leak, unless it was in the request itself (an echo is not a leak). */
export function leaks(text: string, env: OracleEnv, request = ''): string[] {
  const out: string[] = [];
  for (const s of env.secrets) if (s && text.includes(s) && !request.includes(s)) out.push(`token ${s.slice(0, 6)}…`);
  for (const p of env.paths) if (p && text.includes(p) && !request.includes(p)) out.push(`path ${p}`);
  for (const re of [...STACK, ...PATHS]) {
    const m = re.exec(text);
    // A path quoted back in a message may carry the sentence's full stop.
    if (m && !request.includes(m[0]) && !request.includes(m[0].replace(/[.,;:]+$/, ''))) out.push(`${STACK.includes(re) ? 'stack trace' : 'file path'} "${m[0].trim().slice(0, 80)}"`);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks one JSON-RPC error object; `context` names where it came from. */
export function rpcErrorViolations(err: unknown, context: string): Violation[] {
  if (!isRecord(err) || typeof err.code !== 'number' || !Number.isInteger(err.code) || typeof err.message !== 'string') {
    return [{ rule: 'shape', detail: `${context}: error is not {code, message}: ${JSON.stringify(err).slice(0, 120)}` }];
  }
  if (err.code === -32603) return [{ rule: 'internal', detail: `${context}: -32603 ${err.message.slice(0, 140)}` }];
  if (!ALLOWED_RPC_CODES.has(err.code)) return [{ rule: 'code', detail: `${context}: undocumented code ${err.code} ${err.message.slice(0, 100)}` }];
  return [];
}

/** The project's error body: {error, message, suggestion} with a documented code. */
export function appErrorViolations(body: unknown, context: string): Violation[] {
  if (!isRecord(body) || typeof body.error !== 'string' || typeof body.message !== 'string' || typeof body.suggestion !== 'string') {
    return [{ rule: 'shape', detail: `${context}: not {error, message, suggestion}: ${JSON.stringify(body).slice(0, 140)}` }];
  }
  if (body.error === 'internal_error') return [{ rule: 'internal', detail: `${context}: internal_error ${body.message.slice(0, 100)}` }];
  if (!APP_CODES.has(body.error)) return [{ rule: 'code', detail: `${context}: undocumented error code "${body.error}"` }];
  return [];
}

const isRpc = (m: unknown): m is Record<string, unknown> => isRecord(m) && m.jsonrpc === '2.0';

/** Violations in JSON-RPC messages a server sent back. */
export function messageViolations(messages: unknown[], context: string): Violation[] {
  const out: Violation[] = [];
  for (const m of messages) {
    if (!isRpc(m)) {
      out.push({ rule: 'shape', detail: `${context}: not a JSON-RPC message: ${JSON.stringify(m).slice(0, 120)}` });
      continue;
    }
    if ('error' in m) out.push(...rpcErrorViolations(m.error, context));
    else if (isRecord(m.result) && m.result.isError === true) {
      const text = (m.result.content as { text?: string }[] | undefined)?.[0]?.text ?? '';
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      out.push(...appErrorViolations(body, `${context} tool error`));
    }
  }
  return out;
}

export interface HttpExpectation {
  /** The request's own bytes as text, so that echoes are not counted as leaks. */
  request: string;
  /** Deliberately broken HTTP (bad request line, bad header bytes): no answer or a parser 400 is fine. */
  malformedHttp?: boolean;
  /** The request may legitimately open a stream that stays open (GET /mcp, GET /sse). */
  mayStream?: boolean;
  /** HEAD: an answer without a body. */
  head?: boolean;
  /** A body over the documented 1 MiB limit: the server may answer 413 and close before reading it all. */
  oversize?: boolean;
  /** An answer bigger than this many bytes is a violation (unbounded batches). */
  maxBytes?: number;
  context: string;
}

function documented503(status: number, headers: Record<string, string>, body: unknown): boolean {
  if (status !== 503) return false;
  if (isRecord(body) && isRecord(body.error) && body.error.code === -32000 && /sessions/i.test(String(body.error.message))) return true;
  return isRecord(body) && (body.error === 'ha_unreachable' || body.error === 'ha_timeout') && headers['retry-after'] !== undefined;
}

export function httpViolations(res: RawResult, env: OracleEnv, exp: HttpExpectation): Violation[] {
  const ctx = exp.context;
  if (isFailure(res)) {
    if (res.error === 'timeout') return [{ rule: 'stall', detail: `${ctx}: no answer in ${Math.round(res.ms)} ms` }];
    if (exp.malformedHttp || (exp.oversize && res.error === 'reset')) return [];
    return [{ rule: 'no-answer', detail: `${ctx}: ${res.error} ${res.detail ?? ''}`.trim() }];
  }
  const out: Violation[] = [];
  const ct = res.headers['content-type'] ?? '';
  let body: unknown;
  let parsed = false;
  if (res.body && !/event-stream/.test(ct)) {
    try {
      body = JSON.parse(res.body);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  if (res.status >= 500 && !documented503(res.status, res.headers, body)) out.push({ rule: '5xx', detail: `${ctx}: ${res.status} ${res.body.slice(0, 140)}` });
  if (res.status === 401 && !res.headers['www-authenticate']) out.push({ rule: 'shape', detail: `${ctx}: 401 without WWW-Authenticate` });
  if (res.status >= 400 && !/event-stream/.test(ct) && !exp.head) {
    const fastify = isRecord(body) && typeof body.statusCode === 'number' && typeof body.error === 'string' && !('suggestion' in body);
    if (!parsed) {
      out.push({ rule: exp.malformedHttp ? 'shape-parser' : 'shape', detail: `${ctx}: ${res.status} body is not JSON: ${JSON.stringify(res.body.slice(0, 100))}` });
    } else if (fastify) {
      out.push({ rule: exp.malformedHttp ? 'shape-parser' : 'shape', detail: `${ctx}: ${res.status} Fastify's own body ${res.body.slice(0, 140)}` });
    } else if (isRpc(body) || (Array.isArray(body) && body.every(isRpc))) {
      out.push(...messageViolations(Array.isArray(body) ? body : [body], ctx));
    } else {
      out.push(...appErrorViolations(body, `${ctx} ${res.status}`));
    }
  } else if (res.status < 300) {
    out.push(...messageViolations(messagesIn(res).filter((m) => isRecord(m) && ('error' in m || 'result' in m || 'unparsable' in m)), ctx));
  }
  if (exp.maxBytes !== undefined && res.bytes > exp.maxBytes) out.push({ rule: 'size', detail: `${ctx}: ${(res.bytes / 1e6).toFixed(1)} MB answer in ${Math.round(res.ms)} ms` });
  if (res.ms > env.slowMs && !res.streaming) out.push({ rule: 'stall', detail: `${ctx}: answered in ${Math.round(res.ms)} ms` });
  const text = res.body.length > 2_000_000 ? res.body.slice(0, 2_000_000) : res.body;
  for (const l of leaks(`${Object.values(res.headers).join('\n')}\n${text}`, env, exp.request)) out.push({ rule: 'leak', detail: `${ctx}: ${l}` });
  return out;
}

/** Violations in one tool call (or resource read) made through an MCP client. */
export function outcomeViolations(o: CallOutcome, env: OracleEnv, request: string, context: string): Violation[] {
  const out: Violation[] = [];
  // The client gave up on an HTTP refusal in the documented shape (e.g. 431 for a 64 kB URI it put in a header).
  const refused = o.kind === 'failure' && /\{"error":"(?!internal_error)[a-z_]+","status_code":4\d\d,"message":"[^"]*","suggestion":"/.test(o.message);
  if (o.kind === 'failure' && !refused) {
    out.push(o.timeout ? { rule: 'stall', detail: `${context}: no answer in ${Math.round(o.ms)} ms` } : { rule: 'transport', detail: `${context}: ${o.message.slice(0, 200)}` });
  } else if (o.kind === 'rpc_error') {
    out.push(...rpcErrorViolations({ code: o.code, message: o.message }, context));
  } else if (o.kind === 'tool_error') {
    out.push(...appErrorViolations(o.json, `${context} tool error`));
  }
  if (o.ms > env.slowMs && o.kind !== 'failure') out.push({ rule: 'stall', detail: `${context}: answered in ${Math.round(o.ms)} ms` });
  const text = o.kind === 'failure' || o.kind === 'rpc_error' ? o.message : o.text.length > 2_000_000 ? o.text.slice(0, 2_000_000) : o.text;
  for (const l of leaks(text, env, request)) out.push({ rule: 'leak', detail: `${context}: ${l}` });
  return out;
}

/** Violations grouped by rule, with a few distinct examples each. */
export class Tally {
  readonly byRule = new Map<Rule, number>();
  readonly examples: string[] = [];
  cases = 0;
  private readonly seen = new Set<string>();

  add(vs: Violation[], input: string): void {
    this.cases++;
    for (const v of vs) {
      this.byRule.set(v.rule, (this.byRule.get(v.rule) ?? 0) + 1);
      const key = `${v.rule}:${v.detail.replace(/\d+/g, 'N').slice(0, 60)}`;
      if (!this.seen.has(key) && this.examples.length < 8) {
        this.seen.add(key);
        this.examples.push(`${v.rule}: ${v.detail} ← ${input}`);
      }
    }
  }

  get violations(): number {
    return [...this.byRule.values()].reduce((a, b) => a + b, 0);
  }

  summary(): string {
    return [...this.byRule].map(([r, n]) => `${r} x${n}`).join(', ');
  }
}
