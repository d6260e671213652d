// Automations: /api/config/automation/config/<id> (stored in automations.yaml; ids are the
// frontend's millisecond timestamps unless given), validated by validate_config and our checks.
import { configKind } from './yaml.js';

export const automationKind = configKind({
  kind: 'automation',
  article: 'an automation',
  byAttributeId: true,
  newId: () => String(Date.now()),
  parts: (c) => ({ triggers: c.triggers ?? c.trigger, conditions: c.conditions ?? c.condition, actions: c.actions ?? c.action }),
  required: [
    ['triggers', 'trigger', '[{"trigger": "state", "entity_id": "binary_sensor.door", "to": "on"}]'],
    ['actions', 'action', '[{"action": "light.turn_on", "target": {"entity_id": "light.porch"}}]'],
  ],
  strings: ['alias', 'description'],
});
