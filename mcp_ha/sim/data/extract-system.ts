// Builds sim/data/system.json from test/fixtures/ha-capture/ws-system.json: the system log, the
// notifications, the config entries, the loaded integrations' manifests (in the recorded order)
// and the system_health sections. Run after the recording changes: `npx tsx sim/data/extract-system.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;
interface Frame { dir: string; data?: unknown }

const here = dirname(fileURLToPath(import.meta.url));
const rec = JSON.parse(readFileSync(join(here, '..', '..', 'test', 'fixtures', 'ha-capture', 'ws-system.json'), 'utf8')) as { sessions: { name: string; frames: Frame[] }[] };

/** The frames of type `type` answering `id` in the session named `session`. */
function frames(session: string, id: number, type: string): Json[] {
  const s = rec.sessions.find((x) => x.name === session);
  if (!s) throw new Error(`no session ${session}`);
  const out = s.frames.map((f) => f.data as Json).filter((d) => d && d.id === id && d.type === type);
  if (!out.length) throw new Error(`no ${type} ${id} in ${session}`);
  return out;
}

const LOGS = 'logs, repairs, integrations, manifests';
const result = (session: string, id: number) => frames(session, id, 'result')[0]!.result;
const notifications = (frames('persistent notifications', 1, 'event')[0]!.event as Json).notifications as Json;
const health = (frames('system_health/info', 1, 'event')[0]!.event as Json).data;

const out = {
  _source: 'test/fixtures/ha-capture/ws-system.json, by sim/data/extract-system.ts: system_log/list, the notifications of persistent_notification/subscribe (current), config_entries/get, manifest/list (all loaded), the system_health/info initial data',
  systemLog: result(LOGS, 1),
  notifications: Object.values(notifications),
  configEntries: result(LOGS, 3),
  manifests: result(LOGS, 11),
  systemHealth: health,
};
writeFileSync(join(here, 'system.json'), `${JSON.stringify(out, null, 1)}\n`);
