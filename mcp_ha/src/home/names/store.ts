// The household's names on disk, bounded: name -> entities, each with a count, when it was last
// used and where it came from. Every change is one JSON line appended to a journal by one
// write(2) plus fdatasync (as the audit log writes), so a kill -9 loses at most the change being
// written and never tears the others; the journal is folded into a snapshot now and then, written
// to a temporary file and renamed over the old one (atomic), and the snapshot records the last
// change it holds so that a crash between the rename and the journal's truncation replays nothing
// twice. Past the bound the weakest names go first (count decayed by age: old and rarely used).
import { closeSync, fdatasyncSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export type NameSource = 'search' | 'lookup' | 'told';

export interface NameUse {
  entity_id: string;
  /** Uses, a correction halving it; a name the user told counts TOLD_WEIGHT. */
  count: number;
  /** Epoch ms of the last use. */
  last: number;
  source: NameSource;
}

export interface NameEntry {
  /** How the name was said (the key is its normal form). */
  said: string;
  uses: NameUse[];
}

type Op =
  | { q: number; o: 'use'; p: string; n: string; e: string; t: number; s: NameSource; w: number }
  | { q: number; o: 'down'; p: string; e: string; t: number }
  | { q: number; o: 'forget'; p?: string | undefined; e?: string | undefined; t: number };

export interface NameStoreOptions {
  dir: string;
  /** Name-entity pairs kept (default MAX_NAMES). */
  maxNames?: number;
  /** fdatasync after every change (default true). */
  fsync?: boolean;
}

export const MAX_NAMES = 10_000;
/** Entities one name may stand for; a ninth pushes out its weakest. */
export const MAX_PER_NAME = 8;
/** A use this old counts half. */
export const HALF_LIFE_MS = 60 * 86_400_000;
/** A pair weaker than this after a correction is forgotten. */
const MIN_COUNT = 0.2;
/** Journal lines before it is folded into the snapshot. */
const COMPACT_LINES = 2000;
const SNAPSHOT = 'names.json';
const JOURNAL = 'names.jsonl';
const SOURCES = new Set<NameSource>(['search', 'lookup', 'told']);

/** A use's weight now: its count halved every HALF_LIFE_MS since it was last used. */
export function strength(u: NameUse, now: number): number {
  return u.count * 2 ** (-Math.max(0, now - u.last) / HALF_LIFE_MS);
}

export class NameStore {
  private readonly names = new Map<string, NameEntry>();
  private pairs = 0;
  private seq = 0;
  private journalLines = 0;
  private tailChecked = false;
  private readonly max: number;
  private readonly fsync: boolean;

  constructor(private readonly opts: NameStoreOptions) {
    this.max = Math.max(1, opts.maxNames ?? MAX_NAMES);
    this.fsync = opts.fsync ?? true;
    this.load();
  }

  /** Name-entity pairs held. */
  get size(): number {
    return this.pairs;
  }

  get(key: string): NameEntry | undefined {
    return this.names.get(key);
  }

  entries(): IterableIterator<[string, NameEntry]> {
    return this.names.entries();
  }

  use(key: string, said: string, entityId: string, source: NameSource, weight = 1, now = Date.now()): void {
    this.commit({ q: 0, o: 'use', p: key, n: said, e: entityId, t: now, s: source, w: weight });
  }

  /** A correction: the model acted on another entity right after acting on this one for the name. */
  lower(key: string, entityId: string, now = Date.now()): void {
    if (this.names.get(key)?.uses.some((u) => u.entity_id === entityId)) this.commit({ q: 0, o: 'down', p: key, e: entityId, t: now });
  }

  /** Forgets a name (for every entity, or one), or every name of an entity; returns how many pairs went. */
  forget(key: string | undefined, entityId: string | undefined, now = Date.now()): number {
    const before = this.pairs;
    const op: Op = { q: 0, o: 'forget', t: now };
    if (key !== undefined) op.p = key;
    if (entityId !== undefined) op.e = entityId;
    if (this.matches(op)) this.commit(op);
    return before - this.pairs;
  }

  private matches(op: Extract<Op, { o: 'forget' }>): boolean {
    if (op.p !== undefined) return !!this.names.get(op.p)?.uses.some((u) => op.e === undefined || u.entity_id === op.e);
    return [...this.names.values()].some((n) => n.uses.some((u) => u.entity_id === op.e));
  }

  /** Written first, then applied: what the server answers with is on disk. */
  private commit(op: Op): void {
    op.q = this.seq + 1;
    this.append(op);
    this.seq = op.q;
    this.apply(op);
    if (++this.journalLines >= COMPACT_LINES) this.compact();
  }

  private apply(op: Op): void {
    if (op.o === 'use') {
      let entry = this.names.get(op.p);
      if (!entry) this.names.set(op.p, (entry = { said: op.n, uses: [] }));
      const u = entry.uses.find((x) => x.entity_id === op.e);
      if (u) {
        u.count += op.w;
        u.last = op.t;
        if (op.s === 'told') u.source = 'told';
      } else {
        entry.uses.push({ entity_id: op.e, count: op.w, last: op.t, source: op.s });
        this.pairs++;
        if (entry.uses.length > MAX_PER_NAME) this.dropWeakest(entry, op.t);
        if (this.pairs > this.max) this.evict(op.t);
      }
    } else if (op.o === 'down') {
      const entry = this.names.get(op.p);
      const u = entry?.uses.find((x) => x.entity_id === op.e);
      if (!entry || !u) return;
      u.count /= 2;
      if (u.count < MIN_COUNT) this.removeUse(op.p, entry, u);
    } else {
      const keys = op.p !== undefined ? [op.p] : [...this.names.keys()];
      for (const key of keys) {
        const entry = this.names.get(key);
        if (!entry) continue;
        for (const u of [...entry.uses]) if (op.e === undefined || u.entity_id === op.e) this.removeUse(key, entry, u);
      }
    }
  }

  private removeUse(key: string, entry: NameEntry, u: NameUse): void {
    entry.uses.splice(entry.uses.indexOf(u), 1);
    this.pairs--;
    if (!entry.uses.length) this.names.delete(key);
  }

  private dropWeakest(entry: NameEntry, now: number): void {
    let weakest = entry.uses[0] as NameUse;
    for (const u of entry.uses) if (strength(u, now) < strength(weakest, now)) weakest = u;
    entry.uses.splice(entry.uses.indexOf(weakest), 1);
    this.pairs--;
  }

  /** Over the bound: the weakest twentieth goes at once, so that a full store sorts rarely. */
  private evict(now: number): void {
    const all: { key: string; entry: NameEntry; u: NameUse; s: number }[] = [];
    for (const [key, entry] of this.names) for (const u of entry.uses) all.push({ key, entry, u, s: strength(u, now) });
    all.sort((a, b) => a.s - b.s || a.u.last - b.u.last);
    const drop = this.pairs - Math.floor(this.max * 0.95);
    for (const { key, entry, u } of all.slice(0, Math.max(1, drop))) this.removeUse(key, entry, u);
  }

  private file(name: string): string {
    return join(this.opts.dir, name);
  }

  private append(op: Op): void {
    mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
    let text = JSON.stringify(op) + '\n';
    const fd = openSync(this.file(JOURNAL), 'a+', 0o600);
    try {
      if (!this.tailChecked) {
        // A torn last line from a crash (power cut) must not swallow this one.
        const size = fstatSync(fd).size;
        const last = Buffer.alloc(1);
        if (size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) text = '\n' + text;
        this.tailChecked = true;
      }
      writeAll(fd, Buffer.from(text));
      if (this.fsync) fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The snapshot replaces the old one by rename; only then is the journal emptied. */
  private compact(): void {
    const rows: unknown[] = [];
    for (const [key, entry] of this.names) {
      for (const u of entry.uses) rows.push([key, entry.said, u.entity_id, Math.round(u.count * 1000) / 1000, u.last, u.source]);
    }
    const tmp = this.file(`${SNAPSHOT}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeAll(fd, Buffer.from(JSON.stringify({ v: 1, seq: this.seq, names: rows })));
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file(SNAPSHOT));
    syncDir(this.opts.dir);
    const j = openSync(this.file(JOURNAL), 'w', 0o600);
    try {
      fdatasyncSync(j);
    } finally {
      closeSync(j);
    }
    this.journalLines = 0;
    this.tailChecked = true;
  }

  private load(): void {
    const snapshot = readText(this.file(SNAPSHOT));
    if (snapshot) {
      const parsed = parseJson(snapshot) as { v?: unknown; seq?: unknown; names?: unknown } | undefined;
      if (parsed?.v === 1 && Array.isArray(parsed.names)) {
        this.seq = typeof parsed.seq === 'number' ? parsed.seq : 0;
        for (const row of parsed.names) {
          if (!Array.isArray(row)) continue;
          const [p, n, e, w, t, s] = row as unknown[];
          if (typeof p === 'string' && typeof n === 'string' && typeof e === 'string' && typeof w === 'number' && typeof t === 'number' && SOURCES.has(s as NameSource)) {
            this.apply({ q: 0, o: 'use', p, n, e, w, t, s: s as NameSource });
          }
        }
      }
    }
    const journal = readText(this.file(JOURNAL));
    if (!journal) return;
    for (const line of journal.split('\n')) {
      const op = line ? (parseJson(line) as Op | undefined) : undefined;
      if (!op || typeof op.q !== 'number' || op.q <= this.seq || !validOp(op)) continue;
      this.apply(op);
      this.seq = op.q;
      this.journalLines++;
    }
  }
}

function validOp(op: Op): boolean {
  if (typeof op.t !== 'number') return false;
  if (op.o === 'use') return typeof op.p === 'string' && typeof op.n === 'string' && typeof op.e === 'string' && typeof op.w === 'number' && SOURCES.has(op.s);
  if (op.o === 'down') return typeof op.p === 'string' && typeof op.e === 'string';
  return op.o === 'forget' && (op.p === undefined || typeof op.p === 'string') && (op.e === undefined || typeof op.e === 'string');
}

function writeAll(fd: number, buf: Buffer): void {
  // One write(2) in practice; the loop only matters for a short write on a full disk.
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
