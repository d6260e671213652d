// What a domain behaviour sees when a service runs against one of its entities.
import type { SimContext, SimState } from '../../model.js';
import type { SimHome } from '../home.js';

export interface EntityCall {
  domain: string;
  service: string;
  entityId: string;
  /** The entity's current state (refreshed after each update()). */
  state: SimState;
  data: Record<string, unknown>;
  context: SimContext;
  home: SimHome;
  /** Sets state and/or attribute changes (merged into the current attributes), stamped with the call's context. */
  update(state?: string, attrs?: Record<string, unknown>, removeAttrs?: string[]): void;
  /** Remembered per-entity values (e.g. a light's colour while it is off). */
  memory: Record<string, unknown>;
}

/** Returns the entity's part of the service response, if the service has one. */
export type EntityHandler = (c: EntityCall) => unknown;

export interface DomainCall {
  domain: string;
  service: string;
  data: Record<string, unknown>;
  context: SimContext;
  home: SimHome;
}

export type DomainHandler = (c: DomainCall) => unknown;

export interface DomainBehaviour {
  entity?: Record<string, EntityHandler>;
  /** Services that do not act on entities (no `target` in their description). */
  domain?: Record<string, DomainHandler>;
}
