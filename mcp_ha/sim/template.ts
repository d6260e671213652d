// Bridge to the template renderer (sim/template/render.ts, written separately). It is loaded
// lazily so the simulator runs, and typechecks, before that module exists.
import type { SimHome } from './state/home.js';
import type { TemplateEnv, TemplateOutcome } from './template/types.js';

export interface RenderOptions {
  strict?: boolean;
  /** Seconds; exceeding it fails with "Exceeded maximum execution time of …s". */
  timeout?: number;
}

type RenderFn = (source: string, env: TemplateEnv, variables?: Record<string, unknown>, options?: RenderOptions) => TemplateOutcome;

let renderer: Promise<RenderFn | null> | null = null;
let loaded: RenderFn | null = null;

function loadRenderer(): Promise<RenderFn | null> {
  renderer ??= (async () => {
    try {
      const path = './template/render.js';
      const mod = (await import(path)) as { renderTemplate?: RenderFn };
      loaded = mod.renderTemplate ?? null;
      return loaded;
    } catch {
      return null;
    }
  })();
  return renderer;
}

export function templateEnv(home: SimHome): TemplateEnv {
  return {
    states: () => home.store.all(),
    getState: (id) => home.store.get(id),
    home: home.data,
    now: () => new Date(),
  };
}

/** Renders with the real renderer, or fails like a template error when it is missing. */
export async function render(home: SimHome, source: string, variables?: Record<string, unknown>): Promise<TemplateOutcome> {
  const fn = await loadRenderer();
  if (!fn) return { ok: false, error: 'TemplateError: template renderer not available', kind: 'runtime' };
  try {
    return fn(source, templateEnv(home), variables);
  } catch (err) {
    return { ok: false, error: `TemplateError: ${(err as Error).message}`, kind: 'runtime' };
  }
}

export const renderForRest = render;

/** Synchronous render once the renderer is loaded (the server preloads it at start). */
export function renderSync(home: SimHome, source: string, variables?: Record<string, unknown>, options?: RenderOptions): TemplateOutcome {
  if (!loaded) return { ok: false, error: 'TemplateError: template renderer not available', kind: 'runtime' };
  try {
    return loaded(source, templateEnv(home), variables, options);
  } catch (err) {
    return { ok: false, error: `TemplateError: ${(err as Error).message}`, kind: 'runtime' };
  }
}

/** Preloads the renderer so the first render is not slower than the rest. */
export function warmTemplates(): Promise<unknown> {
  return loadRenderer();
}
