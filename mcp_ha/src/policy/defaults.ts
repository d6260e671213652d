// The default service policy: what an AI may call out of the box, and what needs a human's yes.

export const DEFAULT_ALLOWED_SERVICES: readonly string[] = [
  'light.turn_on', 'light.turn_off', 'light.toggle',
  'switch.turn_on', 'switch.turn_off', 'switch.toggle',
  'climate.set_temperature', 'climate.set_hvac_mode', 'climate.turn_on', 'climate.turn_off',
  'cover.open_cover', 'cover.close_cover', 'cover.stop_cover', 'cover.set_cover_position',
  'fan.turn_on', 'fan.turn_off', 'fan.toggle', 'fan.set_percentage',
  'media_player.turn_on', 'media_player.turn_off', 'media_player.toggle', 'media_player.volume_set',
  'media_player.media_play', 'media_player.media_pause', 'media_player.media_stop',
  'scene.turn_on',
  'script.turn_on',
  'automation.trigger', 'automation.turn_on', 'automation.turn_off',
  'input_boolean.turn_on', 'input_boolean.turn_off', 'input_boolean.toggle',
  'input_number.set_value',
  'input_select.select_option',
  'input_text.set_value',
  // Config edits (ha_config, toolset `config`, off unless listed): config.<kind>_<create|update|delete>.
  'config.*',
];

/** Always confirmed, whatever the options say; garage/gate/door covers are added per entity by the policy. */
export const SENSITIVE_SERVICES: readonly string[] = [
  'lock.unlock', 'lock.open',
  'alarm_control_panel.alarm_disarm',
  'homeassistant.restart', 'homeassistant.stop',
];

export const DEFAULT_CONFIRMATION_TIMEOUT_SECONDS = 120;
