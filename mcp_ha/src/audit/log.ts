// Append-only JSON Lines audit log under the data folder, rotated by size.
//
// Crash safety: each line is written by ONE write(2) on an O_APPEND descriptor. A process killed
// with SIGKILL either made that system call or did not; the page cache keeps what it wrote, so
// kill -9 cannot leave half a record. fdatasync after each line also covers power loss (the
// add-on often runs on a Raspberry Pi's SD card): AI writes come at human pace, so a few
// milliseconds per record is cheap insurance. Should a torn line exist anyway (power cut without
// fsync, full disk), readers skip it and the next append starts on a fresh line. A record whose
// outcome line a crash prevented stays 'pending' until the next start marks it 'unknown' (recover.ts).
import { closeSync, fdatasyncSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditRecord, AuditUpdate } from './record.js';

export interface AuditLogOptions {
  dir: string;
  /** Disk budget for all files together; the oldest file is dropped when it is exceeded. */
  maxBytes: number;
  /** Files kept, the current one included. */
  maxFiles?: number;
  /** fdatasync after every record (default true). */
  fsync?: boolean;
}

export interface AuditLog {
  readonly dir: string;
  append(line: AuditRecord | AuditUpdate): void;
  /** Every record, oldest first, outcome lines merged into their pending line; `since` skips older files. */
  readAll(opts?: { since?: number }): Promise<AuditRecord[]>;
}

export const AUDIT_FILE = 'audit.jsonl';
const DEFAULT_MAX_FILES = 5;

export function createAuditLog(opts: AuditLogOptions): AuditLog {
  const maxFiles = Math.max(1, opts.maxFiles ?? DEFAULT_MAX_FILES);
  const perFile = Math.max(1024, Math.floor(opts.maxBytes / maxFiles));
  const fsync = opts.fsync ?? true;
  const fileAt = (i: number) => join(opts.dir, i === 0 ? AUDIT_FILE : `audit.${i}.jsonl`);
  let tailChecked = false;
  let dirReady = false;

  function rotate(): void {
    rmSync(fileAt(maxFiles - 1), { force: true });
    for (let i = maxFiles - 2; i >= 0; i--) {
      try {
        renameSync(fileAt(i), fileAt(i + 1));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  /** True when the file does not end with a newline (a torn last line from an earlier crash). */
  function tornTail(fd: number, size: number): boolean {
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  }

  function append(record: AuditRecord | AuditUpdate): void {
    if (!dirReady) {
      mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
      dirReady = true;
    }
    let text = JSON.stringify(record) + '\n';
    let fd = openSync(fileAt(0), 'a+', 0o600);
    try {
      const size = fstatSync(fd).size;
      if (!tailChecked) {
        tailChecked = true;
        if (tornTail(fd, size)) text = '\n' + text;
      }
      if (size > 0 && size + Buffer.byteLength(text) > perFile && maxFiles > 1) {
        closeSync(fd);
        fd = -1;
        rotate();
        fd = openSync(fileAt(0), 'a', 0o600);
      }
      const buf = Buffer.from(text);
      // One write(2) in practice; the loop only matters for a short write on a full disk.
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off);
      if (fsync) fdatasyncSync(fd);
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }

  async function readAll(ropts: { since?: number } = {}): Promise<AuditRecord[]> {
    const byId = new Map<string, AuditRecord>();
    for (let i = maxFiles - 1; i >= 0; i--) {
      let text: string;
      try {
        if (ropts.since !== undefined && i > 0 && (await stat(fileAt(i))).mtimeMs < ropts.since) continue;
        text = await readFile(fileAt(i), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      for (const line of text.split('\n')) mergeLine(byId, line);
    }
    return [...byId.values()];
  }

  return { dir: opts.dir, append, readAll };
}

/** Parses one line into the map; torn or foreign lines are skipped. */
function mergeLine(byId: Map<string, AuditRecord>, line: string): void {
  if (!line) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null) return;
  const rec = parsed as Partial<AuditRecord>;
  if (typeof rec.id !== 'string' || typeof rec.outcome !== 'string') return;
  const prev = byId.get(rec.id);
  if (prev) Object.assign(prev, rec);
  else if (rec.v === 1) byId.set(rec.id, rec as AuditRecord);
}
