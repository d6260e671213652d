// Scripts: /api/config/script/config/<key> (scripts.yaml, keyed by the object id, stored as sent,
// without an id); the entity is script.<key>.
import { configKind, slugify } from './yaml.js';

export const scriptKind = configKind({
  kind: 'script',
  article: 'a script',
  byAttributeId: false,
  newId: (config, cache) => {
    const base = slugify(typeof config.alias === 'string' ? config.alias : 'script');
    let id = base;
    for (let i = 2; cache.getState(`script.${id}`); i++) id = `${base}_${i}`;
    return id;
  },
  entityOf: (cache, id) => {
    for (const e of cache.entities.values()) if (e.platform === 'script' && e.entity_id === `script.${id}`) return e.entity_id;
    return cache.getState(`script.${id}`) ? `script.${id}` : undefined;
  },
  parts: (c) => ({ actions: c.sequence }),
  partPath: (k) => (k === 'actions' ? 'sequence' : k),
  required: [['sequence', undefined, '[{"action": "light.turn_on", "target": {"entity_id": "light.porch"}}]']],
  strings: ['alias', 'description'],
});
