// A small recorder: keeps every state an entity had (history) and the logbook lines HA would
// write for them, so history/logbook queries answer from what really happened in the sim.
// Generated homes (extras.synthetic) also have a past from before the simulator started,
// computed on demand by sim/state/synth.ts.
import type { SimHistoryState, SimState } from '../model.js';
import type { SimEvent, StateChangedEvent } from './bus.js';
import type { SimHome } from './home.js';
import { Synth } from './synth.js';
import { isoFromMicros, parseIsoMicros } from '../util/time.js';

const DAY_MS = 86_400_000;

export interface HistoryRow extends SimHistoryState {
  /** last_updated in epoch µs, for range queries. */
  us: number;
  lcUs: number;
}

export interface LogbookRow {
  /** Entry in REST order, `when` as ISO. */
  entry: Record<string, unknown>;
  us: number;
}

interface Origin {
  domain: string;
  service: string;
  user_id: string | null;
}

function toRow(s: SimHistoryState | SimState): HistoryRow {
  return {
    entity_id: s.entity_id,
    state: s.state,
    attributes: s.attributes,
    last_changed: s.last_changed,
    last_updated: s.last_updated,
    us: parseIsoMicros(s.last_updated) ?? 0,
    lcUs: parseIsoMicros(s.last_changed) ?? 0,
  };
}

const MAX_ROWS = 5000;

export class Recorder {
  private history = new Map<string, HistoryRow[]>();
  /** States at start, turned into history rows only when an entity is first asked for or changes. */
  private initial = new Map<string, SimState>();
  private logbook: LogbookRow[] = [];
  private origins = new Map<string, Origin>();
  private off: () => void;
  /** The synthesized past of a generated home. */
  readonly synth: Synth | undefined;
  /** No synthesized history before this (Home Assistant keeps 10 days of states by default). */
  private readonly historyFromUs: number;

  constructor(private home: SimHome) {
    for (const s of home.store.all()) this.initial.set(s.entity_id, s);
    const synthetic = home.data.extras?.synthetic;
    const now = Date.now();
    this.historyFromUs = (now - (synthetic?.historyDays ?? 0) * DAY_MS) * 1000;
    this.synth = synthetic ? new Synth(home.store.all(), home.data.config, now - synthetic.statisticsDays * DAY_MS) : undefined;
    for (const entry of home.data.extras?.logbook ?? []) {
      this.logbook.push({ entry, us: parseIsoMicros(String(entry.when)) ?? 0 });
    }
    this.off = home.bus.listen((ev) => this.onEvent(ev));
  }

  close(): void {
    this.off();
  }

  private onEvent(ev: SimEvent): void {
    if (ev.event_type === 'call_service') {
      const d = ev.data as { domain: string; service: string };
      this.origins.set(ev.context.id, { domain: d.domain, service: d.service, user_id: ev.context.user_id });
      if (this.origins.size > 1000) this.origins.delete(this.origins.keys().next().value!);
      return;
    }
    if (ev.event_type !== 'state_changed') return;
    const { entity_id, old_state, new_state } = (ev as StateChangedEvent).data;
    if (!new_state) return;
    let rows = this.rows(entity_id);
    if (!rows) this.history.set(entity_id, (rows = []));
    rows.push(toRow(new_state));
    if (rows.length > MAX_ROWS) rows.splice(0, rows.length - MAX_ROWS);
    if (old_state && old_state.state === new_state.state) return;
    if (entity_id.startsWith('sensor.') && 'unit_of_measurement' in new_state.attributes) return;
    const entry: Record<string, unknown> = {
      state: new_state.state,
      entity_id,
      name: (new_state.attributes.friendly_name as string | undefined) ?? entity_id,
      when: new_state.last_changed,
    };
    const origin = this.origins.get(new_state.context.id);
    if (new_state.context.user_id) entry.context_user_id = new_state.context.user_id;
    if (origin) {
      entry.context_domain = origin.domain;
      entry.context_service = origin.service;
      entry.context_event_type = 'call_service';
    }
    this.logbook.push({ entry, us: parseIsoMicros(new_state.last_changed) ?? 0 });
    if (this.logbook.length > MAX_ROWS * 4) this.logbook.splice(0, this.logbook.length - MAX_ROWS * 4);
  }

  /** An entity's rows: the recorded history (demo) and its state at start, built on first use. */
  private rows(entityId: string): HistoryRow[] | undefined {
    let rows = this.history.get(entityId);
    if (rows) return rows;
    const start = this.initial.get(entityId);
    if (!start) return undefined;
    this.initial.delete(entityId);
    const past = this.home.data.extras?.history?.[entityId];
    rows = past ? past.map(toRow) : [];
    const last = rows.at(-1);
    if (!last || last.last_updated !== start.last_updated) rows.push(toRow(start));
    this.history.set(entityId, rows);
    return rows;
  }

  /**
   * The states of an entity in [start, end]: first the state in effect at start (its times
   * clamped to start, as HA's include_start_time_state does), then every change after it.
   */
  states(entityId: string, startUs: number, endUs: number): HistoryRow[] {
    let rows = this.rows(entityId);
    if (!rows) return [];
    if (this.synth?.has(entityId) && endUs >= this.historyFromUs) {
      const past = this.synth.rows(entityId, Math.max(startUs, this.historyFromUs), endUs);
      if (past.length) rows = [...past, ...rows];
    }
    const out: HistoryRow[] = [];
    let before: HistoryRow | undefined;
    for (const r of rows) {
      if (r.us < startUs) before = r;
      else if (r.us <= endUs) out.push(r);
    }
    if (before) {
      const iso = isoFromMicros(startUs);
      out.unshift({ ...before, last_changed: iso, last_updated: iso, us: startUs, lcUs: startUs });
    }
    return out;
  }

  /** Logbook rows in [start, end], optionally for some entities. */
  entries(startUs: number, endUs: number, entityIds?: string[]): LogbookRow[] {
    const set = entityIds ? new Set(entityIds) : null;
    const live = this.logbook.filter(
      (r) => r.us >= startUs && r.us <= endUs && (!set || (typeof r.entry.entity_id === 'string' && set.has(r.entry.entity_id))),
    );
    if (!this.synth || endUs < this.historyFromUs) return live;
    const past = this.synth.logbook(Math.max(startUs, this.historyFromUs), endUs, set ?? undefined);
    return past.length ? [...past, ...live] : live;
  }
}
