// Home Assistant's housekeeping state: the system log (system_log/list: WARNING and up, grouped
// by logger and source, the last 5 messages each), the log file behind GET /api/error_log,
// persistent notifications, repairs, system_health and the integrations (integrations.ts). The demo home starts from what ws-system.json recorded
// (sim/data/system.json) and its recorded log head; generated homes get a plausible past made
// from their own integrations, the same for the same home. Anything recorded later (an
// automation's failing action, sim.system.log) lands in both logs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HomeData } from '../model.js';
import { isoFromMicros, isoNow, nowMicros } from '../util/time.js';
import { hexId } from '../util/ids.js';
import { Integrations } from './integrations.js';

type Dict = Record<string, unknown>;

export interface LogRecord {
  name: string;
  level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
  message: string;
  source?: [string, number];
  exception?: string;
  /** Epoch seconds; default now. */
  timestamp?: number;
}

interface Entry {
  name: string;
  message: string[];
  level: string;
  source: [string, number];
  timestamp: number;
  exception: string;
  count: number;
  first_occurred: number;
}

export interface Notification {
  message: string;
  notification_id: string;
  title: string | null;
  created_at: string;
}

export type NotificationListener = (type: 'added' | 'removed', items: Notification[]) => void;

const here = dirname(fileURLToPath(import.meta.url));
interface Recorded {
  systemLog: Entry[];
  notifications: Notification[];
  /** system_health/info's initial data: {domain: {info, manage_url?}}. */
  systemHealth: Record<string, { info: Dict; manage_url?: string }>;
}
let recorded: Recorded | undefined;
const recordedSystem = () => (recorded ??= JSON.parse(readFileSync(join(here, '..', 'data', 'system.json'), 'utf8')) as Recorded);

/** HA's system_log keeps 50 groups and the last 5 messages of each. */
const MAX_ENTRIES = 50;
const MAX_MESSAGES = 5;

export class SystemState {
  private readonly entries = new Map<string, Entry>();
  private log = '';
  readonly notifications = new Map<string, Notification>();
  readonly repairs: Dict[];
  /** POST /api/config/core/check_config's answer (sim.system.setCheckConfig changes it). */
  checkConfig: { result: 'valid' | 'invalid'; errors: string | null; warnings: string | null } = { result: 'valid', errors: null, warnings: null };
  private readonly listeners = new Set<NotificationListener>();
  private readonly format: Intl.DateTimeFormat;
  readonly integrations: Integrations;
  /** When the recorder's current run began (this simulator's start). */
  private readonly startedUs = nowMicros();

  constructor(private readonly data: HomeData) {
    this.integrations = new Integrations(data);
    const tz = typeof data.config.time_zone === 'string' ? data.config.time_zone : 'UTC';
    this.format = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    const nowS = nowMicros() / 1e6;
    if (data.extras?.errorLog !== undefined && !data.extras.synthetic) {
      // The demo: the recorded system log and notifications, moved so that the newest is two minutes old.
      const rec = structuredClone(recordedSystem());
      const newest = Math.max(...rec.systemLog.map((e) => e.timestamp));
      const shift = nowS - 120 - newest;
      for (const e of [...rec.systemLog].reverse()) {
        e.timestamp += shift;
        e.first_occurred += shift;
        this.entries.set(keyOf(e.name, e.source, e.exception), e);
      }
      const newestNote = Math.max(...rec.notifications.map((n) => Date.parse(n.created_at)));
      for (const n of rec.notifications) {
        const us = (Date.parse(n.created_at) + (nowS - 300) * 1000 - newestNote) * 1000 + Number(n.created_at.slice(23, 26));
        this.notifications.set(n.notification_id, { ...n, created_at: isoFromMicros(us) });
      }
      this.repairs = data.extras.repairs ?? [];
      // The recording kept the log's first 500 characters, cut in a word; the rest is made up.
      this.log = `${data.extras.errorLog}dress detection may be inaccurate\n`;
      pastLog(this, data, nowS, 120, false);
      // The recorded system log's messages, in the file too (the system log keeps only their last 5).
      const lines = rec.systemLog.flatMap((e) => e.message.map((m, i) => ({ e, m, at: e.first_occurred + ((e.timestamp - e.first_occurred) * (i + 1)) / e.message.length })));
      for (const { e, m, at } of lines.sort((a, b) => a.at - b.at)) {
        this.log += `${this.stamp(at)} ${e.level} (MainThread) [${e.name}] ${m}\n${e.exception ? `${e.exception}\n` : ''}`;
      }
    } else {
      this.repairs = data.extras?.repairs ?? generatedRepairs(data);
      for (const n of generatedNotifications(nowS)) this.notifications.set(n.notification_id, n);
      this.log = bootLines(this, nowS - 10 * 3600);
      pastLog(this, data, nowS, Math.max(60, Math.min(1500, Math.round(data.states.length * 0.75))), true);
    }
  }

  /** "2026-12-01 19:56:03.123" on the home's clock, as HA's log file writes times. */
  stamp(epochS: number): string {
    const ms = Math.floor((epochS % 1) * 1000);
    return `${this.format.format(new Date(epochS * 1000))}.${String(ms).padStart(3, '0')}`;
  }

  /** A log record, as a logger call would make it: into the log file, and WARNING and up into the system log. */
  record(r: LogRecord, toSystemLog = true): void {
    const ts = r.timestamp ?? nowMicros() / 1e6;
    const source = r.source ?? ['helpers/entity.py', 1];
    this.log += `${this.stamp(ts)} ${r.level} (MainThread) [${r.name}] ${r.message}\n${r.exception ? `${r.exception}\n` : ''}`;
    if (!toSystemLog || r.level === 'DEBUG' || r.level === 'INFO') return;
    const key = keyOf(r.name, source, r.exception);
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      e.count++;
      e.timestamp = ts;
      e.level = r.level;
      if (r.exception) e.exception = r.exception;
      if (!e.message.includes(r.message)) {
        e.message.push(r.message);
        if (e.message.length > MAX_MESSAGES) e.message.shift();
      }
      this.entries.set(key, e);
      return;
    }
    this.entries.set(key, { name: r.name, message: [r.message], level: r.level, source, timestamp: ts, exception: r.exception ?? '', count: 1, first_occurred: ts });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** system_log/list: newest first. */
  systemLog(): Entry[] {
    return [...this.entries.values()].sort((a, b) => b.timestamp - a.timestamp);
  }

  errorLog(): string {
    return this.log;
  }

  /**
   * system_health/info's sections, as recorded (network, recorder, homeassistant, lovelace), with
   * this home's version, time zone and dashboards. The oldest recorder run is a naive UTC time, as HA sends it.
   */
  health(dashboards: number, oldestUs: number): Record<string, { info: Dict; manage_url?: string }> {
    const h = structuredClone(recordedSystem().systemHealth);
    const cfg = this.data.config;
    if (h.recorder) {
      h.recorder.info.oldest_recorder_run = { value: isoFromMicros(oldestUs).replace('+00:00', ''), type: 'date' };
      h.recorder.info.current_recorder_run = { value: isoFromMicros(this.startedUs), type: 'date' };
    }
    if (h.homeassistant) {
      Object.assign(h.homeassistant.info, {
        version: `core-${String(cfg.version ?? '2026.2.0.dev0')}`,
        timezone: cfg.time_zone ?? 'UTC',
        config_dir: cfg.config_dir ?? '/config',
      });
    }
    if (h.lovelace) h.lovelace.info.dashboards = dashboards;
    return h;
  }

  onNotifications(fn: NotificationListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** persistent_notification.create: a new id, or the same id again (then "added" again, as recorded). */
  createNotification(message: string, title: string | null, id?: string): void {
    const n: Notification = { message, notification_id: id ?? hexId(), title, created_at: isoNow() };
    this.notifications.delete(n.notification_id);
    this.notifications.set(n.notification_id, n);
    for (const fn of this.listeners) fn('added', [n]);
  }

  /** persistent_notification.dismiss: an unknown id does nothing. */
  dismissNotification(id: string): void {
    const n = this.notifications.get(id);
    if (!n) return;
    this.notifications.delete(id);
    for (const fn of this.listeners) fn('removed', [n]);
  }

  dismissAll(): void {
    const all = [...this.notifications.values()];
    this.notifications.clear();
    if (all.length) for (const fn of this.listeners) fn('removed', all);
  }
}

/** HA groups records by logger, source and the root cause (the traceback's last line). */
const keyOf = (name: string, source: [string, number], exception = ''): string => `${name}|${source[0]}|${source[1]}|${exception.slice(exception.lastIndexOf('\n') + 1)}`;

/** A small deterministic generator, so that a home's log is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1_103_515_245 + 12_345) >>> 0;
    return s / 2 ** 32;
  };
}

interface Template {
  /** Integration that must be loaded (in config.components), or undefined for any home. */
  needs?: string;
  name: string;
  level: LogRecord['level'];
  source: [string, number];
  message: (pick: <T>(xs: readonly T[]) => T, ids: (domain: string) => string[]) => string;
  exception?: string;
}

const TRACEBACK_TIMEOUT = [
  'Traceback (most recent call last):',
  '  File "/usr/src/homeassistant/homeassistant/config_entries.py", line 749, in __async_setup_with_context',
  '    result = await component.async_setup_entry(hass, self)',
  '  File "/usr/src/homeassistant/homeassistant/components/webostv/__init__.py", line 71, in async_setup_entry',
  '    await client.connect()',
  'TimeoutError',
].join('\n');

const TEMPLATES: Template[] = [
  { name: 'homeassistant.components.http.ban', level: 'WARNING', source: ['components/http/ban.py', 136], message: (p) => `Login attempt or request with invalid authentication from ${p(['192.168.1.57', '192.168.1.23', '10.0.0.14'])} (${p(['192.168.1.57', '192.168.1.23'])}). Requested URL: '/api/states'. (Mozilla/5.0 (Linux; Android 14) HomeAssistant/2026.11.3)` },
  { name: 'homeassistant.helpers.template', level: 'WARNING', source: ['helpers/template.py', 2747], message: (p) => `Template variable warning: 'None' has no attribute 'state' when rendering '{{ states.sensor.${p(['old_outdoor_temp', 'garage_humidity_v1', 'pool_pump_power'])}.state | float }}'` },
  { name: 'homeassistant.helpers.entity', level: 'WARNING', source: ['helpers/entity.py', 1291], message: (p, ids) => `Update of ${p(ids('sensor').length ? ids('sensor') : ['sensor.outdoor_temperature'])} is taking over 10 seconds` },
  { name: 'homeassistant.components.rest.data', level: 'ERROR', source: ['components/rest/data.py', 110], message: (p) => `Error fetching data: https://api.openweathermap.org/data/3.0/onecall?lat=52.37&lon=4.89&appid=${p(['3f9c2a7be1d84c06a5f1e2b3c4d5e6f7'])} failed with ${p(['Timeout', 'Cannot connect to host api.openweathermap.org:443'])}` },
  { needs: 'zha', name: 'homeassistant.components.zha.core.cluster_handlers', level: 'WARNING', source: ['components/zha/core/cluster_handlers/__init__.py', 540], message: (p) => `[0x${p(['3A1F', '8C02', 'E44B'])}:1:0x0006]: async_initialize: all attempts have failed: [DeliveryError('Failed to deliver message: <EmberStatus.DELIVERY_FAILED: 102>')]` },
  { needs: 'mqtt', name: 'homeassistant.components.mqtt.client', level: 'ERROR', source: ['components/mqtt/client.py', 1163], message: () => 'Error returned from MQTT server: The connection was lost.' },
  { needs: 'hue', name: 'homeassistant.components.hue.v2.light', level: 'WARNING', source: ['components/hue/v2/light.py', 285], message: (p, ids) => `Light ${p(ids('light').length ? ids('light') : ['light.hallway'])} does not support transition, ignoring` },
  { name: 'homeassistant.config_entries', level: 'ERROR', source: ['config_entries.py', 749], message: () => 'Error setting up entry Living Room TV for webostv', exception: TRACEBACK_TIMEOUT },
  { name: 'homeassistant.components.recorder.util', level: 'WARNING', source: ['components/recorder/util.py', 607], message: () => 'The system could not validate that the sqlite3 database at //config/home-assistant_v2.db was shutdown cleanly' },
  { name: 'custom_components.hacs', level: 'WARNING', source: ['custom_components/hacs/base.py', 497], message: () => 'GitHub API ratelimited, next reset in 37 minutes' },
];

/** The last lines of a start: the bootstrap warnings a real home has. */
function bootLines(sys: SystemState, at: number): string {
  const lines = [
    [0.27, 'WARNING', 'homeassistant.loader', 'We found a custom integration hacs which has not been tested by Home Assistant. This component might cause stability problems, be sure to disable it if you experience issues with Home Assistant'],
    [0.73, 'WARNING', 'homeassistant.helpers.frame', 'Detected that custom integration \'hacs\' accesses hass.helpers.event. This is deprecated and will stop working in Home Assistant 2026.12, please report it to the author of the \'hacs\' custom integration'],
    [2.1, 'INFO', 'homeassistant.setup', 'Setting up recorder'],
    [14.6, 'WARNING', 'homeassistant.bootstrap', 'Waiting for integrations to complete setup: {(\'webostv\', \'01JB3F9X2M4N5P6Q7R8S9T0V1W\'): 10.0}'],
  ] as const;
  return lines.map(([d, level, name, message]) => `${sys.stamp(at + d)} ${level} (MainThread) [${name}] ${message}\n`).join('');
}

/** `count` records spread over the last 10 hours, from the templates that fit this home (the demo's go only to the file). */
function pastLog(sys: SystemState, data: HomeData, nowS: number, count: number, toSystemLog: boolean): void {
  const components = new Set((data.config.components as string[] | undefined) ?? []);
  const usable = TEMPLATES.filter((t) => !t.needs || components.has(t.needs));
  const byDomain = new Map<string, string[]>();
  for (const s of data.states) {
    const d = s.entity_id.slice(0, s.entity_id.indexOf('.'));
    let l = byDomain.get(d);
    if (!l) byDomain.set(d, (l = []));
    if (l.length < 20) l.push(s.entity_id);
  }
  const ids = (d: string): string[] => byDomain.get(d) ?? [];
  const r = rng(data.states.length * 7919 + 17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const start = nowS - 10 * 3600;
  for (let i = 0; i < count; i++) {
    const t = usable[Math.floor(r() * usable.length)]!;
    const ts = start + ((i + r()) / count) * (10 * 3600 - 300);
    sys.record({ name: t.name, level: t.level, source: t.source, message: t.message(pick, ids), ...(t.exception ? { exception: t.exception } : {}), timestamp: ts }, toSystemLog);
  }
}

function generatedRepairs(data: HomeData): Dict[] {
  const created = (daysAgo: number): string => isoFromMicros(nowMicros() - daysAgo * 86_400e6);
  const issues: Dict[] = [
    { breaks_in_ha_version: null, created: created(12), dismissed_version: null, ignored: false, domain: 'homeassistant', is_fixable: true, issue_domain: 'old_weather', issue_id: 'integration_not_found.old_weather', learn_more_url: null, severity: 'error', translation_key: 'integration_not_found', translation_placeholders: { domain: 'old_weather' } },
    { breaks_in_ha_version: '2026.6.0', created: created(5), dismissed_version: null, ignored: false, domain: 'template', is_fixable: false, issue_domain: null, issue_id: 'deprecated_legacy_templates', learn_more_url: 'https://www.home-assistant.io/integrations/template', severity: 'warning', translation_key: 'deprecated_legacy_templates', translation_placeholders: null },
  ];
  if (((data.config.components as string[] | undefined) ?? []).includes('zha')) {
    issues.push({ breaks_in_ha_version: null, created: created(2), dismissed_version: null, ignored: false, domain: 'zha', is_fixable: false, issue_domain: null, issue_id: 'wrong_silabs_firmware_installed', learn_more_url: 'https://my.home-assistant.io/redirect/config_zha', severity: 'warning', translation_key: 'wrong_silabs_firmware_installed', translation_placeholders: { firmware_type: 'cpc' } });
  }
  return issues;
}

function generatedNotifications(nowS: number): Notification[] {
  const at = (ago: number): string => isoFromMicros((nowS - ago) * 1e6);
  return [
    { message: 'Login attempt or request with invalid authentication from 192.168.1.57 (192.168.1.57). See the log for details.', notification_id: 'http-login', title: 'Login attempt failed', created_at: at(3 * 3600) },
    { message: 'The battery of 3 devices is below 20 %: check the hallway motion sensor, the back door contact and the attic leak sensor.', notification_id: 'battery_report', title: 'Low batteries', created_at: at(26 * 3600) },
  ];
}
