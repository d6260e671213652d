// Previous versions of edited objects, one file per change under <data>/config-backups, written
// before the change is sent. Each file is written to a temporary name, fsynced, renamed into place
// and the folder fsynced, so a kill -9 or power cut leaves either the whole backup or none (a
// stray temporary file is removed on the next use). At most `max` files are kept; the oldest go first.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { StoredObject } from '../policy/gate.js';

export interface Backup {
  v: 1;
  kind: string;
  id: string;
  /** ISO time the backup was written (just before the change). */
  saved_at: string;
  /** The audit record of the change it preceded. */
  audit_id: string;
  /** The pseudo-service of that change, e.g. config.automation_update. */
  service: string;
  /** The stored form before the change; null when the change created the object. */
  config: StoredObject;
}

export interface BackupStore {
  readonly dir: string;
  /** Writes a backup durably; returns its file name. */
  save(b: Omit<Backup, 'v' | 'saved_at'>): string;
  /** The backup written before the change with this audit id, if it is still kept. */
  byAuditId(auditId: string): Backup | undefined;
  /** File names, oldest first. */
  list(): string[];
}

const TMP = '.tmp-';
/** An id in a file name: safe characters only, bounded (the file holds the real id). */
const safe = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);

export function createBackupStore(dir: string, max: number, now: () => number = () => Date.now()): BackupStore {
  let ready = false;
  let seq = 0;

  function prepare(): void {
    if (ready) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const f of readdirSync(dir)) if (f.startsWith(TMP)) rmSync(join(dir, f), { force: true });
    ready = true;
  }

  function list(): string[] {
    prepare();
    return readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith(TMP)).sort();
  }

  function syncDir(): void {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  function read(name: string): Backup | undefined {
    try {
      const b = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Backup;
      return b.v === 1 ? b : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    dir,
    list,
    save(b) {
      prepare();
      const t = now();
      // Time first (base36, fixed width) so that names sort oldest first; seq orders one millisecond.
      const name = `${t.toString(36).padStart(9, '0')}-${(seq++ % 1296).toString(36).padStart(2, '0')}-${safe(b.kind)}-${safe(b.id)}-${b.audit_id}.json`;
      const body = Buffer.from(JSON.stringify({ v: 1, ...b, saved_at: new Date(t).toISOString() } satisfies Backup) + '\n');
      const tmp = join(dir, `${TMP}${randomBytes(6).toString('hex')}`);
      const fd = openSync(tmp, 'w', 0o600);
      try {
        let off = 0;
        while (off < body.length) off += writeSync(fd, body, off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(dir, name));
      syncDir();
      const files = list();
      for (const old of files.slice(0, Math.max(0, files.length - max))) rmSync(join(dir, old), { force: true });
      return name;
    },
    byAuditId(auditId) {
      const name = list().find((f) => f.endsWith(`-${auditId}.json`));
      return name === undefined ? undefined : read(name);
    },
  };
}

const stores = new Map<string, BackupStore>();

/** The store of a deployment's data folder (one per folder, shared by ha_config and ha_undo). */
export function backupsOf(config: Pick<Config, 'dataDir' | 'edit'>): BackupStore {
  const dir = join(config.dataDir, 'config-backups');
  let store = stores.get(dir);
  if (!store) stores.set(dir, (store = createBackupStore(dir, config.edit.backups)));
  return store;
}
