// Lovelace over the WebSocket (README rule 34): the dashboards collection and each dashboard's
// saved config. The default dashboard is url_path null; one never saved has no config.
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { HaClient } from '../ha/types.js';
import { wsCommand } from './wsCommand.js';

export const DashboardSchema = z.looseObject({
  id: z.string(),
  url_path: z.string(),
  title: z.string(),
  icon: z.string().optional(),
  mode: z.string().optional(),
  show_in_sidebar: z.boolean().optional(),
  require_admin: z.boolean().optional(),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const LovelaceConfigSchema = z.record(z.string(), z.unknown());
export type LovelaceConfig = z.infer<typeof LovelaceConfigSchema>;

export function listDashboards(ha: HaClient): Promise<Dashboard[]> {
  return wsCommand(ha, { type: 'lovelace/dashboards/list' }, z.array(DashboardSchema));
}

const haCode = (err: unknown): string | undefined => (err instanceof AppError ? (err.details?.ha_code as string | undefined) : undefined);

function unknownDashboard(url: string | null): AppError {
  return new AppError('not_found', `There is no dashboard ${String(url)}.`, 'ha_config with action "list" and kind "dashboard" lists them (url_path).', { details: { url_path: url } });
}

/** The saved config, or null when the dashboard has none yet (Home Assistant generates one then). */
export async function readDashboardConfig(ha: HaClient, url: string | null): Promise<LovelaceConfig | null> {
  try {
    return await wsCommand(ha, { type: 'lovelace/config', url_path: url }, LovelaceConfigSchema);
  } catch (err) {
    if (haCode(err) === 'config_not_found') {
      if ((err as AppError).message === 'No config found.') return null;
      throw unknownDashboard(url);
    }
    throw err;
  }
}

export async function saveDashboardConfig(ha: HaClient, url: string | null, config: LovelaceConfig): Promise<void> {
  try {
    await wsCommand(ha, { type: 'lovelace/config/save', url_path: url, config }, z.null());
  } catch (err) {
    if (haCode(err) === 'config_not_found') throw unknownDashboard(url);
    throw err;
  }
}

export async function deleteDashboardConfig(ha: HaClient, url: string | null): Promise<void> {
  try {
    await wsCommand(ha, { type: 'lovelace/config/delete', url_path: url }, z.null());
  } catch (err) {
    if (haCode(err) === 'config_not_found') throw unknownDashboard(url);
    throw err;
  }
}

export function createDashboard(ha: HaClient, fields: { url_path: string; title: string; icon?: string; show_in_sidebar?: boolean; require_admin?: boolean }): Promise<Dashboard> {
  return wsCommand(ha, { ...fields, type: 'lovelace/dashboards/create' }, DashboardSchema);
}

export function updateDashboard(ha: HaClient, id: string, fields: { title?: string; icon?: string | null; show_in_sidebar?: boolean; require_admin?: boolean }): Promise<Dashboard> {
  return wsCommand(ha, { ...fields, type: 'lovelace/dashboards/update', dashboard_id: id }, DashboardSchema);
}

export async function deleteDashboard(ha: HaClient, id: string): Promise<void> {
  await wsCommand(ha, { type: 'lovelace/dashboards/delete', dashboard_id: id }, z.null());
}
