// Lovelace in storage mode: the dashboards collection and each dashboard's saved config
// (ws-lovelace.json). The default dashboard is url_path null; onboarding's `map` dashboard exists.
import type { EventBus } from './bus.js';
import { newContext } from './context.js';
import { slugify } from './registries.js';

type Item = Record<string, unknown>;

export type LovelaceError = { code: string; message: string; translation?: { key: string; placeholders: Record<string, string> } };

export class Lovelace {
  readonly dashboards = new Map<string, Item>([
    ['map', { id: 'map', icon: 'mdi:map', title: 'Map', url_path: 'map', show_in_sidebar: true, require_admin: false, mode: 'storage' }],
  ]);
  /** Saved configs by url_path ('' is the default dashboard). */
  private configs = new Map<string, unknown>([['map', { strategy: { type: 'map' } }]]);

  constructor(private bus: EventBus) {}

  private key(urlPath: string | null | undefined): string {
    return urlPath ?? '';
  }

  private known(urlPath: string | null | undefined): boolean {
    if (urlPath === null || urlPath === undefined) return true;
    for (const d of this.dashboards.values()) if (d.url_path === urlPath) return true;
    return false;
  }

  private updated(urlPath: string | null | undefined, userId: string | null): void {
    this.bus.fire('lovelace_updated', { url_path: urlPath ?? null }, newContext(userId));
  }

  getConfig(urlPath: string | null | undefined): { config: unknown } | { error: LovelaceError } {
    if (!this.known(urlPath)) return { error: { code: 'config_not_found', message: `Unknown config specified: ${String(urlPath)}` } };
    const config = this.configs.get(this.key(urlPath));
    if (config === undefined) return { error: { code: 'config_not_found', message: 'No config found.' } };
    return { config };
  }

  saveConfig(urlPath: string | null | undefined, config: unknown, userId: string | null): LovelaceError | null {
    if (!this.known(urlPath)) return { code: 'config_not_found', message: `Unknown config specified: ${String(urlPath)}` };
    // HA fails inside the handler on a missing config (recorded: unknown_error).
    if (config === undefined) return { code: 'unknown_error', message: 'Unknown error' };
    this.configs.set(this.key(urlPath), config);
    this.updated(urlPath, userId);
    return null;
  }

  deleteConfig(urlPath: string | null | undefined, userId: string | null): LovelaceError | null {
    if (!this.known(urlPath)) return { code: 'config_not_found', message: `Unknown config specified: ${String(urlPath)}` };
    this.configs.delete(this.key(urlPath));
    this.updated(urlPath, userId);
    return null;
  }

  createDashboard(fields: Item): { item: Item } | { error: LovelaceError } {
    const url = String(fields.url_path);
    for (const d of this.dashboards.values()) {
      if (d.url_path === url) {
        return {
          error: {
            code: 'home_assistant_error',
            message: `The URL "${url}" is already in use. Please choose a different one`,
            translation: { key: 'url_already_exists', placeholders: { url } },
          },
        };
      }
    }
    const base = slugify(url);
    let id = base;
    for (let i = 2; this.dashboards.has(id); i++) id = `${base}_${i}`;
    const item: Item = { id, ...fields };
    this.dashboards.set(id, item);
    return { item };
  }

  updateDashboard(id: string, changes: Item): { item: Item } | { error: LovelaceError } {
    const cur = this.dashboards.get(id);
    if (!cur) return { error: { code: 'not_found', message: `Unable to find dashboard_id ${id}` } };
    const next: Item = { ...cur };
    // A null removes the key (recorded: icon null).
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    this.dashboards.set(id, next);
    return { item: next };
  }

  deleteDashboard(id: string, userId: string | null): LovelaceError | null {
    const cur = this.dashboards.get(id);
    if (!cur) return { code: 'not_found', message: `Unable to find dashboard_id ${id}` };
    this.dashboards.delete(id);
    this.configs.delete(String(cur.url_path));
    this.updated(cur.url_path as string, userId);
    return null;
  }
}
