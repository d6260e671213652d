// State builders per entity kind. Each yields attributes with exactly the keys, in the order,
// that the recorded demo home's entity of the same kind has (named beside each builder).
import type { Rng } from './random.js';

export type Attrs = Record<string, unknown>;
export interface Built {
  state: string;
  attributes: Attrs;
}
export type Shape = (r: Rng, name: string) => Built;

const MIREDS = { min_color_temp_kelvin: 2000, max_color_temp_kelvin: 6535, min_mireds: 153, max_mireds: 500 };

/** light.ceiling_lights: colour temperature and hue, no effects. */
export const tunableLight: Shape = (r, name) => {
  const on = r.chance(0.35);
  const kelvin = r.pick([2700, 3000, 4000]);
  return {
    state: on ? 'on' : 'off',
    attributes: {
      ...MIREDS, supported_color_modes: ['color_temp', 'hs'], color_mode: on ? 'color_temp' : null,
      brightness: on ? r.int(40, 255) : null, color_temp_kelvin: on ? kelvin : null, color_temp: on ? Math.round(1e6 / kelvin) : null,
      hs_color: on ? [30.5, kelvin === 2700 ? 55.2 : kelvin === 3000 ? 47.6 : 25.7] : null,
      rgb_color: on ? [255, 166 + (kelvin - 2700) / 20, 87 + (kelvin - 2700) / 10] : null,
      xy_color: on ? [0.46, 0.41] : null, friendly_name: name, supported_features: 0,
    },
  };
};

/** light.bed_light: colour light with effects. */
export const colorLight: Shape = (r, name) => {
  const on = r.chance(0.35);
  const hue = r.int(0, 359);
  return {
    state: on ? 'on' : 'off',
    attributes: {
      ...MIREDS, effect_list: ['rainbow', 'candle', 'off'], supported_color_modes: ['color_temp', 'hs'],
      effect: on ? 'off' : null, color_mode: on ? 'hs' : null, brightness: on ? r.int(40, 255) : null,
      color_temp_kelvin: null, color_temp: null, hs_color: on ? [hue, 80] : null,
      rgb_color: on ? [255, Math.round(255 * (1 - hue / 720)), 51] : null, xy_color: on ? [0.55, 0.38] : null,
      friendly_name: name, supported_features: 4,
    },
  };
};

/** binary_sensor.basement_floor_wet. */
export function binarySensor(deviceClass: string, onChance: number): Shape {
  return (r, name) => ({ state: r.chance(onChance) ? 'on' : 'off', attributes: { device_class: deviceClass, friendly_name: name } });
}

/** sensor.outside_humidity: state_class, unit, device_class. */
export function measurement(deviceClass: string, unit: string, value: (r: Rng) => number, stateClass = 'measurement'): Shape {
  return (r, name) => ({
    state: String(value(r)),
    attributes: { state_class: stateClass, unit_of_measurement: unit, device_class: deviceClass, friendly_name: name },
  });
}

/** About one battery in ten is low, so an attention overview has something to show. */
export const battery = measurement('battery', '%', (r) => (r.chance(0.1) ? r.int(2, 14) : r.int(20, 100)));
export const temperature = measurement('temperature', '°C', (r) => r.float(17, 24));
export const humidity = measurement('humidity', '%', (r) => r.int(35, 65));
export const illuminance = measurement('illuminance', 'lx', (r) => r.int(0, 800));
export const power = (max: number) => measurement('power', 'W', (r) => r.float(0, max, 1));
export const energy = (max: number) => measurement('energy', 'kWh', (r) => r.float(1, max, 3), 'total_increasing');

/** switch.ac. */
export const outlet: Shape = (r, name) => ({ state: r.chance(0.6) ? 'on' : 'off', attributes: { device_class: 'outlet', friendly_name: name } });

/** switch.decorative_lights. */
export const assumedSwitch: Shape = (r, name) => ({ state: r.chance(0.3) ? 'on' : 'off', attributes: { assumed_state: true, friendly_name: name } });

/** climate.heatpump. */
export const thermostat: Shape = (r, name) => {
  const heating = r.chance(0.5);
  return {
    state: r.chance(0.85) ? 'heat' : 'off',
    attributes: {
      hvac_modes: ['heat', 'off'], min_temp: 7, max_temp: 35, current_temperature: r.float(18, 22),
      temperature: r.pick([19, 20, 20.5, 21]), hvac_action: heating ? 'heating' : 'idle', friendly_name: name, supported_features: 385,
    },
  };
};

/** cover.hall_window: position only. */
export const blinds: Shape = (r, name) => {
  const pos = r.pick([0, 0, 100, 100, 50, r.int(1, 99)]);
  return { state: pos === 0 ? 'closed' : 'open', attributes: { current_position: pos, friendly_name: name, supported_features: 15 } };
};

/** cover.garage_door. */
export const garageDoor: Shape = (r, name) => ({
  state: r.chance(0.15) ? 'open' : 'closed', attributes: { device_class: 'garage', friendly_name: name, supported_features: 3 },
});

/** lock.front_door. */
export const lock: Shape = (r, name) => ({ state: r.chance(0.2) ? 'unlocked' : 'locked', attributes: { friendly_name: name, supported_features: 0 } });

/** fan.living_room_fan. */
export const fan: Shape = (r, name) => {
  const on = r.chance(0.25);
  return {
    state: on ? 'on' : 'off',
    attributes: {
      preset_modes: ['auto', 'smart', 'sleep', 'on'], direction: 'forward', oscillating: false,
      percentage: on ? r.pick([33, 67, 100]) : null, percentage_step: 33.333333333333336, preset_mode: null, friendly_name: name, supported_features: 55,
    },
  };
};

/** media_player.browse: a speaker. */
export const speaker: Shape = (r, name) => ({
  state: r.pick(['idle', 'idle', 'playing', 'paused']),
  attributes: { volume_level: r.float(0.1, 0.6, 2), is_volume_muted: false, sound_mode: 'Music', shuffle: false, friendly_name: name, supported_features: 131072 },
});

const SHOWS = ['Nature Documentary', 'Evening News', 'Cooking Show', 'Football Highlights', 'Movie Night'];

/** media_player.living_room: a TV with something on. */
export const tv: Shape = (r, name) => {
  const token = r.hexId() + r.hexId();
  return {
    state: r.pick(['playing', 'paused']),
    attributes: {
      sound_mode_list: ['Music', 'Movie'], volume_level: r.float(0.1, 0.5, 2), is_volume_muted: false,
      media_content_id: r.hexId().slice(0, 11), media_content_type: 'movie', media_duration: 3600, media_position: r.int(0, 3600),
      media_title: r.pick(SHOWS), app_name: r.pick(['YouTube', 'Netflix', 'Plex']), sound_mode: 'Movie', shuffle: false,
      entity_picture: `/api/media_player_proxy/media_player.tv?token=${token}&cache=${token.slice(0, 16)}`,
      friendly_name: name, supported_features: 119695,
    },
  };
};

/** vacuum.demo_vacuum_0_ground_floor. */
export const vacuum: Shape = (r, name) => ({
  state: r.pick(['docked', 'docked', 'cleaning', 'returning']),
  attributes: { fan_speed_list: ['min', 'medium', 'high', 'max'], fan_speed: 'medium', cleaned_area: r.int(0, 60), friendly_name: name, supported_features: 16316 },
});

/** update.demo_living_room_bulb_update: firmware, sometimes with an update waiting. */
export function firmware(title: string): Shape {
  return (r, name) => {
    const pending = r.chance(0.15);
    const minor = r.int(10, 60);
    return {
      state: pending ? 'on' : 'off',
      attributes: {
        auto_update: false, display_precision: 0, installed_version: `1.${minor}.0`, in_progress: false,
        latest_version: pending ? `1.${minor + 1}.0` : `1.${minor}.0`, release_summary: null, release_url: null, skipped_version: null,
        title, update_percentage: null, device_class: 'firmware', entity_picture: 'https://brands.home-assistant.io/_/hue/icon.png',
        friendly_name: name, supported_features: 11,
      },
    };
  };
}

/** device_tracker.demo_paulus. */
export const phoneTracker: Shape = (r, name) => {
  const home = r.chance(0.6);
  return {
    state: home ? 'home' : r.pick(['not_home', 'Work']),
    attributes: {
      source_type: 'gps', latitude: home ? 52.3731 : r.float(52.3, 52.4, 6), longitude: home ? 4.8922 : r.float(4.8, 4.95, 6),
      gps_accuracy: r.int(5, 60), battery: r.int(15, 100), friendly_name: name,
    },
  };
};

/** weather.demo_weather_south. */
export const weather: Shape = (r, name) => ({
  state: r.pick(['sunny', 'cloudy', 'partlycloudy', 'rainy']),
  attributes: {
    temperature: r.float(2, 24), temperature_unit: '°C', humidity: r.int(40, 95), pressure: r.int(990, 1030), pressure_unit: 'hPa',
    wind_speed: r.float(0, 30), wind_speed_unit: 'km/h', visibility_unit: 'km', precipitation_unit: 'mm',
    attribution: 'Powered by Home Assistant', friendly_name: name, supported_features: 1,
  },
});
