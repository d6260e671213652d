// Every tool the server offers, in one place. Tool names are public API: add, never rename.
import { auditLog } from './audit.js';
import { callService } from './callService.js';
import { listServices } from './services.js';
import { getState, listStates } from './states.js';
import { renderTemplate } from './template.js';
import type { ToolDef, Toolset } from './tool.js';
import { undo } from './undo.js';

export const ALL_TOOLS: readonly ToolDef[] = [listStates, getState, listServices, callService, renderTemplate, undo, auditLog];

export function toolsFor(toolsets: readonly Toolset[]): ToolDef[] {
  return ALL_TOOLS.filter((t) => toolsets.includes(t.toolset));
}
