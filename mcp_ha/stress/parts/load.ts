// load: cached reads from 16 sessions per transport; a soak from 8 sessions with RSS sampled
// every 5 s; failed initializes (memory); abandoned sessions, after which a new client must
// connect at once.
import type { Adapter, Session } from '../adapters.js';
import { activity } from '../lib/activity.js';
import { closeAll, type Ctx, type Stack } from '../lib/context.js';
import { HealthMonitor } from '../lib/health.js';
import { alive, rssMbOf, sleep } from '../lib/procs.js';
import { percentiles } from '../lib/report.js';
import { HeapProbe } from '../lib/inspector.js';
import { learnHome, newStats, runReads, type Home } from '../lib/workload.js';

const BAD_INIT_2025 = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"bad":1}}';
const BAD_DISCOVER_2026 = '{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"bad":1}}';

export async function runLoad(ctx: Ctx): Promise<void> {
  const stack = await ctx.stack({ inspect: true });
  try {
    const first = await (ctx.available[0] ?? ctx.all[0])!.connect(stack.target);
    const home = await learnHome(first);
    await first.close();
    for (const a of ctx.all) {
      if (!ctx.available.includes(a)) ctx.report.notAvailable('load', 'cached reads', [a.id]);
      else await cachedReads(ctx, stack, home, a);
    }
    await soak(ctx, stack, home);
    // stdio clients that go away: their own processes, the simulator of this stack.
    for (const a of ctx.available.filter((x) => !x.shared)) await abandonedStdio(ctx, stack, a);
  } finally {
    await stack.close();
  }
  // Failed handshakes, on a server of their own (heap after GC through its inspector).
  const http = ctx.all.filter((a) => a.transport === 'streamable-http');
  for (const a of ctx.all.filter((x) => x.transport !== 'streamable-http')) {
    ctx.report.add({ part: 'load', transport: a.id, name: 'failed initializes: memory', status: 'n/a', figures: {}, defects: [2], detail: 'not applicable: only Streamable HTTP takes handshakes without a session' });
  }
  if (http.some((a) => ctx.available.includes(a))) {
    const floods = await ctx.stack({ inspect: true });
    try {
      for (const a of http) {
        if (!ctx.available.includes(a)) ctx.report.notAvailable('load', 'failed initializes: memory', [a.id], [2]);
        else await failedInitializes(ctx, floods, a);
      }
    } finally {
      await floods.close();
    }
  }
  // Abandoned sessions: a fresh server per transport, so that one cannot lock out the next.
  for (const a of ctx.all.filter((x) => x.shared)) {
    if (!ctx.available.includes(a)) {
      ctx.report.notAvailable('load', 'abandoned sessions, then a new client', [a.id], [1]);
      continue;
    }
    const fresh = await ctx.stack();
    try {
      await abandoned(ctx, fresh, a);
    } finally {
      await fresh.close();
    }
  }
  for (const a of ctx.all.filter((x) => !x.shared && !ctx.available.includes(x))) ctx.report.notAvailable('load', 'abandoned sessions, then a new client', [a.id], [1]);
}

/** RSS of what serves an adapter's sessions: the shared HTTP server, or the stdio processes. */
function rssOf(stack: Stack, a: Adapter, sessions: Session[]): number | undefined {
  if (a.shared) return stack.server.rssMb();
  const values = sessions.map((s) => rssMbOf(s.pid)).filter((v): v is number => v !== undefined);
  return values.length ? Math.round(values.reduce((x, y) => x + y, 0) * 10) / 10 : undefined;
}

async function cachedReads(ctx: Ctx, stack: Stack, home: Home, a: Adapter): Promise<void> {
  const sessionsN = 16;
  const perSession = ctx.scale(2000, 150);
  // The 10-minute budget: reads of all transports share 80 s (a busy 2-core machine may not finish).
  const capS = Math.max(15, ctx.scale(80, 30) / Math.max(1, ctx.available.length));
  // A stdio server serves one client: one process with 16 concurrent workers on its pipe.
  const sessions = a.shared ? await Promise.all(Array.from({ length: sessionsN }, () => a.connect(stack.target))) : [await a.connect(stack.target)];
  const workers = a.shared ? sessions : Array.from({ length: sessionsN }, () => sessions[0] as Session);
  try {
    // Warm-up (not counted): every session once through the mix.
    await runReads(home, workers, { perWorker: 16, offset: 7 });
    const rssBefore = rssOf(stack, a, sessions);
    const monitor = new HealthMonitor(stack.server.url, ctx.controlUrl).start();
    const t0 = performance.now();
    const stats = await runReads(home, workers, { perWorker: perSession, untilMs: t0 + capS * 1000 });
    const seconds = (performance.now() - t0) / 1000;
    const capped = stats.calls < sessionsN * perSession;
    const h = await monitor.stop();
    const rssAfter = rssOf(stack, a, sessions);
    const p = percentiles(stats.latencies);
    ctx.report.add({
      part: 'load',
      transport: a.id,
      name: 'cached reads',
      status: stats.errors === 0 && stats.calls > 0 ? 'pass' : 'fail',
      figures: {
        sessions: a.shared ? sessionsN : `1 process x ${sessionsN} workers`,
        calls: capped ? `${stats.calls} of ${sessionsN * perSession} (time cap ${Math.round(capS)} s)` : stats.calls,
        errors: stats.errors,
        p50_ms: p.p50,
        p99_ms: p.p99,
        max_ms: p.max,
        calls_per_s: Math.round(stats.calls / seconds),
        rss_before_mb: rssBefore,
        rss_after_mb: rssAfter,
        health_p99_ms: h.p99_ms,
        health_max_ms: h.max_ms,
      },
      detail: stats.errors ? `${stats.errors} errors, e.g. ${stats.firstErrors.join(' / ')}` : capped ? `stopped by the time cap after ${stats.calls} calls` : undefined,
    });
  } finally {
    await closeAll(sessions);
  }
}

async function soak(ctx: Ctx, stack: Stack, home: Home): Promise<void> {
  const seconds = ctx.scale(60, 15);
  const warmupS = ctx.scale(15, 5);
  const everyS = 5;
  const adapters = ctx.available;
  if (!adapters.length) return;
  // 8 sessions spread over the transports that work; each stdio session is its own process.
  const plan = Array.from({ length: 8 }, (_, i) => adapters[i % adapters.length] as Adapter);
  const sessions = await Promise.all(plan.map((a) => a.connect(stack.target, { inspect: true })));
  // A stdio server of the soak is a new process: it serves some traffic first, as the HTTP server has.
  await runReads(home, sessions.filter((s) => s.pid), { perWorker: ctx.scale(2000, 300), untilMs: performance.now() + 20_000 });
  const stats = newStats();
  const series: { t: number; server?: number; stdio: (number | undefined)[] }[] = [];
  const stdioSessions = sessions.filter((s) => s.pid);
  // Live heap after GC at the end of the warm-up and at the end: the server, then each stdio server.
  const probes = await Promise.all([
    stack.server.inspectPort ? HeapProbe.connect(stack.server.inspectPort).catch(() => undefined) : undefined,
    ...stdioSessions.map((x) => {
      const url = x.inspectUrl?.();
      return url ? HeapProbe.connectUrl(url).catch(() => undefined) : undefined;
    }),
  ]);
  // Where each process's RSS goes, per sample (V8's reserved heap, external memory, array buffers).
  const breakdown: (Awaited<ReturnType<HeapProbe['memoryMb']>> | undefined)[][] = probes.map(() => []);
  const sample = async (t: number) => {
    series.push({ t, server: stack.server.rssMb(), stdio: stdioSessions.map((s) => rssMbOf(s.pid)) });
    const mems = await Promise.all(probes.map((p) => p?.memoryMb().catch(() => undefined)));
    mems.forEach((m, i) => breakdown[i]?.push(m));
  };
  try {
    const t0 = performance.now();
    const until = t0 + seconds * 1000;
    const sampler = (async () => {
      for (let t = 0; t <= seconds; t += everyS) {
        const wait = t0 + t * 1000 - performance.now();
        if (wait > 0) await sleep(wait);
        await sample(t);
      }
    })();
    const heaps = async () => Promise.all(probes.map((p) => p?.liveHeapMb().catch(() => undefined)));
    // RSS read right after those full collections, at both ends: the same point of the GC cycle.
    const rssNow = () => [stack.server.rssMb(), ...stdioSessions.map((x) => rssMbOf(x.pid))];
    let heapWarm: (number | undefined)[] = [];
    let rssWarm: (number | undefined)[] = [];
    const heapAtWarm = (async () => {
      await sleep(Math.max(0, t0 + warmupS * 1000 - performance.now()));
      heapWarm = await heaps();
      rssWarm = rssNow();
    })();
    await runReads(home, sessions, { untilMs: until, stats });
    await Promise.all([sampler, heapAtWarm]);
    const heapEnd = await heaps();
    const rssEnd = rssNow();
    for (const p of probes) p?.close();
    const heapFig = (i: number) => (heapWarm[i] === undefined ? '?' : `${heapWarm[i]} -> ${heapEnd[i]}`);
    // Growth: RSS after a full GC at the end of the warm-up against RSS after a full GC at the end.
    // (The 5 s samples ride the GC saw-tooth, and the warm-up probe's own collection puts a dip
    // right after the warm-up: a median of samples there against the last ones measured the dip.)
    const at = series.findIndex((x) => x.t === warmupS);
    const growth = (a?: number, b?: number) => (a && b ? Math.round(((b - a) / a) * 1000) / 10 : undefined);
    const serverGrowth = growth(rssWarm[0], rssEnd[0]);
    const stdioGrowth = stdioSessions.map((_, i) => growth(rssWarm[i + 1], rssEnd[i + 1]));
    const worst = Math.max(serverGrowth ?? 0, ...stdioGrowth.map((g) => g ?? 0));
    const p = percentiles(stats.latencies);
    ctx.report.add({
      part: 'load',
      transport: [...new Set(plan.map((a) => a.id))].join('+'),
      name: `soak ${seconds} s, 8 sessions, RSS every ${everyS} s (growth after ${warmupS} s warm-up < 10%, RSS after a full GC at both ends)`,
      status: worst < 10 && stats.errors === 0 ? 'pass' : 'fail',
      figures: {
        calls: stats.calls,
        errors: stats.errors,
        calls_per_s: Math.round(stats.calls / seconds),
        p50_ms: p.p50,
        p99_ms: p.p99,
        server_rss_mb: series.map((x) => x.server ?? '?').join(' '),
        server_rss_after_gc_mb: `${rssWarm[0] ?? '?'} -> ${rssEnd[0] ?? '?'}`,
        server_growth_pct: serverGrowth,
        server_heap_after_gc_mb: heapFig(0),
        memory_mb_warm_to_end: breakdown
          .map((b, i) => {
            const a = b[at >= 0 ? at : 0];
            const z = b[b.length - 1];
            if (!a || !z) return undefined;
            const name = i === 0 ? 'server' : (stdioSessions[i - 1]?.adapter ?? `stdio ${i}`);
            return `${name}: rss ${a.rss}->${z.rss} heapTotal ${a.heapTotal}->${z.heapTotal} heapUsed ${a.heapUsed}->${z.heapUsed} external ${a.external}->${z.external} arrayBuffers ${a.arrayBuffers}->${z.arrayBuffers} other ${Math.round((a.rss - a.heapTotal - a.external) * 10) / 10}->${Math.round((z.rss - z.heapTotal - z.external) * 10) / 10}`;
          })
          .filter(Boolean)
          .join(' / '),
        ...(stdioSessions.length ? { stdio_processes: stdioSessions.map((x) => x.adapter).join(' / '), stdio_heap_after_gc_mb: stdioSessions.map((_, i) => heapFig(i + 1)).join(' / '), stdio_rss_after_gc_mb: stdioSessions.map((_, i) => `${rssWarm[i + 1] ?? '?'} -> ${rssEnd[i + 1] ?? '?'}`).join(' / '), stdio_growth_pct: stdioGrowth.join(' '), stdio_rss_mb: stdioSessions.map((_, i) => series.map((x) => x.stdio[i] ?? '?').join(' ')).join(' / ') } : {}),
      },
      detail: stats.errors ? `${stats.errors} errors, e.g. ${stats.firstErrors.join(' / ')}` : undefined,
    });
  } finally {
    await closeAll(sessions);
  }
}

/** Defect 2: every failed initialize must leave nothing behind (live heap after GC, and RSS). */
async function failedInitializes(ctx: Ctx, stack: Stack, a: Adapter): Promise<void> {
  const name = 'failed initializes: memory';
  if (a.transport !== 'streamable-http') {
    ctx.report.add({ part: 'load', transport: a.id, name, status: 'n/a', figures: {}, defects: [2], detail: 'not applicable: only HTTP takes handshakes without a session' });
    return;
  }
  const n = ctx.scale(3000, 1000);
  const heap = stack.server.inspectPort ? await HeapProbe.connect(stack.server.inspectPort).catch(() => undefined) : undefined;
  try {
    const body = a.protocol === '2026-07-28' ? BAD_DISCOVER_2026 : BAD_INIT_2025;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${stack.target.apiKey}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...(a.protocol === '2026-07-28' ? { 'MCP-Protocol-Version': '2026-07-28' } : {}),
    };
    await flood(ctx, stack, a, name, n, body, headers, heap, [2]);
    // The same number of plain stateless requests: a baseline, and a leak of its own if it grows.
    if (a.protocol === '2025') {
      await flood(ctx, stack, a, 'stateless requests (tools/list without a session): memory', Math.round(n / 2), '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', headers, heap, []);
    }
  } finally {
    heap?.close();
  }
}

async function flood(ctx: Ctx, stack: Stack, a: Adapter, name: string, n: number, body: string, headers: Record<string, string>, heap: HeapProbe | undefined, defects: number[]): Promise<void> {
  // Leaks are judged on the live heap after a full GC; RSS (reported) also holds garbage V8 keeps.
  const heapLimitMb = Math.round((n * 1) / 1024 * 10) / 10; // 1 KB per request
  const rssLimitMb = ctx.scale(100, 60);
  // Warm-up: the first requests of a kind compile code and fill caches; that is not a leak.
  for (let i = 0; i < Math.min(200, n / 5); i++) await fetch(stack.target.mcpUrl, { method: 'POST', headers, body }).then((r) => r.arrayBuffer(), () => undefined);
  await sleep(500);
  const heapBefore = await heap?.liveHeapMb().catch(() => undefined);
  const before = stack.server.rssMb();
  const statuses = new Map<number, number>();
  let next = 0;
  const end = activity.begin(`${a.id} ${n} x ${body.slice(0, 60)}`);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n && performance.now() - t0 < 60_000) {
        next++;
        const r = await fetch(stack.target.mcpUrl, { method: 'POST', headers, body }).then(
          async (res) => (await res.arrayBuffer(), res.status),
          () => 0,
        );
        statuses.set(r, (statuses.get(r) ?? 0) + 1);
      }
    }),
  );
  end();
  const seconds = (performance.now() - t0) / 1000;
  await sleep(1000);
  const after = stack.server.rssMb();
  const heapAfter = await heap?.liveHeapMb().catch(() => undefined);
  const grew = before !== undefined && after !== undefined ? Math.round((after - before) * 10) / 10 : undefined;
  const heapGrew = heapBefore !== undefined && heapAfter !== undefined ? Math.round((heapAfter - heapBefore) * 10) / 10 : undefined;
  const sent = [...statuses.values()].reduce((x, y) => x + y, 0);
  const leak = (heapGrew !== undefined && heapGrew > heapLimitMb) || (grew !== undefined && grew > rssLimitMb);
  const h = await fetch(`${stack.server.url}/health`).then((r) => r.json() as Promise<{ mcp_sessions?: number }>, () => undefined);
  ctx.report.add({
    part: 'load',
    transport: a.id,
    name,
    status: !leak && heapGrew !== undefined && !statuses.has(0) ? 'pass' : 'fail',
    defects,
    figures: {
      requests: sent,
      body: body.length > 60 ? `${body.slice(0, 60)}…` : body,
      statuses: [...statuses].map(([st, c]) => `${st}x${c}`).join(' '),
      seconds: Math.round(seconds * 10) / 10,
      heap_after_gc_mb: heapBefore === undefined ? undefined : `${heapBefore} -> ${heapAfter}`,
      heap_growth_mb: heapGrew,
      heap_limit_mb: heapLimitMb,
      rss_mb: `${before} -> ${after}`,
      rss_growth_mb: grew,
      open_sessions_after: h?.mcp_sessions,
    },
    detail: leak
      ? `kept ${heapGrew} MB of live heap (${Math.round((((heapGrew ?? 0) * 1024) / sent) * 10) / 10} KB per request), RSS +${grew} MB`
      : heapGrew === undefined
        ? 'no heap figure (inspector unavailable)'
        : statuses.has(0)
          ? `${statuses.get(0)} requests got no answer`
          : undefined,
  });
}

/** Defect 1: clients that never say goodbye must not lock out the next one. */
async function abandoned(ctx: Ctx, stack: Stack, a: Adapter): Promise<void> {
  const n = ctx.scale(300, 120);
  let refused = 0;
  let firstRefusalAt: number | undefined;
  let firstRefusal = '';
  const left: Session[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    try {
      const s = await a.connect(stack.target, { timeoutMs: 10_000 });
      await s.abandon();
      left.push(s);
    } catch (err) {
      refused++;
      if (firstRefusalAt === undefined) {
        firstRefusalAt = i + 1;
        firstRefusal = String((err as Error).message).slice(0, 160);
      }
    }
  }
  const abandonS = (performance.now() - t0) / 1000;
  // The new client: connected and served within a second.
  const t1 = performance.now();
  let connectMs: number | undefined;
  let served = false;
  let why = '';
  try {
    const s = await a.connect(stack.target, { timeoutMs: 5000 });
    connectMs = Math.round(performance.now() - t1);
    const r = await s.call('ha_get_state', { entity_id: 'sun.sun' }, 5000);
    served = r.kind === 'ok';
    if (!served) why = JSON.stringify(r).slice(0, 200);
    await s.close();
  } catch (err) {
    why = String((err as Error).message).slice(0, 200);
  }
  const h = await fetch(`${stack.server.url}/health`).then((r) => r.json() as Promise<{ mcp_sessions?: number }>, () => undefined);
  const atOnce = served && connectMs !== undefined && connectMs < 1000;
  ctx.report.add({
    part: 'load',
    transport: a.id,
    name: `abandoned sessions (${n}), then a new client connects at once`,
    status: atOnce && refused === 0 ? 'pass' : 'fail',
    defects: [1],
    figures: {
      abandoned: n - refused,
      refused_while_abandoning: refused,
      first_refused_at: firstRefusalAt,
      seconds: Math.round(abandonS * 10) / 10,
      new_client_connect_ms: connectMs,
      new_client_served: served,
      open_sessions_after: h?.mcp_sessions,
    },
    detail: !atOnce ? `new client ${served ? `took ${connectMs} ms` : `refused: ${why}`}${refused ? `; ${refused} of ${n} refused from session ${firstRefusalAt} on (${firstRefusal})` : ''}` : refused ? `${refused} refused from session ${firstRefusalAt}: ${firstRefusal}` : undefined,
  });
  await closeAll(left);
}

/** stdio: a client that goes away closes the pipe; its server process must exit by itself. */
async function abandonedStdio(ctx: Ctx, stack: Stack, a: Adapter): Promise<void> {
  const n = ctx.scale(5, 3);
  const sessions: Session[] = [];
  for (let i = 0; i < n; i++) sessions.push(await a.connect(stack.target));
  const pids = sessions.map((s) => s.pid);
  for (const s of sessions) await s.abandon();
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && pids.some((p) => alive(p))) await sleep(100);
  const leftAlive = pids.filter((p) => alive(p)).length;
  for (const p of pids) if (p && alive(p)) process.kill(p, 'SIGKILL');
  const t1 = performance.now();
  let connectMs: number | undefined;
  let served = false;
  try {
    const s = await a.connect(stack.target, { timeoutMs: 10_000 });
    connectMs = Math.round(performance.now() - t1);
    served = (await s.call('ha_get_state', { entity_id: 'sun.sun' }, 5000)).kind === 'ok';
    await s.close();
  } catch {
    // not served
  }
  ctx.report.add({
    part: 'load',
    transport: a.id,
    name: `abandoned stdio clients (${n}): each server exits by itself within 5 s; a new client connects`,
    status: leftAlive === 0 && served ? 'pass' : 'fail',
    related: [1],
    figures: { clients: n, still_running_after_5s: leftAlive, new_client_connect_ms: connectMs, new_client_served: served },
    detail: leftAlive ? `${leftAlive} server processes kept running after their client went away` : undefined,
  });
}
