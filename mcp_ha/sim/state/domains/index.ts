// Which behaviour runs for which domain. Domains not listed still accept their recorded
// services (validated, event fired) but leave states alone, as a no-op integration would.
import { automation, scene, script } from './automation.js';
import { climate, waterHeater } from './climate.js';
import { cover, valve } from './cover.js';
import { fan } from './fan.js';
import { button, inputButton, inputDatetime, inputNumber, inputSelect, inputText, number, select, text } from './inputs.js';
import { light } from './light.js';
import { calendar, todo } from './lists.js';
import { lock, mediaPlayer } from './media.js';
import { alarmPanel, camera, notify, persistentNotification, update, vacuum, weather } from './misc.js';
import { humidifier, onOff } from './toggles.js';
import type { DomainBehaviour } from './types.js';

export const BEHAVIOURS: Record<string, DomainBehaviour> = {
  light,
  switch: onOff,
  input_boolean: onOff,
  siren: onOff,
  remote: onOff,
  humidifier,
  fan,
  cover,
  valve,
  climate,
  water_heater: waterHeater,
  media_player: mediaPlayer,
  lock,
  input_number: inputNumber,
  input_select: inputSelect,
  input_text: inputText,
  input_button: inputButton,
  input_datetime: inputDatetime,
  number,
  select,
  text,
  button,
  scene,
  script,
  automation,
  weather,
  camera,
  update,
  vacuum,
  alarm_control_panel: alarmPanel,
  persistent_notification: persistentNotification,
  notify,
  todo,
  calendar,
};
