// Scripts, automations and scenes: on/off bookkeeping plus running their recorded actions.
import { isoNow } from '../../util/time.js';
import { reloadScenes } from '../configs.js';
import { newContext } from '../context.js';
import { failedCondition } from '../conditions.js';
import { runSequence, SequenceFailure } from '../script.js';
import type { DomainBehaviour, DomainCall, EntityCall } from './types.js';

function runScript(c: EntityCall | DomainCall, objectId: string, raise: boolean): unknown {
  const home = c.home;
  const entityId = `script.${objectId}`;
  const config = home.data.scriptConfigs[objectId];
  const st = home.store.get(entityId);
  const started = isoNow();
  const run = home.traces.start('script', objectId, config, c.context);
  if (st) home.store.set(entityId, 'on', { ...st.attributes, last_triggered: started, current: 1 }, { context: c.context });
  try {
    const res = runSequence(home, config?.sequence, c.context, { ...(c.data.variables as Record<string, unknown> | undefined) }, { run, prefix: 'sequence' });
    run.finish(res.execution, res.error);
    return res.response;
  } catch (err) {
    if (!(err instanceof SequenceFailure)) throw err;
    run.finish('error', err.message);
    const alias = String(config?.alias ?? objectId);
    home.system.record({ name: `homeassistant.components.script.${objectId}`, level: 'ERROR', source: ['helpers/script.py', 525], message: `${alias}: Error executing script. Error for ${err.kind} at pos ${err.index + 1}: ${err.message}` });
    // script.<name> waits for the script and gets its error; script.turn_on runs it in the background.
    if (raise) throw err.failure;
    return null;
  } finally {
    const after = home.store.get(entityId);
    if (after) home.store.set(entityId, 'off', { ...after.attributes, current: 0 }, { context: c.context });
  }
}

export const script: DomainBehaviour = {
  entity: {
    turn_on: (c) => void runScript(c, c.entityId.slice('script.'.length), false),
    turn_off: (c) => c.update('off'),
    toggle: (c) => (c.state.state === 'on' ? c.update('off') : void runScript(c, c.entityId.slice('script.'.length), false)),
  },
  domain: { reload: () => undefined },
};

/** The `script.<object_id>` services (one per configured script). */
export function scriptService(objectId: string) {
  return (c: DomainCall): unknown => runScript(c, objectId, true);
}

/** What started an automation run: the trigger variables and their description. */
export interface AutomationTrigger {
  variables: Record<string, unknown>;
  description: string | null;
}

/**
 * Fires an automation: stamps last_triggered and runs its actions in a child context, recording
 * a trace. Conditions are judged unless skipped (automation.trigger skips them by default). A
 * failing action ends the run with an error in the trace and the system log, never for the caller.
 */
export function triggerAutomation(c: { home: EntityCall['home']; entityId: string; context: EntityCall['context']; trigger?: AutomationTrigger; skipCondition?: boolean }): void {
  const home = c.home;
  const st = home.store.get(c.entityId);
  if (!st) return;
  const id = st.attributes.id as string | undefined;
  const config = id ? home.data.automationConfigs[id] : undefined;
  const ctx = newContext(null, c.context.id);
  const run = id ? home.traces.start('automation', id, config, ctx, c.trigger?.description ?? null) : undefined;
  run?.step('trigger', { changed_variables: { this: st, trigger: c.trigger?.variables ?? { platform: null } } });
  if (!c.skipCondition && failedCondition(home, config?.conditions ?? config?.condition, 'condition', run) >= 0) {
    run?.finish('failed_conditions');
    return;
  }
  home.store.set(c.entityId, st.state, { ...st.attributes, last_triggered: isoNow() }, { context: ctx });
  try {
    const res = runSequence(home, config?.actions ?? config?.action, ctx, {}, run ? { run, prefix: 'action' } : undefined);
    run?.finish(res.execution, res.error);
  } catch (err) {
    if (!(err instanceof SequenceFailure)) throw err;
    run?.finish('error', err.message);
    const alias = String(config?.alias ?? id);
    const objectId = c.entityId.slice('automation.'.length);
    home.system.record({ name: `homeassistant.components.automation.${objectId}`, level: 'ERROR', source: ['helpers/script.py', 525], message: `${alias}: Error executing script. Error for ${err.kind} at pos ${err.index + 1}: ${err.message}` });
    home.system.record({ name: `homeassistant.components.automation.${objectId}`, level: 'ERROR', source: ['components/automation/__init__.py', 770], message: `Error while executing automation ${c.entityId}: ${err.message}` });
  }
}

export const automation: DomainBehaviour = {
  entity: {
    turn_on: (c) => c.update('on'),
    turn_off: (c) => c.update('off'),
    toggle: (c) => c.update(c.state.state === 'on' ? 'off' : 'on'),
    trigger: (c) => triggerAutomation({ ...c, skipCondition: c.data.skip_condition !== false }),
  },
  // automations.yaml is the in-memory store: a reload changes nothing, but fires its event.
  domain: { reload: (c) => void c.home.bus.fire('automation_reloaded', {}, c.context) },
};

/** One entity of a scene: "on"/"off" (or {state, ...attributes}) through the entity's own turn_on/turn_off. */
function applySceneState(c: EntityCall, entityId: string, want: unknown): void {
  const cur = c.home.store.get(entityId);
  if (!cur) return;
  const spec = (typeof want === 'object' && want !== null ? want : { state: want }) as Record<string, unknown>;
  const { state, ...attrs } = spec;
  const domain = entityId.slice(0, entityId.indexOf('.'));
  const service = state === 'on' ? 'turn_on' : state === 'off' ? 'turn_off' : undefined;
  if (service && c.home.services[domain]?.[service]) {
    const data = service === 'turn_on' && domain === 'light' ? { entity_id: entityId, ...attrs } : { entity_id: entityId };
    c.home.callService({ domain, service, data, context: c.context, fromScript: true });
  } else if (typeof state === 'string') c.home.store.set(entityId, state, { ...cur.attributes, ...attrs }, { context: c.context });
}

export const scene: DomainBehaviour = {
  entity: {
    turn_on: (c) => {
      // A scene's state is the time it was last activated; its entities get their states from scenes.yaml.
      const id = c.state.attributes.id;
      const config = typeof id === 'string' ? (c.home.data.sceneConfigs?.[id]?.entities as Record<string, unknown> | undefined) : undefined;
      for (const [eid, want] of Object.entries(config ?? {})) applySceneState(c, eid, want);
      c.update(isoNow());
    },
  },
  domain: { reload: (c) => reloadScenes(c.home, c.context), apply: () => undefined, create: () => undefined },
};
