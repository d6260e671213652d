// Automation and script traces as Home Assistant keeps them (components/trace): the last 5 runs
// per item, each a short dict for trace/list and an extended one (steps by path, config,
// context) for trace/get; the recorded demo traces first, then every run the simulator makes.
import type { SimContext } from '../model.js';
import { isoNow } from '../util/time.js';
import { hexId } from '../util/ids.js';

/** Home Assistant's default `stored_traces` per automation or script. */
export const STORED_TRACES = 5;

type Dict = Record<string, unknown>;

/** One step as TraceElement.as_dict writes it: path, timestamp, then what is set. */
export interface TraceStep {
  changed_variables?: Dict;
  error?: string;
  result?: unknown;
}

/** Keys of the extended dict that are not in the short one. */
const EXTENDED_KEYS = new Set(['trace', 'config', 'blueprint_inputs', 'context']);

export class TraceStore {
  /** "domain.item_id" -> run_id -> extended dict (in start order). */
  private readonly byItem = new Map<string, Map<string, Dict>>();

  constructor(recorded?: { list: Dict[]; full: Record<string, Dict> }) {
    for (const short of recorded?.list ?? []) {
      const runId = String(short.run_id);
      this.store(String(short.domain), String(short.item_id), recorded?.full[runId] ?? short);
    }
  }

  private store(domain: string, itemId: string, full: Dict): void {
    const key = `${domain}.${itemId}`;
    let runs = this.byItem.get(key);
    if (!runs) this.byItem.set(key, (runs = new Map()));
    runs.set(String(full.run_id), full);
    while (runs.size > STORED_TRACES) runs.delete(runs.keys().next().value as string);
  }

  private *items(domain: string, itemId?: string): Iterable<[string, Map<string, Dict>]> {
    if (itemId !== undefined) {
      const runs = this.byItem.get(`${domain}.${itemId}`);
      if (runs) yield [itemId, runs];
      return;
    }
    for (const [key, runs] of this.byItem) if (key.startsWith(`${domain}.`)) yield [key.slice(domain.length + 1), runs];
  }

  /** trace/list: the short dicts, per item in start order. */
  list(domain: string, itemId?: string): Dict[] {
    const out: Dict[] = [];
    for (const [, runs] of this.items(domain, itemId)) {
      for (const full of runs.values()) out.push(Object.fromEntries(Object.entries(full).filter(([k]) => !EXTENDED_KEYS.has(k))));
    }
    return out;
  }

  /** trace/get: the extended dict, or undefined. */
  get(domain: string, itemId: string, runId: string): Dict | undefined {
    return this.byItem.get(`${domain}.${itemId}`)?.get(runId);
  }

  /** trace/contexts: context id -> {run_id, domain, item_id} for every stored run (of one item). */
  contexts(domain?: string, itemId?: string): Record<string, { run_id: string; domain: string; item_id: string }> {
    const out: Record<string, { run_id: string; domain: string; item_id: string }> = {};
    for (const [key, runs] of this.byItem) {
      const cut = key.indexOf('.');
      const d = key.slice(0, cut);
      const item = key.slice(cut + 1);
      if (domain !== undefined && (d !== domain || item !== itemId)) continue;
      for (const full of runs.values()) {
        const id = (full.context as SimContext | undefined)?.id;
        if (id) out[id] = { run_id: String(full.run_id), domain: d, item_id: item };
      }
    }
    return out;
  }

  /** Starts recording a run; `trigger` is the automation's trigger description (null when triggered by hand). */
  start(domain: 'automation' | 'script', itemId: string, config: Dict | undefined, context: SimContext, trigger?: string | null): TraceRun {
    return new TraceRun(this, domain, itemId, config ?? null, context, trigger);
  }

  /** Called by TraceRun.finish. */
  keep(domain: string, itemId: string, full: Dict): void {
    this.store(domain, itemId, full);
  }
}

export class TraceRun {
  readonly runId = hexId();
  private readonly started = isoNow();
  private readonly steps = new Map<string, Dict[]>();
  private finished = false;

  constructor(
    private readonly store: TraceStore,
    private readonly domain: 'automation' | 'script',
    private readonly itemId: string,
    private readonly config: Dict | null,
    private readonly context: SimContext,
    private readonly trigger: string | null | undefined,
  ) {
    // Home Assistant stores a trace when the run starts (trace/list shows it "running").
    this.store.keep(domain, itemId, this.dict('running', null, undefined));
  }

  private dict(state: string, execution: string | null, error: string | undefined): Dict {
    const paths = [...this.steps.keys()];
    const full: Dict = {
      last_step: paths.at(-1) ?? null,
      run_id: this.runId,
      state,
      script_execution: execution,
      timestamp: { start: this.started, finish: state === 'stopped' ? isoNow() : null },
      domain: this.domain,
      item_id: this.itemId,
    };
    if (error !== undefined) full.error = error;
    if (this.domain === 'automation') full.trigger = this.trigger ?? null;
    full.trace = Object.fromEntries(this.steps);
    full.config = this.config;
    full.blueprint_inputs = null;
    full.context = this.context;
    return full;
  }

  /** Adds a step; the element is returned so that a result known later can be set on it. */
  step(path: string, step: TraceStep = {}): Dict {
    const el: Dict = { path, timestamp: isoNow() };
    if (step.changed_variables) el.changed_variables = step.changed_variables;
    if (step.error !== undefined) el.error = step.error;
    if (step.result !== undefined) el.result = step.result;
    let list = this.steps.get(path);
    if (!list) this.steps.set(path, (list = []));
    list.push(el);
    return el;
  }

  /** Stops the run: `execution` is HA's script_execution (finished, failed_conditions, aborted, error...). */
  finish(execution: string, error?: string): void {
    if (this.finished) return;
    this.finished = true;
    const full = this.dict('stopped', execution, error);
    this.store.keep(this.domain, this.itemId, full);
  }
}
