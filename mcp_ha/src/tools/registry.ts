// Every tool the server offers, in one place. Tool names are public API: add, never rename.
import { auditLog } from './audit.js';
import { listAutomations } from './automations.js';
import { calendar } from './calendar.js';
import { calendarEdit } from './calendarEdit.js';
import { callService } from './callService.js';
import { camera } from './camera.js';
import { config } from './config.js';
import { getEnergy } from './energy.js';
import { listEntities } from './entities.js';
import { history } from './history.js';
import { logbook } from './logbook.js';
import { householdNames } from './names.js';
import { overview } from './overview.js';
import { listRegistry } from './registries.js';
import { searchEntities } from './search.js';
import { listServices } from './services.js';
import { getState, listStates } from './states.js';
import { system } from './system.js';
import { renderTemplate } from './template.js';
import type { ToolDef, Toolset } from './tool.js';
import { trace } from './trace.js';
import { undo } from './undo.js';

export const ALL_TOOLS: readonly ToolDef[] = [
  overview,
  searchEntities,
  listEntities,
  listStates,
  getState,
  listRegistry,
  listAutomations,
  getEnergy,
  history,
  logbook,
  trace,
  camera,
  calendar,
  calendarEdit,
  listServices,
  callService,
  renderTemplate,
  undo,
  auditLog,
  system,
  config,
  householdNames,
];

export function toolsFor(toolsets: readonly Toolset[]): ToolDef[] {
  return ALL_TOOLS.filter((t) => toolsets.includes(t.toolset));
}
