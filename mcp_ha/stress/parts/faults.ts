// faults: while clients of every transport read, the simulator is killed (SIGKILL), kept down,
// and started again on the same port with a state changed "while it was down". Reads must be
// served from the cache flagged stale, writes refused at once, /health must follow, and after
// the reconnect no read is stale and the changed state is seen within 5 s.
import type { Adapter, Session } from '../adapters.js';
import { activity } from '../lib/activity.js';
import { closeAll, type Ctx } from '../lib/context.js';
import { SimProc, health, sleep } from '../lib/procs.js';
import { percentiles } from '../lib/report.js';
import { learnHome } from '../lib/workload.js';

const CHANGED = 'sensor.outside_temperature';
const CHANGED_TO = '-17.5';
const now = () => performance.now();

interface Read {
  adapter: string;
  t0: number;
  t1: number;
  ok: boolean;
  stale: boolean | undefined;
  id: string;
  state: string | undefined;
  error?: string;
}

export async function runFaults(ctx: Ctx): Promise<void> {
  if (!ctx.available.length) return;
  const sim = await SimProc.start();
  const stack = await ctx.stack({ sim });
  const sessions: { a: Adapter; s: Session }[] = [];
  try {
    for (const a of ctx.all) {
      if (!ctx.available.includes(a)) {
        ctx.report.notAvailable('faults', 'Home Assistant killed and restarted while clients read', [a.id]);
        continue;
      }
      for (let i = 0; i < (a.shared ? 2 : 1); i++) sessions.push({ a, s: await a.connect(stack.target) });
    }
    const first = sessions[0] as { s: Session };
    const home = await learnHome(first.s);
    const before = (await sim.state(CHANGED))?.state;

    // /health every 100 ms.
    const healthLog: { t: number; connected: boolean | undefined }[] = [];
    let stop = false;
    const watcher = (async () => {
      while (!stop) {
        const t = now();
        const h = await health(stack.server.url, 2000);
        healthLog.push({ t, connected: h?.home_assistant.connected });
        await sleep(Math.max(0, 100 - (now() - t)));
      }
    })();
    const reads: Read[] = [];
    const readers = sessions.map(async ({ a, s }, w) => {
      for (let i = 0; !stop; i++) {
        const id = i % 3 === 0 ? CHANGED : (home.ids[(i * 31 + w * 7) % home.ids.length] as string);
        const t0 = now();
        const end = activity.begin(`${a.id} ha_get_state ${id}`);
        const r = await s.call('ha_get_state', { entity_id: id }, 10_000);
        end();
        const json = r.kind === 'ok' ? (r.json as { stale?: boolean; state?: { state?: string } }) : undefined;
        reads.push({ adapter: a.id, t0, t1: now(), ok: r.kind === 'ok', stale: json?.stale, id, state: json?.state?.state, ...(r.kind !== 'ok' ? { error: ('message' in r ? r.message : r.text).slice(0, 160) } : {}) });
        await sleep(25);
      }
    });
    const waitHealth = async (connected: boolean, ms: number) => {
      const deadline = now() + ms;
      while (now() < deadline) {
        const last = healthLog[healthLog.length - 1];
        if (last && last.connected === connected) return last.t;
        await sleep(20);
      }
      return undefined;
    };

    await sleep(ctx.scale(3000, 1500));
    const tKill = now();
    await sim.kill('SIGKILL');
    const tDown = await waitHealth(false, 10_000);
    // Writes while it is down: each must be refused at once, through every transport.
    await sleep(500);
    const writes = await Promise.all(
      sessions.map(async ({ a, s }) => {
        const out: { ms: number; code: string | undefined; kind: string }[] = [];
        for (let i = 0; i < 3; i++) {
          const r = await s.call('ha_call_service', { domain: 'input_boolean', service: 'toggle', entity_id: 'input_boolean.mcp_test_toggle' }, 15_000);
          out.push({ ms: r.ms, kind: r.kind, code: r.kind === 'tool_error' ? (r.json as { error?: string })?.error : undefined });
        }
        return { a, out };
      }),
    );
    await sleep(Math.max(0, ctx.scale(6000, 3000) - (now() - tKill)));
    const tRestart = now();
    await sim.launch([`${CHANGED}=${CHANGED_TO}`]);
    const tUp = await waitHealth(true, 45_000);
    // Long enough for every transport to reconnect and show the change (5 s), and then some.
    const settle = now() + 7000;
    while (now() < settle) await sleep(100);
    stop = true;
    await Promise.all([...readers, watcher]);

    const s = (t: number | undefined) => (t === undefined ? undefined : Math.round((t - tKill) / 100) / 10);
    ctx.report.add({
      part: 'faults',
      transport: 'server',
      name: '/health follows: connected false within 2 s of the kill, true again after the restart (reconnect backoff <= 30 s)',
      status: tDown !== undefined && tDown - tKill <= 2000 && tUp !== undefined && tUp - tRestart <= 35_000 ? 'pass' : 'fail',
      figures: { killed_at_s: 0, health_down_at_s: s(tDown), restarted_at_s: s(tRestart), health_up_at_s: s(tUp), reconnect_after_restart_ms: tUp === undefined ? undefined : Math.round(tUp - tRestart) },
      detail: tDown === undefined ? '/health never said disconnected' : tUp === undefined ? '/health never said connected again (45 s)' : undefined,
    });

    for (const a of ctx.available) {
      const mine = reads.filter((r) => r.adapter === a.id);
      // Where this transport saw the outage: the HTTP server's /health, or for a stdio server its own reads.
      const downFrom = a.shared ? tDown : mine.find((r) => r.t0 > tKill && r.stale === true)?.t0;
      const during = mine.filter((r) => downFrom !== undefined && r.t0 >= downFrom && r.t1 <= tRestart);
      const badDuring = during.filter((r) => !r.ok || r.stale !== true);
      ctx.report.add({
        part: 'faults',
        transport: a.id,
        name: 'reads while Home Assistant is down: served from the cache, flagged stale',
        status: during.length > 0 && badDuring.length === 0 ? 'pass' : 'fail',
        figures: { reads: during.length, not_served: during.filter((r) => !r.ok).length, not_flagged_stale: during.filter((r) => r.ok && r.stale !== true).length, p99_ms: percentiles(during.map((r) => r.t1 - r.t0)).p99 },
        detail: during.length === 0 ? 'no read during the outage (the transport did not notice it?)' : badDuring.length ? `e.g. ${badDuring[0]?.error ?? `stale=${badDuring[0]?.stale}`}` : undefined,
      });

      const ws = writes.filter((w) => w.a.id === a.id).flatMap((w) => w.out);
      const badWrites = ws.filter((w) => w.kind !== 'tool_error' || w.ms > 1000 || (w.code !== 'ha_unreachable' && w.code !== 'ha_timeout'));
      ctx.report.add({
        part: 'faults',
        transport: a.id,
        name: 'writes while Home Assistant is down: refused at once (ha_unreachable, < 1 s)',
        status: ws.length > 0 && badWrites.length === 0 ? 'pass' : 'fail',
        figures: { writes: ws.length, max_ms: Math.round(Math.max(0, ...ws.map((w) => w.ms))), codes: [...new Set(ws.map((w) => w.code ?? w.kind))].join(' ') },
        detail: badWrites.length ? `e.g. ${JSON.stringify(badWrites[0])}` : undefined,
      });

      // After the reconnect: for HTTP the moment /health said connected; for stdio its first fresh read.
      const upFrom = a.shared ? tUp : mine.find((r) => r.t0 > tRestart && r.ok && r.stale === false)?.t0;
      const after = mine.filter((r) => upFrom !== undefined && r.t0 >= upFrom);
      const staleAfter = after.filter((r) => !r.ok || r.stale !== false);
      const seen = after.find((r) => r.id === CHANGED && r.state === CHANGED_TO);
      const oldAfter = after.filter((r) => r.id === CHANGED && r.state !== CHANGED_TO && seen !== undefined && r.t0 < seen.t0).length;
      const seenMs = seen && upFrom !== undefined ? Math.round(seen.t1 - upFrom) : undefined;
      ctx.report.add({
        part: 'faults',
        transport: a.id,
        name: 'after the reconnect: no read is stale; the state changed while down is seen within 5 s',
        status: upFrom !== undefined && after.length > 0 && staleAfter.length === 0 && seenMs !== undefined && seenMs <= 5000 ? 'pass' : 'fail',
        figures: {
          reads: after.length,
          stale_or_failed: staleAfter.length,
          [`${CHANGED}`]: `${before} -> ${CHANGED_TO}`,
          change_seen_after_ms: seenMs,
          old_value_reads_before_that: oldAfter,
          reconnected_s_after_restart: upFrom === undefined ? undefined : Math.round((upFrom - tRestart) / 100) / 10,
        },
        detail:
          upFrom === undefined
            ? 'never reconnected (no fresh read after the restart)'
            : staleAfter.length
              ? `${staleAfter.length} stale or failed reads after the reconnect, e.g. ${staleAfter[0]?.error ?? `stale=${staleAfter[0]?.stale}`}`
              : seenMs === undefined
                ? `${CHANGED} still read as ${after.filter((r) => r.id === CHANGED).pop()?.state} after the reconnect`
                : seenMs > 5000
                  ? `the change took ${seenMs} ms to show`
                  : undefined,
      });
    }
  } finally {
    await closeAll(sessions.map((x) => x.s));
    await stack.close();
    await sim.stop();
  }
}
