// Every kind ha_config edits, by name. A new kind is one adapter (../kind.ts) and one line here.
import type { EditKind } from '../kind.js';
import { automationKind } from './automation.js';
import { sceneKind } from './scene.js';
import { scriptKind } from './script.js';

export const EDIT_KINDS: readonly EditKind[] = [automationKind, scriptKind, sceneKind];

/** Kind names, for ha_config's `kind` enum. */
export const KIND_NAMES = EDIT_KINDS.map((k) => k.kind) as [string, ...string[]];

export function editKind(name: string): EditKind | undefined {
  return EDIT_KINDS.find((k) => k.kind === name);
}
