// Domains whose services matter for their errors or responses more than for state:
// weather forecasts, camera snapshots, updates, vacuums, alarm panels, notifications.
import { HomeAssistantError, ServiceValidationError } from '../errors.js';
import { isoNow } from '../../util/time.js';
import { camerasOff } from '../cameraPictures.js';
import type { DomainBehaviour, EntityCall } from './types.js';

export const weather: DomainBehaviour = {
  entity: {
    get_forecasts: (c) => {
      const type = String(c.data.type);
      const recorded = c.home.data.extras?.forecasts?.[c.entityId]?.[type];
      return { forecast: recorded ?? [] };
    },
  },
};

export const camera: DomainBehaviour = {
  entity: {
    snapshot: (c) => {
      const filename = String(c.data.filename);
      const dirs = (c.home.data.config.allowlist_external_dirs as string[] | undefined) ?? [];
      if (!dirs.some((d) => filename.startsWith(`${d}/`))) {
        throw new HomeAssistantError(
          `Cannot write \`${filename}\`, no access to path; \`allowlist_external_dirs\` may need to be adjusted in \`configuration.yaml\``,
        );
      }
    },
    // As recorded (rest-camera.json): off is state idle with no picture (503), on is streaming.
    turn_on: (c) => {
      camerasOff(c.home).delete(c.entityId);
      c.update('streaming');
    },
    turn_off: (c) => {
      camerasOff(c.home).add(c.entityId);
      c.update('idle');
    },
    enable_motion_detection: (c) => c.update(undefined, { motion_detection: true }),
    disable_motion_detection: (c) => c.update(undefined, { motion_detection: false }),
  },
};

const UPDATE_INSTALL = 1;

function notSupported(c: EntityCall): never {
  throw new ServiceValidationError(
    `Entity ${c.entityId} does not support action ${c.domain}.${c.service}`,
    'service_not_supported',
    { domain: c.domain, service: c.service, entity_id: c.entityId },
    'homeassistant',
  );
}

export const update: DomainBehaviour = {
  entity: {
    install: (c) => {
      if ((Number(c.state.attributes.supported_features ?? 0) & UPDATE_INSTALL) === 0) notSupported(c);
      const latest = c.state.attributes.latest_version;
      c.update('off', { installed_version: latest, in_progress: false });
    },
    skip: (c) => c.update('off', { skipped_version: c.state.attributes.latest_version }),
    clear_skipped: (c) => c.update(undefined, { skipped_version: null }),
  },
};

export const vacuum: DomainBehaviour = {
  entity: {
    start: (c) => c.update('cleaning'),
    pause: (c) => c.update('paused'),
    stop: (c) => c.update('idle'),
    return_to_base: (c) => c.update('returning'),
    clean_spot: (c) => c.update('cleaning'),
    locate: () => undefined,
    set_fan_speed: (c) => c.update(undefined, { fan_speed: c.data.fan_speed }),
    turn_on: (c) => c.update('cleaning'),
    turn_off: (c) => c.update('off'),
    toggle: (c) => c.update(c.state.state === 'cleaning' ? 'idle' : 'cleaning'),
  },
};

const alarm = (state: string) => (c: EntityCall) => c.update(state);
export const alarmPanel: DomainBehaviour = {
  entity: {
    alarm_disarm: alarm('disarmed'),
    alarm_arm_home: alarm('armed_home'),
    alarm_arm_away: alarm('armed_away'),
    alarm_arm_night: alarm('armed_night'),
    alarm_arm_vacation: alarm('armed_vacation'),
    alarm_arm_custom_bypass: alarm('armed_custom_bypass'),
    alarm_trigger: alarm('triggered'),
  },
};

export const persistentNotification: DomainBehaviour = {
  domain: {
    create: (c) => c.home.system.createNotification(String(c.data.message), c.data.title === undefined ? null : String(c.data.title), c.data.notification_id === undefined ? undefined : String(c.data.notification_id)),
    dismiss: (c) => c.home.system.dismissNotification(String(c.data.notification_id)),
    dismiss_all: (c) => c.home.system.dismissAll(),
  },
};

export const notify: DomainBehaviour = {
  entity: { send_message: (c) => c.update(isoNow()) },
};
