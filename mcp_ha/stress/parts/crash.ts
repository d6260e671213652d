// crash: concurrent writes through every transport, the server killed with SIGKILL in the
// middle; then every audit line must parse, no acknowledged write may be missing, and undo must
// work after the restart. HTTP transports share one server (one kill); each stdio transport is
// its own server process (its own kill).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter, Session, Target } from '../adapters.js';
import { activity } from '../lib/activity.js';
import { closeAll, targetFor, type Ctx } from '../lib/context.js';
import { API_KEY, ServerProc, SimProc, serverEnv, sleep } from '../lib/procs.js';
import { freePort } from '../../test/helpers/net.js';

const ENTITIES = [
  'input_number.mcp_test_number',
  'light.bed_light',
  'light.ceiling_lights',
  'light.kitchen_lights',
  'light.office_rgbw_lights',
  'light.living_room_rgbww_lights',
  'light.entrance_color_white_lights',
  'switch.decorative_lights',
  'switch.ac',
];

function writeFor(entity: string, n: number): Record<string, unknown> {
  const [domain] = entity.split('.');
  if (domain === 'input_number') return { domain: 'input_number', service: 'set_value', entity_id: entity, service_data: { value: n % 100 } };
  if (domain === 'light') return { domain: 'light', service: 'turn_on', entity_id: entity, service_data: { brightness: ((n * 37) % 254) + 1 } };
  return { domain: 'switch', service: 'toggle', entity_id: entity };
}

interface Ack {
  adapter: string;
  entity: string;
  audit_id: string;
}

interface AuditLine {
  id: string;
  outcome: string;
  entities?: string[];
  before?: Record<string, { state: string; attributes: Record<string, unknown> }>;
}

export async function runCrash(ctx: Ctx): Promise<void> {
  for (const a of ctx.all) if (!ctx.available.includes(a)) ctx.report.notAvailable('crash', 'kill -9 during concurrent writes', [a.id]);
  if (!ctx.available.length) return;
  const sim = await SimProc.start();
  try {
    const shared = ctx.available.filter((a) => a.shared);
    if (shared.length) await cycle(ctx, sim, shared);
    for (const a of ctx.available.filter((x) => !x.shared)) await cycle(ctx, sim, [a]);
  } finally {
    await sim.stop();
  }
}

async function cycle(ctx: Ctx, sim: SimProc, adapters: Adapter[]): Promise<void> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'mcp-ha-stress-crash-')), 'data');
  const shared = adapters[0]?.shared === true;
  let server: ServerProc | undefined;
  let target: Target;
  if (shared) {
    server = await ServerProc.start(sim, { dataDir });
    target = targetFor(sim, server);
  } else {
    target = { url: '', mcpUrl: '', apiKey: API_KEY, stdioEnv: async () => serverEnv(sim, await freePort(), { dataDir }) };
  }
  const perAdapter = Math.max(1, Math.min(4, Math.floor(ENTITIES.length / adapters.length)));
  const sessions: { a: Adapter; s: Session }[] = [];
  try {
    for (const a of adapters) sessions.push({ a, s: await a.connect(target) });
    const workers = sessions.flatMap(({ a, s }, i) => Array.from({ length: perAdapter }, (_, k) => ({ a, s, entity: ENTITIES[i * perAdapter + k] as string })));
    const acks: Ack[] = [];
    const want = ctx.scale(60, 20);
    let stop = false;
    let n = 1;
    const t0 = performance.now();
    const pumps = workers.map(async (w) => {
      while (!stop) {
        const args = writeFor(w.entity, n++);
        const end = activity.begin(`${w.a.id} write ${w.entity}`);
        const r = await w.s.call('ha_call_service', args, 10_000);
        end();
        if (stop) break;
        const id = r.kind === 'ok' ? (r.json as { audit_id?: string }).audit_id : undefined;
        if (id) acks.push({ adapter: w.a.id, entity: w.entity, audit_id: id });
        else if (r.kind !== 'ok') await sleep(50);
      }
    });
    // Kill once enough writes were acknowledged (by count, not time: the machine may be busy).
    while (acks.length < want && performance.now() - t0 < 60_000) await sleep(5);
    const acked = [...acks];
    if (server) await server.kill('SIGKILL');
    else for (const { s } of sessions) if (s.pid) process.kill(s.pid, 'SIGKILL');
    const killedAfterMs = Math.round(performance.now() - t0);
    stop = true;
    await Promise.race([Promise.all(pumps), sleep(15_000)]);
    await closeAll(sessions.map((x) => x.s));
    sessions.length = 0;

    // What is on disk.
    const dir = join(dataDir, 'audit');
    const lines = readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
    const bad = lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    const records = new Map<string, AuditLine>();
    for (const l of lines) {
      try {
        const r = JSON.parse(l) as AuditLine;
        records.set(r.id, { ...records.get(r.id), ...r });
      } catch {
        // counted above
      }
    }
    const missing = acked.filter((x) => records.get(x.audit_id)?.outcome !== 'success');
    const transports = adapters.map((a) => a.id).join('+');
    ctx.report.add({
      part: 'crash',
      transport: transports,
      name: 'kill -9 during concurrent writes: every audit line parses, no acknowledged write is missing',
      status: bad.length === 0 && missing.length === 0 && acked.length > 0 ? 'pass' : 'fail',
      figures: { writers: workers.length, acknowledged: acked.length, killed_after_ms: killedAfterMs, audit_lines: lines.length, unparsable_lines: bad.length, records: records.size, pending_at_kill: [...records.values()].filter((r) => r.outcome === 'pending').length, missing_acknowledged: missing.length },
      detail: bad.length ? `unparsable: ${bad[0]?.slice(0, 120)}` : missing.length ? `missing or not success: ${missing.slice(0, 3).map((m) => m.audit_id).join(', ')}` : acked.length === 0 ? 'no write was acknowledged before the kill' : undefined,
    });

    // The next server over the same data folder: undo the last acknowledged write of each transport.
    if (server) await server.launch();
    for (const a of adapters) {
      const last = [...acked].reverse().find((x) => x.adapter === a.id);
      const name = 'undo after the restart restores the recorded before-state';
      if (!last) {
        ctx.report.add({ part: 'crash', transport: a.id, name, status: 'fail', figures: {}, detail: 'no acknowledged write to undo' });
        continue;
      }
      const rec = records.get(last.audit_id);
      const before = rec?.before?.[last.entity];
      let s: Session | undefined;
      try {
        s = await a.connect(target);
        const r = await s.call('ha_undo', { id: last.audit_id }, 20_000);
        const body = r.kind === 'ok' ? (r.json as { actions?: { entities?: { entity_id: string; status: string; problems?: string[] }[] }[] }) : undefined;
        const ent = body?.actions?.[0]?.entities?.find((e) => e.entity_id === last.entity);
        await sleep(300);
        const now = await sim.state(last.entity);
        const key = last.entity.startsWith('light.') ? 'brightness' : undefined;
        const matches = before !== undefined && now !== undefined && now.state === before.state && (key === undefined || before.state !== 'on' || now.attributes[key] === before.attributes[key]);
        const ok = r.kind === 'ok' && (ent?.status === 'restored' || ent?.status === 'unchanged') && matches;
        ctx.report.add({
          part: 'crash',
          transport: a.id,
          name,
          status: ok ? 'pass' : 'fail',
          figures: { audit_id: last.audit_id, entity: last.entity, status: ent?.status, before: before ? `${before.state}${key && before.attributes[key] !== undefined ? `/${before.attributes[key]}` : ''}` : undefined, now: now ? `${now.state}${key && now.attributes[key] !== undefined ? `/${now.attributes[key]}` : ''}` : undefined },
          detail: ok ? undefined : r.kind !== 'ok' ? `ha_undo: ${r.kind} ${'message' in r ? r.message : r.text}`.slice(0, 200) : ent?.problems?.join('; ') ?? 'state does not match the before-state',
        });
      } catch (err) {
        ctx.report.add({ part: 'crash', transport: a.id, name, status: 'fail', figures: {}, detail: String((err as Error).message).slice(0, 200) });
      } finally {
        await s?.close();
      }
    }
  } finally {
    await closeAll(sessions.map((x) => x.s));
    await server?.stop();
  }
}
