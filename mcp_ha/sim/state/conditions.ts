// Automation and script conditions the simulator can judge (state, numeric_state, and/or/not),
// with the trace steps Home Assistant records for them: "condition/0" {"result": false} and
// per entity "condition/0/entity_id/0" {"result": false, "state": "off", "wanted_state": "on"}.
// Other condition kinds (time, sun, template, ...) pass, as the simulator has no clock for them.
import type { SimHome } from './home.js';
import type { TraceRun } from './traces.js';

type Dict = Record<string, unknown>;

const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

function judge(home: SimHome, c: Dict, path: string, trace: TraceRun | undefined): boolean {
  const kind = c.condition;
  const el = trace?.step(path);
  const done = (result: boolean): boolean => {
    if (el) el.result = { result };
    return result;
  };
  if (kind === 'and' || kind === 'or' || kind === 'not') {
    const parts = list(c.conditions);
    const results = parts.map((p, i) => judge(home, (p ?? {}) as Dict, `${path}/conditions/${i}`, trace));
    return done(kind === 'and' ? results.every(Boolean) : kind === 'or' ? results.some(Boolean) : !results.some(Boolean));
  }
  if (kind === 'state' || kind === 'numeric_state') {
    const ids = list(c.entity_id).map(String);
    let all = true;
    ids.forEach((id, i) => {
      const st = home.store.get(id);
      const attr = typeof c.attribute === 'string' ? c.attribute : undefined;
      const value = st ? (attr ? st.attributes[attr] : st.state) : undefined;
      let ok: boolean;
      const detail: Dict = {};
      if (kind === 'state') {
        const wanted = list(c.state).map(String);
        ok = value !== undefined && wanted.includes(String(value));
        Object.assign(detail, { state: value ?? null, wanted_state: wanted.length === 1 ? wanted[0] : wanted });
      } else {
        const n = Number(value);
        const above = c.above === undefined ? undefined : Number(c.above);
        const below = c.below === undefined ? undefined : Number(c.below);
        ok = Number.isFinite(n) && (above === undefined || n > above) && (below === undefined || n < below);
        detail.state = Number.isFinite(n) ? n : (value ?? null);
        if (above !== undefined) detail.wanted_state_above = above;
        if (below !== undefined) detail.wanted_state_below = below;
      }
      trace?.step(`${path}/entity_id/${i}`, { result: { result: ok, ...detail } });
      all &&= ok;
    });
    return done(all);
  }
  return done(true);
}

/** Judges the conditions in order and stops at the first false, as Home Assistant does; the index of that one, or -1. */
export function failedCondition(home: SimHome, conditions: unknown, prefix: string, trace: TraceRun | undefined): number {
  const all = list(conditions);
  for (let i = 0; i < all.length; i++) {
    const c = all[i];
    if (typeof c !== 'object' || c === null) continue;
    if (!judge(home, c as Dict, `${prefix}/${i}`, trace)) return i;
  }
  return -1;
}

/** One condition used as an action in a sequence ("condition: state" between actions). */
export function conditionHolds(home: SimHome, c: Dict, path: string, trace: TraceRun | undefined): boolean {
  return judge(home, c, path, trace);
}
