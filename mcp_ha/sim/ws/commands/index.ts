// Every WS command the simulator knows, by type.
import { authCommands } from './auth.js';
import { automationCommands } from './automation.js';
import { backupCommands } from './backup.js';
import { cameraCommands } from './camera.js';
import { configCommands } from './configs.js';
import { coreCommands } from './core.js';
import { helperCommands } from './helpers.js';
import { historyCommands } from './history.js';
import { integrationCommands } from './integrations.js';
import { lovelaceCommands } from './lovelace.js';
import { listCommands } from './lists.js';
import { registryCommands } from './registry.js';
import { searchCommands } from './search.js';
import { systemCommands } from './system.js';
import type { CommandTable } from './types.js';

export const COMMANDS: CommandTable = {
  ...coreCommands,
  ...registryCommands,
  ...historyCommands,
  ...listCommands,
  ...automationCommands,
  ...configCommands,
  ...searchCommands,
  ...authCommands,
  ...systemCommands,
  ...integrationCommands,
  ...backupCommands,
  ...cameraCommands,
  ...helperCommands,
  ...lovelaceCommands,
};
