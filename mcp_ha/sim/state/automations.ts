// Runs enabled automations whose state triggers match a state change, in a child context,
// after the change that triggered them (like HA's event loop would).
import type { StateChangedEvent } from './bus.js';
import { triggerAutomation } from './domains/automation.js';
import type { SimHome } from './home.js';

interface StateTrigger {
  id?: unknown;
  alias?: unknown;
  entity_id?: string | string[];
  from?: unknown;
  to?: unknown;
}

function triggersOf(config: Record<string, unknown>): StateTrigger[] {
  const raw = config.triggers ?? config.trigger;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.filter((t): t is StateTrigger => {
    const p = (t as Record<string, unknown>).trigger ?? (t as Record<string, unknown>).platform;
    return p === 'state';
  });
}

const matches = (want: unknown, value: string): boolean =>
  want === undefined || (Array.isArray(want) ? want.map(String).includes(value) : String(want) === value);

export function startAutomations(home: SimHome): () => void {
  return home.bus.listen((ev) => {
    if (ev.event_type !== 'state_changed') return;
    const { entity_id, old_state, new_state } = (ev as StateChangedEvent).data;
    if (!old_state || !new_state || old_state.state === new_state.state) return;
    for (const st of home.store.all()) {
      if (!st.entity_id.startsWith('automation.') || st.state !== 'on') continue;
      const config = home.data.automationConfigs[String(st.attributes.id)];
      if (!config) continue;
      const triggers = triggersOf(config);
      const hit = (t: StateTrigger): boolean => {
        const ids = Array.isArray(t.entity_id) ? t.entity_id : [t.entity_id];
        return ids.includes(entity_id) && matches(t.from, old_state.state) && matches(t.to, new_state.state);
      };
      const idx = triggers.findIndex(hit);
      if (idx >= 0) {
        const automationId = st.entity_id;
        const context = ev.context;
        const t = triggers[idx]!;
        const trigger = {
          description: `state of ${entity_id}`,
          variables: {
            id: String(t.id ?? idx), idx: String(idx), alias: t.alias ?? null, platform: 'state', entity_id,
            from_state: old_state, to_state: new_state, for: null, attribute: null, description: `state of ${entity_id}`,
          },
        };
        home.later(0, () => triggerAutomation({ home, entityId: automationId, context, trigger }));
      }
    }
  });
}
