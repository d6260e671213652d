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
}
