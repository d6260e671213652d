// Shared contract between the simulator and its template renderer (sim/template/render.ts).
import type { HomeData, SimState } from '../model.js';

export interface TemplateEnv {
  states(): SimState[];
  getState(entityId: string): SimState | undefined;
  home: HomeData;
  now(): Date;
}

export type TemplateOutcome =
  | {
      ok: true;
      result: string;
      listeners: { all: boolean; entities: string[]; domains: string[]; time: boolean };
    }
  | {
      ok: false;
      /** e.g. "TemplateSyntaxError: unexpected '}'" or "ZeroDivisionError: division by zero" */
      error: string;
      kind: 'syntax' | 'runtime';
    };
