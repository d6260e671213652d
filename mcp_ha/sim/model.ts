// The simulated home's data, in Home Assistant's own wire shapes (as recorded in test data).
// Both the recorded demo home and the generated big homes produce a HomeData.

export interface SimContext {
  id: string;
  parent_id: string | null;
  user_id: string | null;
}

export interface SimState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_reported: string;
  last_updated: string;
  context: SimContext;
}

/** domain -> service -> description, exactly as `get_services` returns it. */
export type SimServices = Record<string, Record<string, Record<string, unknown>>>;

export interface HomeData {
  /** `get_config` / `GET /api/config` result. */
  config: Record<string, unknown>;
  states: SimState[];
  services: SimServices;
  /** Registry entries exactly as the `config/*_registry/list` commands return them. */
  areas: Record<string, unknown>[];
  floors: Record<string, unknown>[];
  labels: Record<string, unknown>[];
  devices: Record<string, unknown>[];
  entities: Record<string, unknown>[];
  /** `energy/get_prefs` result. */
  energyPrefs: Record<string, unknown>;
  /** Automation configs by id (`/api/config/automation/config/<id>`). */
  automationConfigs: Record<string, Record<string, unknown>>;
  /** Script configs by object id (`/api/config/script/config/<id>`). */
  scriptConfigs: Record<string, Record<string, unknown>>;
  /** Scene configs by id (`/api/config/scene/config/<id>`, scenes.yaml); none when absent. */
  sceneConfigs?: Record<string, Record<string, unknown>>;
  /** Optional recorded extras (the demo home has them; generated homes get defaults). */
  extras?: HomeExtras;
}

/** A recorded state as the history API stores it (attributes as the recorder kept them). */
export interface SimHistoryState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
}

export interface SimCalendar {
  entity_id: string;
  name: string;
  /** Events as `GET /api/calendars/<id>` returns them. */
  events: Record<string, unknown>[];
}

/** A to-do item as todo/item/list gives it (due and description only when set). */
export interface SimTodoItem {
  summary: string;
  uid: string;
  status: 'needs_action' | 'completed';
  due?: string;
  description?: string;
}

export interface HomeExtras {
  /** Epoch µs the recorded timestamps refer to; the loader shifts every time by (now - this). */
  recordedAt?: number;
  /** `GET /api/components`. */
  components?: string[];
  /** Keys `config/entity_registry/get` adds to a list entry (aliases, capabilities, ...). */
  entityDetails?: Record<string, Record<string, unknown>>;
  /** `auth/current_user` result and `config/auth/list`. */
  currentUser?: Record<string, unknown>;
  users?: Record<string, unknown>[];
  /** `entity/source`. */
  entitySource?: Record<string, Record<string, unknown>>;
  /** `repairs/list_issues` issues. */
  repairs?: Record<string, unknown>[];
  /** `trace/list` items and full traces (by run_id). */
  traces?: { list: Record<string, unknown>[]; full: Record<string, Record<string, unknown>> };
  /** `recorder/list_statistic_ids` and 5-minute rows by statistic id. */
  statisticIds?: Record<string, unknown>[];
  statistics5m?: Record<string, Record<string, unknown>[]>;
  recorderInfo?: Record<string, unknown>;
  energyInfo?: Record<string, unknown>;
  /** Recorded history per entity (oldest first). */
  history?: Record<string, SimHistoryState[]>;
  /** Recorded logbook entries in REST shape (ISO `when`), oldest first. */
  logbook?: Record<string, unknown>[];
  calendars?: SimCalendar[];
  /** To-do items by list entity (lists not named here start empty). */
  todoItems?: Record<string, SimTodoItem[]>;
  /** weather entity -> forecast type -> forecast list. */
  forecasts?: Record<string, Record<string, Record<string, unknown>[]>>;
  errorLog?: string;
  /** `GET /api/events` listener counts. */
  eventListeners?: { event: string; listener_count: number }[];
  /**
   * A synthesized past (generated homes): days of state history and logbook before the
   * simulator started, and days of long-term statistics (sim/state/synth.ts).
   */
  synthetic?: { historyDays: number; statisticsDays: number };
}
