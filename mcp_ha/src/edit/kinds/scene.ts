// Scenes: /api/config/scene/config/<id> (scenes.yaml): a name and the states of its entities.
import type { Problem } from '../kind.js';
import { configKind } from './yaml.js';

export const sceneKind = configKind({
  kind: 'scene',
  article: 'a scene',
  byAttributeId: true,
  newId: () => String(Date.now()),
  sceneEntities: true,
  required: [],
  strings: ['name'],
  extraShape: (c) => {
    const problems: Problem[] = [];
    const e = c.entities;
    if (e === undefined) problems.push({ path: 'entities', message: 'required: entities, a mapping such as {"light.kitchen": {"state": "on", "brightness": 200}, "switch.fan": "off"}' });
    else if (typeof e !== 'object' || e === null || Array.isArray(e)) problems.push({ path: 'entities', message: 'entities must be a mapping of entity id to its state, e.g. {"switch.fan": "off"}' });
    else if (!Object.keys(e).length) problems.push({ path: 'entities', message: 'entities is empty; name at least one entity and its state' });
    return problems;
  },
});
