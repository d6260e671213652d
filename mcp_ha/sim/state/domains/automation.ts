// Scripts, automations and scenes: on/off bookkeeping plus running their recorded actions.
import { isoNow } from '../../util/time.js';
import { reloadScenes } from '../configs.js';
import { newContext } from '../context.js';
import { runSequence } from '../script.js';
import type { DomainBehaviour, DomainCall, EntityCall } from './types.js';

function runScript(c: EntityCall | DomainCall, objectId: string): unknown {
  const home = c.home;
  const entityId = `script.${objectId}`;
  const config = home.data.scriptConfigs[objectId];
  const st = home.store.get(entityId);
  const started = isoNow();
  if (st) home.store.set(entityId, 'on', { ...st.attributes, last_triggered: started, current: 1 }, { context: c.context });
  const res = runSequence(home, config?.sequence, c.context, { ...(c.data.variables as Record<string, unknown> | undefined) });
  const after = home.store.get(entityId);
  if (after) home.store.set(entityId, 'off', { ...after.attributes, current: 0 }, { context: c.context });
  return res.response;
}

export const script: DomainBehaviour = {
  entity: {
    turn_on: (c) => void runScript(c, c.entityId.slice('script.'.length)),
    turn_off: (c) => c.update('off'),
    toggle: (c) => (c.state.state === 'on' ? c.update('off') : void runScript(c, c.entityId.slice('script.'.length))),
  },
  domain: { reload: () => undefined },
};

/** The `script.<object_id>` services (one per configured script). */
export function scriptService(objectId: string) {
  return (c: DomainCall): unknown => runScript(c, objectId);
}

/** Fires an automation: stamps last_triggered and runs its actions in a child context. */
export function triggerAutomation(c: { home: EntityCall['home']; entityId: string; context: EntityCall['context'] }): void {
  const home = c.home;
  const st = home.store.get(c.entityId);
  if (!st) return;
  const id = st.attributes.id as string | undefined;
  const config = id ? home.data.automationConfigs[id] : undefined;
  const ctx = newContext(null, c.context.id);
  home.store.set(c.entityId, st.state, { ...st.attributes, last_triggered: isoNow() }, { context: ctx });
  runSequence(home, config?.actions ?? config?.action, ctx);
}

export const automation: DomainBehaviour = {
  entity: {
    turn_on: (c) => c.update('on'),
    turn_off: (c) => c.update('off'),
    toggle: (c) => c.update(c.state.state === 'on' ? 'off' : 'on'),
    trigger: (c) => triggerAutomation(c),
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
