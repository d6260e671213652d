// Runs script/automation action sequences: service calls (with response_variable), stop,
// events, and delays/conditions treated as instant/pass, which is enough for a simulator.
import type { SimContext } from '../model.js';
import type { SimHome } from './home.js';

export interface SequenceResult {
  response: unknown;
}

export function runSequence(
  home: SimHome,
  actions: unknown,
  context: SimContext,
  variables: Record<string, unknown> = {},
): SequenceResult {
  const list = Array.isArray(actions) ? actions : actions ? [actions] : [];
  for (const raw of list) {
    if (typeof raw !== 'object' || raw === null) continue;
    const a = raw as Record<string, unknown>;
    const name = (a.action ?? a.service) as string | undefined;
    if (typeof name === 'string' && name.includes('.')) {
      const [domain, service] = name.split('.', 2) as [string, string];
      const res = home.callService({
        domain,
        service,
        data: (a.data ?? a.service_data ?? {}) as Record<string, unknown>,
        target: a.target as Record<string, unknown> | undefined,
        returnResponse: typeof a.response_variable === 'string',
        context,
        fromScript: true,
      });
      if (typeof a.response_variable === 'string') variables[a.response_variable] = res.response;
      continue;
    }
    if ('stop' in a) {
      const rv = a.response_variable;
      return { response: typeof rv === 'string' ? (variables[rv] ?? null) : null };
    }
    if (typeof a.event === 'string') {
      home.bus.fire(a.event, (a.event_data ?? {}) as Record<string, unknown>, context);
    }
  }
  return { response: null };
}
