// Runs script/automation action sequences: service calls (with response_variable), stop,
// events and conditions, with delays treated as instant, which is enough for a simulator.
// With a trace, each action is a step ("action/0", "sequence/1") as Home Assistant records it.
import type { SimContext } from '../model.js';
import { conditionHolds } from './conditions.js';
import { ServiceNotFound } from './errors.js';
import type { SimHome } from './home.js';
import type { TraceRun } from './traces.js';

export interface SequenceResult {
  response: unknown;
  /** HA's script_execution for how the sequence ended. */
  execution: 'finished' | 'aborted';
  /** Why it was aborted (a stop with error: true). */
  error?: string;
}

export interface SequenceTrace {
  run: TraceRun;
  /** "action" for automations, "sequence" for scripts. */
  prefix: string;
}

/** An action that failed: its position, and the error as the trace words it. */
export class SequenceFailure extends Error {
  override name = 'SequenceFailure';
  constructor(
    readonly failure: unknown,
    readonly index: number,
    readonly kind: string,
  ) {
    super(traceError(failure));
  }
}

/** str(exception) as Home Assistant puts it in a trace. */
export function traceError(err: unknown): string {
  if (err instanceof ServiceNotFound) return `Action ${err.domain}.${err.service} not found`;
  return (err as Error).message || 'Unknown error';
}

export function runSequence(
  home: SimHome,
  actions: unknown,
  context: SimContext,
  variables: Record<string, unknown> = {},
  trace?: SequenceTrace,
): SequenceResult {
  const list = Array.isArray(actions) ? actions : actions ? [actions] : [];
  for (let i = 0; i < list.length; i++) {
    const raw: unknown = list[i];
    if (typeof raw !== 'object' || raw === null) continue;
    const a = raw as Record<string, unknown>;
    const path = trace ? `${trace.prefix}/${i}` : '';
    const name = (a.action ?? a.service) as string | undefined;
    if (typeof name === 'string' && name.includes('.')) {
      const [domain, service] = name.split('.', 2) as [string, string];
      const data = (a.data ?? a.service_data ?? {}) as Record<string, unknown>;
      const target = a.target as Record<string, unknown> | undefined;
      const step = trace?.run.step(path);
      try {
        const res = home.callService({ domain, service, data, target, returnResponse: typeof a.response_variable === 'string', context, fromScript: true });
        if (typeof a.response_variable === 'string') variables[a.response_variable] = res.response;
      } catch (err) {
        if (step) step.error = traceError(err);
        throw new SequenceFailure(err, i, 'call_service');
      } finally {
        if (step) step.result = { params: { domain, service, service_data: data, target: target ?? {} }, running_script: false };
      }
      continue;
    }
    if ('stop' in a) {
      const aborted = a.error === true;
      trace?.run.step(path, { result: { stop: String(a.stop), error: aborted } });
      const rv = a.response_variable;
      return { response: typeof rv === 'string' ? (variables[rv] ?? null) : null, execution: aborted ? 'aborted' : 'finished', ...(aborted ? { error: String(a.stop) } : {}) };
    }
    if (typeof a.condition === 'string') {
      if (!conditionHolds(home, a, path, trace?.run)) return { response: null, execution: 'aborted' };
      continue;
    }
    if (typeof a.event === 'string') {
      const data = (a.event_data ?? {}) as Record<string, unknown>;
      trace?.run.step(path, { result: { event: a.event, event_data: data } });
      home.bus.fire(a.event, data, context);
      continue;
    }
    trace?.run.step(path);
  }
  return { response: null, execution: 'finished' };
}
