// Per-domain attributes worth a model's tokens. The rest (supported_features bitmasks, icons,
// entity pictures, color triples in three color spaces...) stays behind ha_get_state.
import type { HaState } from '../ha/schemas.js';

const INTERESTING: Record<string, readonly string[]> = {
  light: ['brightness', 'color_mode', 'color_temp_kelvin', 'rgb_color', 'effect'],
  climate: ['current_temperature', 'temperature', 'target_temp_low', 'target_temp_high', 'hvac_action', 'hvac_modes', 'preset_mode', 'fan_mode', 'current_humidity'],
  water_heater: ['current_temperature', 'temperature', 'operation_mode', 'operation_list'],
  humidifier: ['humidity', 'current_humidity', 'mode', 'action'],
  cover: ['current_position', 'current_tilt_position'],
  valve: ['current_position'],
  fan: ['percentage', 'preset_mode', 'oscillating', 'direction'],
  media_player: ['volume_level', 'is_volume_muted', 'media_title', 'media_artist', 'source', 'source_list', 'app_name'],
  sensor: ['state_class'],
  lock: ['changed_by'],
  alarm_control_panel: ['changed_by', 'code_arm_required'],
  vacuum: ['battery_level', 'fan_speed', 'status'],
  lawn_mower: ['activity'],
  weather: ['temperature', 'humidity', 'wind_speed', 'temperature_unit'],
  person: ['source'],
  device_tracker: ['source_type', 'battery_level'],
  automation: ['id', 'last_triggered', 'mode', 'current'],
  script: ['last_triggered', 'mode', 'current'],
  input_number: ['min', 'max', 'step', 'mode'],
  number: ['min', 'max', 'step'],
  input_select: ['options'],
  select: ['options'],
  update: ['installed_version', 'latest_version'],
  timer: ['duration', 'remaining', 'finishes_at'],
  sun: ['next_rising', 'next_setting', 'elevation'],
  event: ['event_type'],
  calendar: ['message', 'start_time', 'end_time'],
};

export function interestingAttributes(state: HaState): Record<string, unknown> {
  const keys = INTERESTING[state.entity_id.slice(0, state.entity_id.indexOf('.'))];
  const out: Record<string, unknown> = {};
  if (!keys) return out;
  for (const k of keys) {
    const v = state.attributes[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  return out;
}
