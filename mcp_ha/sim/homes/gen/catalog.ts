// What a generated home is made of: device kinds (with their entities and makers) and the
// rooms they go in.
import * as s from './shapes.js';
import type { Shape } from './shapes.js';

export interface EntityKind {
  domain: string;
  /** The entity's own name under its device; null for the device's main feature. */
  name: string | null;
  shape: Shape;
  category?: 'diagnostic' | 'config';
  translationKey?: string;
  /** Counts toward the energy dashboard's device consumption. */
  consumption?: true;
}

export interface DeviceKind {
  /** Device names are "<Area> <name>" ("Kitchen Ceiling Light"). */
  names: readonly string[];
  integration: string;
  manufacturer: string;
  models: readonly string[];
  entities: readonly EntityKind[];
  labels?: readonly string[];
  /** Zigbee/Z-Wave style devices hang off a hub device. */
  viaHub?: true;
}

const batteryEntity: EntityKind = { domain: 'sensor', name: 'Battery', shape: s.battery, category: 'diagnostic' };

const contact = (deviceClass: 'door' | 'window', names: string[]): DeviceKind => ({
  names, integration: 'zha', manufacturer: 'LUMI', models: ['Aqara door & window contact sensor'], viaHub: true, labels: ['battery_powered', 'security'],
  entities: [{ domain: 'binary_sensor', name: null, shape: s.binarySensor(deviceClass, 0.12) }, batteryEntity],
});

const plug = (names: string[], watts: number): DeviceKind => ({
  names, integration: 'shelly', manufacturer: 'Shelly', models: ['Shelly Plug S', 'Shelly Plus Plug S'], labels: ['energy'],
  entities: [
    { domain: 'switch', name: null, shape: s.outlet },
    { domain: 'sensor', name: 'Power', shape: s.power(watts) },
    { domain: 'sensor', name: 'Energy', shape: s.energy(400), consumption: true },
  ],
});

export const KINDS = {
  ceiling: {
    names: ['Ceiling Light', 'Spotlights', 'Pendant Light'], integration: 'hue', manufacturer: 'Signify Netherlands B.V.',
    models: ['Hue White Ambiance', 'Hue White Ambiance GU10'], viaHub: true,
    entities: [{ domain: 'light', name: null, shape: s.tunableLight }, { domain: 'update', name: 'Firmware', shape: s.firmware('Philips Lamps Firmware'), category: 'config' }],
  },
  lamp: {
    names: ['Floor Lamp', 'Table Lamp', 'Light Strip', 'Wall Light'], integration: 'hue', manufacturer: 'Signify Netherlands B.V.',
    models: ['Hue color lamp', 'Hue lightstrip plus'], viaHub: true,
    entities: [{ domain: 'light', name: null, shape: s.colorLight }, { domain: 'update', name: 'Firmware', shape: s.firmware('Philips Lamps Firmware'), category: 'config' }],
  },
  bedside: {
    names: ['Bedside Lamp'], integration: 'tradfri', manufacturer: 'IKEA of Sweden', models: ['TRADFRI bulb E27 CWS 806lm'],
    entities: [{ domain: 'light', name: null, shape: s.colorLight }],
  },
  motion: {
    names: ['Motion', 'Presence'], integration: 'zha', manufacturer: 'LUMI', models: ['Aqara motion sensor P1'], viaHub: true, labels: ['battery_powered'],
    entities: [
      { domain: 'binary_sensor', name: null, shape: s.binarySensor('motion', 0.2) },
      { domain: 'sensor', name: 'Illuminance', shape: s.illuminance },
      batteryEntity,
    ],
  },
  climateSensor: {
    names: ['Climate Sensor'], integration: 'zha', manufacturer: 'LUMI', models: ['Aqara temperature and humidity sensor'], viaHub: true, labels: ['battery_powered'],
    entities: [
      { domain: 'sensor', name: 'Temperature', shape: s.temperature },
      { domain: 'sensor', name: 'Humidity', shape: s.humidity },
      batteryEntity,
    ],
  },
  thermostat: {
    names: ['Thermostat'], integration: 'tado', manufacturer: 'tado°', models: ['Smart Thermostat V3+'],
    entities: [
      { domain: 'climate', name: null, shape: s.thermostat },
      { domain: 'sensor', name: 'Temperature', shape: s.temperature },
      { domain: 'sensor', name: 'Humidity', shape: s.humidity },
    ],
  },
  door: contact('door', ['Door', 'Back Door', 'Side Door']),
  window: contact('window', ['Window', 'Skylight', 'Balcony Door']),
  lock: {
    names: ['Door Lock'], integration: 'zwave_js', manufacturer: 'Yale', models: ['Assure Lock 2'], viaHub: true, labels: ['security', 'battery_powered'],
    entities: [{ domain: 'lock', name: null, shape: s.lock }, batteryEntity],
  },
  smoke: {
    names: ['Smoke Detector'], integration: 'zha', manufacturer: 'Heiman', models: ['Smoke Sensor HS1SA'], viaHub: true, labels: ['critical', 'battery_powered'],
    entities: [{ domain: 'binary_sensor', name: null, shape: s.binarySensor('smoke', 0) }, batteryEntity],
  },
  leak: {
    names: ['Leak Sensor'], integration: 'zha', manufacturer: 'LUMI', models: ['Aqara water leak sensor'], viaHub: true, labels: ['critical', 'battery_powered'],
    entities: [{ domain: 'binary_sensor', name: null, shape: s.binarySensor('moisture', 0.02) }, batteryEntity],
  },
  blinds: {
    names: ['Blinds', 'Curtains', 'Shutter'], integration: 'somfy_mylink', manufacturer: 'Somfy', models: ['Sonesse 30 WireFree'],
    entities: [{ domain: 'cover', name: null, shape: s.blinds }],
  },
  garage: {
    names: ['Garage Door'], integration: 'ratgdo', manufacturer: 'Chamberlain', models: ['myQ Garage Door Opener'],
    entities: [{ domain: 'cover', name: null, shape: s.garageDoor }],
  },
  fan: {
    names: ['Ceiling Fan', 'Extractor Fan'], integration: 'bond', manufacturer: 'Hunter', models: ['Signal Ceiling Fan'],
    entities: [{ domain: 'fan', name: null, shape: s.fan }],
  },
  tv: {
    names: ['TV'], integration: 'samsungtv', manufacturer: 'Samsung', models: ['QE55Q80C', 'UE50CU7100'],
    entities: [{ domain: 'media_player', name: null, shape: s.tv }],
  },
  speaker: {
    names: ['Speaker'], integration: 'sonos', manufacturer: 'Sonos', models: ['One SL', 'Era 100', 'Five'],
    entities: [{ domain: 'media_player', name: null, shape: s.speaker }],
  },
  fairyLights: {
    names: ['Fairy Lights', 'Garden Lights'], integration: 'tplink', manufacturer: 'TP-Link', models: ['HS100'],
    entities: [{ domain: 'switch', name: null, shape: s.assumedSwitch }],
  },
  vacuum: {
    names: ['Robot Vacuum'], integration: 'roborock', manufacturer: 'Roborock', models: ['S8 Pro Ultra'],
    entities: [{ domain: 'vacuum', name: null, shape: s.vacuum }, batteryEntity],
  },
  tvPlug: plug(['TV Plug', 'Media Plug'], 180),
  kitchenPlug: plug(['Coffee Machine Plug', 'Dishwasher Plug', 'Fridge Plug', 'Kettle Plug'], 2000),
  officePlug: plug(['Desk Plug', 'Monitor Plug'], 300),
  laundryPlug: plug(['Washing Machine Plug', 'Dryer Plug'], 2200),
  garagePlug: plug(['Freezer Plug', 'EV Charger Plug'], 3500),
} satisfies Record<string, DeviceKind>;

export type KindId = keyof typeof KINDS;

export interface RoomType {
  name: string;
  icon: string;
  outdoor?: true;
  /** Devices in the order a room of this type gets them; the list repeats for very big homes. */
  devices: readonly KindId[];
  aliases?: readonly string[];
}

const R = (name: string, icon: string, devices: KindId[], extra: Partial<RoomType> = {}): RoomType => ({ name, icon, devices, ...extra });

const ROOMS = {
  living: R('Living Room', 'mdi:sofa', ['ceiling', 'lamp', 'tv', 'motion', 'climateSensor', 'window', 'speaker', 'blinds', 'tvPlug', 'lamp', 'thermostat', 'fan'], { aliases: ['Lounge'] }),
  kitchen: R('Kitchen', 'mdi:stove', ['ceiling', 'lamp', 'kitchenPlug', 'motion', 'leak', 'smoke', 'window', 'speaker', 'kitchenPlug', 'climateSensor']),
  dining: R('Dining Room', 'mdi:table-chair', ['ceiling', 'lamp', 'window', 'climateSensor', 'blinds', 'speaker']),
  hallway: R('Hallway', 'mdi:door', ['ceiling', 'motion', 'door', 'lock', 'smoke', 'thermostat']),
  office: R('Office', 'mdi:desk', ['ceiling', 'lamp', 'officePlug', 'climateSensor', 'window', 'blinds', 'speaker', 'motion']),
  garage: R('Garage', 'mdi:garage', ['ceiling', 'garage', 'door', 'garagePlug', 'motion', 'smoke']),
  garden: R('Garden', 'mdi:flower', ['fairyLights', 'motion', 'climateSensor', 'lamp'], { outdoor: true, aliases: ['Backyard'] }),
  patio: R('Patio', 'mdi:umbrella-beach', ['lamp', 'fairyLights', 'motion'], { outdoor: true }),
  driveway: R('Driveway', 'mdi:car', ['lamp', 'motion'], { outdoor: true }),
  bedroom: R('Bedroom', 'mdi:bed', ['ceiling', 'bedside', 'blinds', 'climateSensor', 'window', 'speaker', 'fan', 'bedside', 'motion']),
  master: R('Master Bedroom', 'mdi:bed-king', ['ceiling', 'bedside', 'bedside', 'blinds', 'climateSensor', 'window', 'tv', 'speaker', 'fan']),
  kids: R('Kids Room', 'mdi:teddy-bear', ['ceiling', 'lamp', 'climateSensor', 'window', 'blinds', 'motion']),
  guest: R('Guest Room', 'mdi:bed-single', ['ceiling', 'bedside', 'window', 'climateSensor', 'blinds']),
  bathroom: R('Bathroom', 'mdi:shower', ['ceiling', 'leak', 'climateSensor', 'motion', 'fan', 'window']),
  laundry: R('Laundry Room', 'mdi:washing-machine', ['ceiling', 'laundryPlug', 'leak', 'laundryPlug', 'motion']),
  utility: R('Utility Room', 'mdi:water-boiler', ['ceiling', 'leak', 'smoke', 'climateSensor']),
  gym: R('Gym', 'mdi:dumbbell', ['ceiling', 'tv', 'speaker', 'climateSensor', 'fan']),
  storage: R('Storage Room', 'mdi:package-variant', ['ceiling', 'motion', 'leak']),
  landing: R('Hallway', 'mdi:stairs', ['ceiling', 'motion', 'smoke', 'vacuum']),
} satisfies Record<string, RoomType>;

export interface FloorType {
  name: string;
  level: number;
  icon: string;
  /** How area names are told apart across floors ("Upstairs Bathroom"). */
  adjective: string;
  aliases: readonly string[];
  rooms: readonly RoomType[];
}

const upper = (n: number, word: string): FloorType => ({
  name: `${word} Floor`, level: n, icon: `mdi:home-floor-${Math.min(n, 3)}`, adjective: `${word} Floor`, aliases: [],
  rooms: [ROOMS.bedroom, ROOMS.bathroom, ROOMS.office, ROOMS.landing, ROOMS.guest, ROOMS.kids, ROOMS.gym],
});

/** Floors in the order a growing home gets them. */
export const FLOORS: readonly FloorType[] = [
  { name: 'Ground Floor', level: 0, icon: 'mdi:home-floor-0', adjective: 'Downstairs', aliases: ['Downstairs'],
    rooms: [ROOMS.living, ROOMS.kitchen, ROOMS.hallway, ROOMS.dining, ROOMS.office, ROOMS.garage, ROOMS.garden, ROOMS.patio, ROOMS.driveway, ROOMS.bathroom] },
  { name: 'First Floor', level: 1, icon: 'mdi:home-floor-1', adjective: 'Upstairs', aliases: ['Upstairs'],
    rooms: [ROOMS.master, ROOMS.bedroom, ROOMS.kids, ROOMS.bathroom, ROOMS.landing, ROOMS.guest, ROOMS.office] },
  { name: 'Basement', level: -1, icon: 'mdi:home-floor-negative-1', adjective: 'Basement', aliases: ['Cellar'],
    rooms: [ROOMS.laundry, ROOMS.utility, ROOMS.storage, ROOMS.gym] },
  upper(2, 'Second'), upper(3, 'Third'), upper(4, 'Fourth'), upper(5, 'Fifth'), upper(6, 'Sixth'), upper(7, 'Seventh'), upper(8, 'Eighth'),
  { name: 'Attic', level: 9, icon: 'mdi:home-roof', adjective: 'Attic', aliases: ['Loft'], rooms: [ROOMS.storage, ROOMS.bedroom, ROOMS.bathroom] },
];

export const LABELS = [
  { label_id: 'critical', name: 'Critical', color: 'red', icon: 'mdi:alert', description: 'Needs attention at once' },
  { label_id: 'battery_powered', name: 'Battery Powered', color: 'amber', icon: 'mdi:battery', description: null },
  { label_id: 'security', name: 'Security', color: 'indigo', icon: 'mdi:shield-home', description: 'Doors, windows and locks' },
  { label_id: 'energy', name: 'Energy', color: 'green', icon: 'mdi:lightning-bolt', description: null },
  { label_id: 'outdoor', name: 'Outdoor', color: 'light-green', icon: 'mdi:tree', description: null },
  { label_id: 'night_mode', name: 'Night Mode', color: 'deep-purple', icon: 'mdi:weather-night', description: 'Runs at night' },
] as const;

/** Entity aliases models might use ("big light"). */
export const LIGHT_ALIASES = ['Big Light', 'Main Light', 'Top Light'];

export const PEOPLE = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Robin', 'Charlie'];
