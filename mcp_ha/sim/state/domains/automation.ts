// Scripts, automations and scenes: on/off bookkeeping plus running their recorded actions.
import { isoNow } from '../../util/time.js';
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
  domain: { reload: () => undefined },
};

export const scene: DomainBehaviour = {
  entity: {
    turn_on: (c) => {
      // A scene's state is the time it was last activated; apply its recorded entity states.
      const config = (c.home.data.extras as { scenes?: Record<string, Record<string, { state: string }>> } | undefined)?.scenes?.[c.entityId];
      if (config) {
        for (const [id, s] of Object.entries(config)) {
          const cur = c.home.store.get(id);
          if (cur) c.home.store.set(id, s.state, cur.attributes, { context: c.context });
        }
      }
      c.update(isoNow());
    },
  },
  domain: { reload: () => undefined, apply: () => undefined, create: () => undefined },
};
