// Replays every recorded Home Assistant exchange (test/fixtures/ha-capture) against the
// simulator and compares status codes, headers, frames, body shapes and error codes/messages.
// Ids, timestamps and context ids are not compared; recorded times in requests are moved by
// the same offset the demo home was moved by, so time windows still cover the same data.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import WebSocket from 'ws';
import { loadDemoHome } from '../../sim/homes/demo.js';
import type { HomeData } from '../../sim/model.js';
import { startSimulator, type Simulator } from '../../sim/server.js';
import { nowMicros, parseIsoMicros, isoFromMicros } from '../../sim/util/time.js';
import { compareShape } from './shape.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ha-capture');
const demo = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sim', 'data', 'demo.json'), 'utf8')) as {
  extras: { recordedAt: number };
};

interface Exchange {
  name: string;
  request: { method: string; path: string; headers: Record<string, string>; body?: unknown };
  response: { status: number; headers: Record<string, string>; body_kind: string; body: unknown; body_head_base64?: string; stream_part_headers?: string[]; stream_read_for_ms?: number; body_length?: number };
}
interface Frame {
  dir: 'open' | 'send' | 'recv' | 'note' | 'client_close' | 'close';
  data?: unknown;
  raw?: string;
  text?: string;
  coalesced?: boolean;
}
interface Session {
  name: string;
  frames: Frame[];
}

// Recorded frames the simulator cannot produce, with why.
const SKIP_FRAMES: { file: string; match: (f: Frame) => boolean; why: string }[] = [
  {
    file: 'ws-subscribe-events.json',
    match: (f) => JSON.stringify(f.data ?? '').includes('"entity_id":"cover.living_room_window"'),
    why: 'a demo cover still moving from an earlier call during the capture',
  },
];

// The capture's REST calls ran against states a little different from the recorded snapshot
// the demo home starts from; these put the entity where the recorded call found it, so the
// call changes something (a recorded non-empty changed-states list) as it did.
const PRECONDITIONS: Record<string, (sim: Simulator) => void> = {
  'rest-service-calls.json/light.turn_on': (sim) => void sim.home.setState('light.bed_light', 'off'),
  'rest-service-calls.json/climate.set_temperature': (sim) =>
    void sim.home.setState('climate.hvac', 'cool', { ...sim.home.getState('climate.hvac')!.attributes, temperature: 21 }),
};

// Recordings from the later rebuild of the recorded instance (see the capture README) ran against
// another instance: their request times are moved by their own capture time, not the demo's.
// ws-statistics-more.json was recorded 35 minutes after that instance started, with hourly
// statistics compiled (the demo home's recording had none): it runs against the demo home with
// compiled statistics instead of the recorded 5-minute rows.
const REBUILD: Record<string, { home?: () => HomeData; ownTimes?: false }> = {
  // The config CRUD run (a later rebuild) had a YAML scene and the script as recorded there.
  'rest-config-crud.json': { home: () => withYamlItems(loadDemoHome()), ownTimes: false },
  'ws-config-crud.json': { home: () => withYamlItems(loadDemoHome()), ownTimes: false },
  'ws-statistics-more.json': {
    home: () => {
      const home = loadDemoHome();
      delete home.extras!.statisticIds;
      delete home.extras!.statistics5m;
      return home;
    },
  },
};

/** The YAML scene mcp_test_scene and mcp_test_script as rest-config-crud.json read them back, and the scene's entity. */
function withYamlItems(home: HomeData): HomeData {
  const { exchanges } = JSON.parse(readFileSync(join(dir, 'rest-config-crud.json'), 'utf8')) as { exchanges: Exchange[] };
  const body = (name: string) => exchanges.find((e) => e.name === name)!.response.body as Record<string, unknown>;
  home.scriptConfigs.mcp_test_script = body('script: GET of the YAML script mcp_test_script');
  const scene = body('scene: GET of the YAML scene mcp_test_scene');
  home.sceneConfigs = { mcp_test_scene: scene };
  const ts = new Date().toISOString().replace('Z', '+00:00');
  const context = { id: '01M8SEFYDZVNY62FTTDX96KCBM', parent_id: null, user_id: null };
  home.states.push({
    entity_id: 'scene.mcp_test_scene',
    state: 'unknown',
    attributes: { entity_id: Object.keys(scene.entities as object), id: 'mcp_test_scene', friendly_name: scene.name },
    last_changed: ts,
    last_reported: ts,
    last_updated: ts,
    context,
  });
  return home;
}

// Headers whose values change per request.
const VOLATILE_HEADERS = new Set(['date', 'content-length', 'etag', 'last-modified']);

function shiftTimes(text: string, deltaUs: number): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}(?::|%3A)\d{2}(?::|%3A)\d{2}(?:\.\d+)?Z/g, (m) => {
    const iso = m.replace(/%3A/g, ':');
    const us = parseIsoMicros(iso);
    if (us === null) return m;
    const shifted = isoFromMicros(us + deltaUs).replace('+00:00', 'Z');
    return m.includes('%3A') ? shifted.replace(/:/g, '%3A') : shifted;
  });
}

/** The request body bytes: objects as JSON; strings are raw text, except a bare word, which the recorder JSON-encoded. */
function bodyText(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return /^[{[]/.test(body) ? body : JSON.stringify(body);
  return JSON.stringify(body);
}

/**
 * Home Assistant makes a to-do item's uid at random (uuid4 hex): the uids an answer gave, recorded
 * -> ours, so that a later recorded command naming the item names ours.
 */
function learnUids(rec: unknown, ours: unknown, into: Map<string, string>): void {
  if (typeof rec !== 'object' || rec === null || typeof ours !== 'object' || ours === null) return;
  for (const [k, v] of Object.entries(rec)) {
    const o = (ours as Record<string, unknown>)[k];
    if (k === 'uid' && typeof v === 'string' && typeof o === 'string') into.set(v, o);
    else learnUids(v, o, into);
  }
}

function withUids(text: string, uids: Map<string, string>): string {
  return text.replace(/"uid":"([^"]*)"/g, (m, u: string) => (uids.has(u) ? `"uid":"${uids.get(u)}"` : m));
}

// Replayed by auth-flow.test.ts: their flow ids, code and tokens come from earlier answers of the same run.
const OWN_REPLAY = new Set(['rest-auth-flow.json', 'ws-auth-flow.json']);

function files(prefix: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.json') && !OWN_REPLAY.has(f)).sort();
}

let demoDeltaUs = 0;
// The recordings' non-admin user (<USER_TOKEN>).
const USER_TOKEN = 'non-admin-user-token-0123456789';

/** An endless answer (MJPEG): what arrives within the recorded read time, then the request is dropped. */
async function readFor(res: Response, ms: number, ctl: AbortController): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const reader = res.body!.getReader();
  const timer = setTimeout(() => ctl.abort(), ms);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
    }
  } catch {
    // aborted at the end of the read time
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks);
}

/** The multipart part headers in a stream's bytes, Content-Length as # (pictures are generated). */
function partHeaders(bytes: Buffer | string[]): string[] {
  const text = Array.isArray(bytes) ? bytes.join('') : bytes.toString('latin1');
  return [...text.matchAll(/--frameboundary\r\nContent-Type: [^\r]*\r\nContent-Length: \d+\r\n\r\n/g)].map((m) => m[0].replace(/Length: \d+/, 'Length: #'));
}

/**
 * How many parts began within a recorded stream's body_length: the capture keeps the first part
 * headers only; later parts are taken as the mean size of those.
 */
function recordedParts(headers: string[], bodyLength: number): number {
  const sizes = headers.map((h) => h.length + Number(/Content-Length: (\d+)/.exec(h)?.[1] ?? 0) + 2);
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  let n = 0;
  for (let pos = 0; pos < bodyLength; n++) pos += sizes[n] ?? mean;
  return n;
}

async function send(sim: Simulator, method: string, path: string, headers: Record<string, string>, body?: string, deltaUs = demoDeltaUs, readForMs?: number) {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v.includes('<USER_TOKEN>')) sim.addToken(NON_ADMIN, { id: 'replay-non-admin', name: 'Non-admin', is_admin: false });
    h[k] = v.replace('<TOKEN>', sim.token).replace('<USER_TOKEN>', NON_ADMIN);
  }
  // A camera's access token (entity_picture URLs) is <CAMERA_TOKEN> in the recordings: the entity's own.
  const camera = /\/api\/camera_proxy(?:_stream)?\/([^/?]+)/.exec(path)?.[1];
  if (camera) path = path.replace('<CAMERA_TOKEN>', String(sim.home.getState(camera)?.attributes.access_token ?? ''));
  const ctl = new AbortController();
  const res = await fetch(sim.url + shiftTimes(path, deltaUs), { method, headers: h, body: body === undefined ? undefined : shiftTimes(body, deltaUs), signal: ctl.signal });
  const bytes = readForMs === undefined ? Buffer.from(await res.arrayBuffer()) : await readFor(res, readForMs, ctl);
  return { status: res.status, headers: res.headers, text: bytes.toString('utf8'), bytes };
}

const counts = { restExchanges: 0, wsSessions: 0, wsFramesCompared: 0, wsFramesSkipped: 0 };

t.before(() => {
  demoDeltaUs = nowMicros() - demo.extras.recordedAt;
});

for (const file of files('rest-')) {
  t.test(file, async (t) => {
    const rebuild = REBUILD[file];
    const sim = await startSimulator({ port: 0, ...(rebuild?.home ? { home: rebuild.home() } : {}) });
    t.teardown(() => sim.close());
    // <USER_TOKEN> calls run as the recordings' non-admin user, so a 401 is the admin check's, not a bad token's.
    sim.addToken(USER_TOKEN, { id: 'b3c1d8e2f4a54f0e9d6c7b8a9e0f1a2b', name: 'MCP User', is_admin: false });
    const { exchanges } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { exchanges: Exchange[] };
    for (const ex of exchanges) {
      counts.restExchanges++;
      PRECONDITIONS[`${file}/${ex.name}`]?.(sim);
      const res = await send(sim, ex.request.method, ex.request.path, ex.request.headers, bodyText(ex.request.body), demoDeltaUs, ex.response.stream_read_for_ms);
      const what = `${ex.name}: ${ex.request.method} ${ex.request.path}`;
      t.equal(res.status, ex.response.status, `${what}: status`);
      for (const [k, v] of Object.entries(ex.response.headers)) {
        if (VOLATILE_HEADERS.has(k.toLowerCase())) continue;
        t.equal(res.headers.get(k), v, `${what}: header ${k}`);
      }
      const rec = ex.response;
      if (rec.body_kind === 'empty') t.equal(res.text, '', `${what}: empty body`);
      else if (rec.body_kind === 'binary') {
        // Pictures are generated, not the recorded ones: the same kind of bytes (JPEG/PNG magic).
        const head = Buffer.from(rec.body_head_base64 ?? '', 'base64');
        t.same([...res.bytes.subarray(0, 2)], [...head.subarray(0, 2)], `${what}: binary body of the recorded kind`);
        const parts = rec.stream_part_headers;
        if (parts) {
          // The same parts in the same read time, give or take one for timing on a busy machine.
          const ours = partHeaders(res.bytes);
          t.same(ours.slice(0, parts.length), partHeaders(parts), `${what}: stream part headers`);
          const n = recordedParts(parts, rec.body_length ?? 0);
          t.ok(Math.abs(ours.length - n) <= 1, `${what}: ${ours.length} parts in ${rec.stream_read_for_ms} ms, recorded ${n}`);
        }
      } else if (rec.body_kind === 'text') {
        if (file === 'rest-error-log.json') t.ok(res.text.length > 0, `${what}: log text`);
        else t.equal(res.text, rec.body, `${what}: text body`);
      } else {
        let ours: unknown;
        try {
          ours = JSON.parse(res.text);
        } catch {
          t.fail(`${what}: body is not JSON: ${res.text.slice(0, 100)}`);
          continue;
        }
        t.notOk(/^[[{]\s|":\s[\d"[{tfn]/.test(res.text.slice(0, 200)), `${what}: compact JSON`);
        t.same(compareShape(rec.body, ours), [], `${what}: body shape`);
        const message = (rec.body as { message?: unknown } | null)?.message;
        if (message !== undefined) t.equal((ours as { message?: unknown }).message, message, `${what}: message`);
      }
    }
  });
}

function frameProblems(rec: unknown, ours: unknown): string[] {
  const problems = compareShape(rec, ours);
  const r = rec as Record<string, unknown>;
  const o = ours as Record<string, unknown>;
  if (!o || typeof o !== 'object') return [...problems, 'not an object'];
  for (const k of ['id', 'type', 'success', 'ha_version']) {
    if (k in r && JSON.stringify(r[k]) !== JSON.stringify(o[k])) problems.push(`${k}: got ${JSON.stringify(o[k])}, recorded ${JSON.stringify(r[k])}`);
  }
  if (r.type === 'auth_invalid' && r.message !== o.message) problems.push(`message: got ${JSON.stringify(o.message)}`);
  if (r.error) {
    const re = r.error as Record<string, unknown>;
    const oe = (o.error ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(re)) {
      if (JSON.stringify(re[k]) !== JSON.stringify(oe[k])) problems.push(`error.${k}: got ${JSON.stringify(oe[k])}, recorded ${JSON.stringify(re[k])}`);
    }
  }
  return problems;
}

/** Replays a note's REST call; a "REST answer: <status>" note is checked against the last one. */
const NON_ADMIN = 'replay-non-admin-token-0123456789';

/** `next` is the frame after the note: a recorded 401 answer means the call was made with the non-admin token. */
async function runNote(sim: Simulator, text: string, deltaUs: number, last: { status?: number }, t: Test, next?: Frame): Promise<void> {
  const answer = /^REST answer: (\d{3})/.exec(text);
  if (answer) {
    t.equal(last.status, Number(answer[1]), `REST status: ${text.slice(0, 90)}`);
    return;
  }
  const m = /^REST: (\w+) (\S+)(?: (\{.*\}))?/.exec(text);
  if (!m) throw new Error(`cannot replay note: ${text}`);
  const nonAdmin = next?.dir === 'note' && /^REST answer: 401/.test(next.text ?? '');
  if (nonAdmin) sim.addToken(NON_ADMIN, { id: 'replay-non-admin', name: 'Non-admin', is_admin: false });
  last.status = (await send(sim, m[1]!, m[2]!, { Authorization: `Bearer ${nonAdmin ? NON_ADMIN : '<TOKEN>'}`, 'Content-Type': 'application/json' }, m[3], deltaUs)).status;
}

for (const file of files('ws-')) {
  t.test(file, async (t) => {
    const rebuild = REBUILD[file];
    const sim = await startSimulator({ port: 0, ...(rebuild?.home ? { home: rebuild.home() } : {}) });
    t.teardown(() => sim.close());
    const { sessions, captured_at } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { sessions: Session[]; captured_at: string };
    const deltaUs = rebuild && rebuild.ownTimes !== false ? nowMicros() - parseIsoMicros(captured_at)! : demoDeltaUs;
    const lastRest: { status?: number } = {};
    sim.addToken(USER_TOKEN, { id: 'b3c1d8e2f4a54f0e9d6c7b8a9e0f1a2b', name: 'MCP User', is_admin: false });
    for (const session of sessions) {
      counts.wsSessions++;
      const ws = new WebSocket(sim.wsUrl);
      const received: { data: unknown; raw: string }[] = [];
      let closed = false;
      const closedP = new Promise<void>((r) => ws.on('close', () => ((closed = true), r())));
      let notify: (() => void) | null = null;
      ws.on('message', (d) => {
        const raw = d.toString();
        received.push({ data: JSON.parse(raw), raw });
        notify?.();
      });
      await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
      let cursor = 0;
      const uids = new Map<string, string>();
      const waitFrames = async (n: number): Promise<void> => {
        const deadline = Date.now() + 3000;
        while (received.length < cursor + n && Date.now() < deadline && !closed) {
          await new Promise<void>((r) => {
            notify = r;
            setTimeout(r, 50);
          });
        }
      };
      const frames = session.frames.filter((f) => {
        const skip = f.dir === 'recv' && SKIP_FRAMES.some((s) => s.file === file && s.match(f));
        if (skip) counts.wsFramesSkipped++;
        return !skip;
      });
      // Group expected server frames between client actions.
      for (let i = 0; i < frames.length; i++) {
        const f = frames[i]!;
        if (f.dir === 'send') {
          const text = f.raw ?? (f.data === null || f.data === undefined ? null : JSON.stringify(f.data));
          if (text === null) ws.send(Buffer.from([0x01, 0x02, 0x03]));
          else ws.send(withUids(shiftTimes(text.replace('<TOKEN>', sim.token).replace('<USER_TOKEN>', USER_TOKEN), deltaUs), uids));
        } else if (f.dir === 'note') {
          await runNote(sim, f.text ?? '', deltaUs, lastRest, t, frames[i + 1]);
        } else if (f.dir === 'client_close') {
          ws.close();
        } else if (f.dir === 'close') {
          await Promise.race([closedP, new Promise((r) => setTimeout(r, 3000))]);
          t.ok(closed, `${session.name}: connection closed`);
        }
        // After an action, take the recorded answers up to the next action.
        const expected: Frame[] = [];
        for (let j = i + 1; j < frames.length && frames[j]!.dir === 'recv'; j++) expected.push(frames[j]!);
        if (!expected.length) continue;
        await waitFrames(expected.length);
        for (const rec of expected) {
          counts.wsFramesCompared++;
          const ours = received[cursor++];
          const label = `${session.name}: ${(rec.raw ?? JSON.stringify(rec.data)).slice(0, 90)}`;
          if (!ours) {
            t.fail(`${label}: no frame`);
            continue;
          }
          if (rec.coalesced) {
            t.ok(Array.isArray(ours.data), `${label}: coalesced array frame`);
            const r = rec.data as unknown[];
            const o = ours.data as unknown[];
            t.equal(o.length, r.length, `${label}: coalesced count`);
            r.forEach((x, k) => t.same(frameProblems(x, o[k]), [], `${label}: [${k}]`));
          } else {
            learnUids(rec.data, ours.data, uids);
            t.same(frameProblems(rec.data, ours.data), [], label);
            // Key order of the envelope (id first or last) is part of the protocol.
            t.same(Object.keys(ours.data as object), Object.keys(rec.data as object), `${label}: envelope key order`);
          }
        }
        i += expected.length;
      }
      t.equal(received.length, cursor, `${session.name}: no unexpected frames (${received.slice(cursor).map((r) => r.raw.slice(0, 80)).join(' | ')})`);
      ws.terminate();
    }
  });
}

t.teardown(() => {
  t.comment(`replayed ${JSON.stringify(counts)}`);
});

t.test('the shape comparison fails on what the replay must catch', async (t) => {
  t.same(compareShape({ a: 1, b: { c: 'x' } }, { a: 2, b: { c: 'y' } }), []);
  t.match(compareShape({ a: 1, b: 2 }, { a: 1 }), [/missing "b"/]);
  t.match(compareShape({ a: { b: [1] } }, { a: { b: [] } }), [/recorded 1 items, got none/]);
  t.match(compareShape({ a: 1 }, { a: 'x' }), [/recorded number, got string/]);
  t.match(compareShape({ id: 1, type: 'event', event: {} }, { type: 'event', event: {}, id: 1 }), [/key order/]);
});
