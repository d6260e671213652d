// A small registry over the demo states: two floors, three areas, two devices, one label.
import type { HomeData } from '../../sim/model.js';

const entity = (entity_id: string, device_id: string | null, area_id: string | null, labels: string[] = []) => ({
  area_id, categories: {}, config_entry_id: null, config_subentry_id: null, created_at: 0, device_id, disabled_by: null, entity_category: null,
  entity_id, has_entity_name: false, hidden_by: null, icon: null, id: entity_id, labels, modified_at: 0, name: null, options: {},
  original_name: null, platform: 'demo', translation_key: null, unique_id: entity_id,
});

export const registryHome: Partial<HomeData> = {
  floors: [
    { aliases: ['Downstairs'], created_at: 0, floor_id: 'ground_floor', icon: null, level: 0, name: 'Ground Floor', modified_at: 0 },
    { aliases: [], created_at: 0, floor_id: 'first_floor', icon: null, level: 1, name: 'First Floor', modified_at: 0 },
  ],
  areas: [
    { aliases: [], area_id: 'kitchen', floor_id: 'ground_floor', humidity_entity_id: null, icon: null, labels: [], name: 'Kitchen', picture: null, temperature_entity_id: null, created_at: 0, modified_at: 0 },
    { aliases: [], area_id: 'garden', floor_id: 'ground_floor', humidity_entity_id: null, icon: null, labels: ['outdoor'], name: 'Garden', picture: null, temperature_entity_id: null, created_at: 0, modified_at: 0 },
    { aliases: [], area_id: 'bedroom', floor_id: 'first_floor', humidity_entity_id: null, icon: null, labels: [], name: 'Bedroom', picture: null, temperature_entity_id: null, created_at: 0, modified_at: 0 },
  ],
  labels: [{ color: 'green', created_at: 0, description: null, icon: null, label_id: 'outdoor', name: 'Outdoor', modified_at: 0 }],
  devices: [
    { id: 'dev_kitchen', area_id: 'kitchen', name: 'Kitchen Hub', name_by_user: null, manufacturer: 'Acme', model: 'K1', labels: [] },
    { id: 'dev_bed', area_id: 'bedroom', name: 'Bed Lamp', name_by_user: 'Reading Lamp', manufacturer: 'Acme', model: 'B2', labels: [] },
  ],
  entities: [
    entity('light.kitchen_lights', 'dev_kitchen', null),
    entity('sensor.outside_temperature', 'dev_kitchen', 'garden', ['outdoor']),
    entity('light.bed_light', 'dev_bed', null),
    entity('switch.ac', null, 'bedroom'),
  ],
};
