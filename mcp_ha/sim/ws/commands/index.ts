// Every WS command the simulator knows, by type.
import { coreCommands } from './core.js';
import { registryCommands } from './registry.js';
import type { CommandTable } from './types.js';

export const COMMANDS: CommandTable = {
  ...coreCommands,
  ...registryCommands,
};
