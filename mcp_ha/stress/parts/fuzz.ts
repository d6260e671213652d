// fuzz: fast-check over every tool's published input schema through each MCP client, malformed
// JSON-RPC on every raw channel, hostile URLs and headers, and the six known defects' own cases,
// while /health is watched: never a crash or a stall, no 5xx but the documented 503, no stack
// trace, file path or token, every error in its documented shape and code.
import { dirname } from 'node:path';
import fc from 'fast-check';
import type { Adapter, Session } from '../adapters.js';
import { activity, brief } from '../lib/activity.js';
import type { Ctx, Stack } from '../lib/context.js';
import { HealthMonitor, type Stall } from '../lib/health.js';
import { API_KEY, PKG_DIR, health, sleep } from '../lib/procs.js';
import { rawHttp } from '../lib/raw.js';
import { type Check, type Figure } from '../lib/report.js';
import { learnHome } from '../lib/workload.js';
import { AUTH_CASES, BROKEN_HTTP, FIXED_URLS, httpCases, rpcBodies, type HttpCase } from '../fuzz/cases.js';
import { messagesChannel, modernChannel, sessionChannel, sseChannel, statelessChannel, stdioChannel, type RpcChannel } from '../fuzz/channels.js';
import { httpViolations, outcomeViolations, Tally, type OracleEnv, type Violation } from '../fuzz/oracle.js';
import { DEFAULT_VOCABULARY, toolArgs, type Vocabulary } from '../fuzz/schema.js';
import { deepJsonText, hostileString } from '../fuzz/values.js';

const now = () => performance.timeOrigin + performance.now();
const HUGE_ID = `light.${'a'.repeat(250_000)}`;
const BATCH_10K = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'tools/list' })));
const DEEP_5000 = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ha_call_service","arguments":{"domain":"light","service":"turn_on","entity_id":"light.bed_light","service_data":{"effect":${deepJsonText(5000)}}}}}`;
const DEEP_5000_PLAIN = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ha_call_service","arguments":{"domain":"light","service":"turn_on","entity_id":"light.bed_light","service_data":${deepJsonText(5000)}}}}`;
const INIT_EMPTY = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}';
const INIT_CAPS_ARRAY = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":[],"clientInfo":{"name":"x","version":"1"}}}';
const READ_PERCENT = '{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"hass://entity/%"}}';
const GET_HUGE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ha_get_state', arguments: { entity_id: HUGE_ID } } });

interface Section {
  name: string;
  transport: string;
  defects?: number[];
  related?: number[];
  /** Returns the violations found (a Tally for many cases) and figures; `cleanup` runs after slow probes were replayed. */
  run(): Promise<{ tally: Tally; figures?: Record<string, Figure>; note?: string; cleanup?: () => Promise<void> }>;
}

export async function runFuzz(ctx: Ctx): Promise<void> {
  const stack = await ctx.stack();
  const env: OracleEnv = { secrets: [API_KEY, stack.sim.token], paths: [PKG_DIR, stack.server.dataDir, dirname(stack.server.dataDir)], slowMs: 3000 };
  const monitor = new HealthMonitor(stack.server.url, ctx.controlUrl).start();
  const crashes: string[] = [];
  const port = stack.server.port;
  const seed = ctx.seed;
  const has = (id: string) => ctx.available.some((a) => a.id === id);

  /** After each request: did the server die? Then note it and start it again. */
  const guard = async (what: string): Promise<Violation[]> => {
    const c = stack.server.child;
    if (c && c.exitCode === null && c.signalCode === null) return [];
    crashes.push(`${what} (exit ${c?.exitCode ?? c?.signalCode})`);
    await stack.server.launch();
    return [{ rule: 'crash', detail: `server exited after ${what}` }];
  };

  const run = async (s: Section) => {
    const t0 = now();
    let result: Awaited<ReturnType<Section['run']>>;
    try {
      result = await s.run();
    } catch (err) {
      ctx.report.add({ part: 'fuzz', transport: s.transport, name: s.name, status: 'fail', figures: {}, defects: s.defects, detail: `the section failed: ${String((err as Error).message).slice(0, 200)}` });
      return;
    }
    const h = monitor.summary(t0, now());
    const { tally } = result;
    // A slow /health counts when sending the request in flight again stalls it again.
    const { confirmed, unconfirmed } = await confirm(h.stalls);
    await result.cleanup?.();
    const stalls = confirmed.length;
    const ok = tally.violations === 0 && stalls === 0;
    const check: Check = {
      part: 'fuzz',
      transport: s.transport,
      name: s.name,
      status: ok ? 'pass' : 'fail',
      defects: s.defects,
      related: s.related,
      figures: { cases: tally.cases, violations: tally.violations, ...result.figures, health_max_ms: h.max_ms, health_stalls: stalls, ...(unconfirmed.length ? { health_slow_not_reproduced: unconfirmed.length } : {}) },
      detail: [tally.violations ? tally.summary() : '', stalls ? `/health over ${h.limit_ms} ms ${stalls}x, again when replayed (worst ${Math.max(...confirmed.map((x) => x.ms))} ms, during ${confirmed[0]?.in_flight[0] ?? '?'})` : '', result.note ?? ''].filter(Boolean).join('; ') || undefined,
      examples: tally.examples.length ? tally.examples : undefined,
    };
    ctx.report.add(check);
  };

  /** Replays what was in flight during each slow /health probe (twice at most): a stall that does not come back was the machine. */
  const allConfirmed: Stall[] = [];
  const allUnconfirmed: Stall[] = [];
  async function confirm(stalls: Stall[]): Promise<{ confirmed: Stall[]; unconfirmed: Stall[] }> {
    const confirmed: Stall[] = [];
    const unconfirmed: Stall[] = [];
    for (const [i, st] of stalls.entries()) {
      const suspect = activity.overlapping(st.t, st.t + st.ms, 50).find((x) => x.replay && !x.label.startsWith('stdio'));
      if (!suspect?.replay || i >= 5) {
        confirmed.push(st);
        continue;
      }
      let again = false;
      for (let k = 0; k < 2 && !again; k++) {
        const a0 = now();
        const end = activity.begin(`replay: ${suspect.label}`);
        await suspect.replay().catch(() => undefined);
        end();
        await sleep(250);
        again = monitor.summary(a0 - 60, now()).stalls.length > 0;
      }
      (again ? confirmed : unconfirmed).push(st);
    }
    allConfirmed.push(...confirmed);
    allUnconfirmed.push(...unconfirmed);
    return { confirmed, unconfirmed };
  }

  /** One raw body on one channel, as a section of one case. */
  const single = (name: string, defects: number[], ch: RpcChannel, body: string, opts: { maxBytes?: number; limitMs?: number } = {}): Section => ({
    name,
    transport: ch.transport === 'server' ? ch.name : `${ch.transport} (${ch.name})`,
    defects,
    async run() {
      const tally = new Tally();
      const end = activity.begin(`${ch.name}: ${name}`, () => ch.send(body, { timeoutMs: 20_000 }));
      const r = await ch.send(body, { maxBytes: opts.maxBytes, timeoutMs: 20_000 });
      end();
      const vs = [...r.violations, ...(await guard(name))];
      if (opts.limitMs !== undefined && r.ms > opts.limitMs) vs.push({ rule: 'stall', detail: `answered in ${Math.round(r.ms)} ms (limit ${opts.limitMs})` });
      tally.add(vs, name);
      return { tally, figures: { ms: Math.round(r.ms), status: r.status, bytes: r.bytes } };
    },
  });

  try {
    // The raw channels that exist on this server.
    const channels: RpcChannel[] = [messagesChannel(port, API_KEY, env), statelessChannel(port, API_KEY, env)];
    const opened: RpcChannel[] = [];
    const tryOpen = async (id: string, open: () => Promise<RpcChannel>) => {
      if (!has(id)) return;
      try {
        const ch = await open();
        channels.push(ch);
        opened.push(ch);
      } catch (err) {
        ctx.report.add({ part: 'fuzz', transport: id, name: 'raw channel opens', status: 'fail', figures: {}, detail: String((err as Error).message).slice(0, 200) });
      }
    };
    await tryOpen('http-2025', () => sessionChannel(port, API_KEY, env));
    await tryOpen('http-2026', async () => modernChannel(port, API_KEY, env));
    await tryOpen('sse', () => sseChannel(stack.server.url, port, API_KEY, env));
    await tryOpen('stdio-2025', async () => stdioChannel(await stack.target.stdioEnv(), env));

    // 1. The six defects' own cases, on every channel they apply to.
    const messages = channels[0] as RpcChannel;
    const stateless = channels[1] as RpcChannel;
    const others = channels.slice(2);
    await run(single('250,000-char entity id to ha_get_state', [3], messages, GET_HUGE, { limitMs: 2000 }));
    for (const ch of channels) await run(single('10,000 x tools/list in one batch: bounded (< 2 s, < 5 MB)', [4], ch, BATCH_10K, { maxBytes: 5_000_000, limitMs: 2000 }));
    for (const ch of [messages, stateless, ...others.filter((c) => c.transport === 'http-2026')]) {
      await run(single('initialize with params {}', [5], ch, INIT_EMPTY));
      await run(single('initialize with capabilities []', [5], ch, INIT_CAPS_ARRAY));
    }
    for (const ch of [messages, ...others]) {
      await run(single('resources/read hass://entity/%', [5], ch, READ_PERCENT));
      await run(single('service_data nested 5,000 deep (a known field)', [5], ch, DEEP_5000));
      await run(single('service_data nested 5,000 deep', [5], ch, DEEP_5000_PLAIN));
    }
    for (const url of FIXED_URLS.slice(0, 3)) {
      await run(httpSection(`GET ${url}: the project's error shape`, [6], [{ label: `GET ${url}`, method: 'GET', path: url, headers: [] }, { label: `GET ${url} (with a token)`, method: 'GET', path: url, headers: [], auth: true }]));
    }
    // Through each MCP client: the huge id and the bad resource URI.
    for (const a of ctx.all) {
      if (!has(a.id)) continue;
      const s = await a.connect(stack.target);
      try {
        await run(callSection(`250,000-char entity id to ha_get_state`, a, [3], [[HUGE_ID]], (x) => s.call('ha_get_state', { entity_id: x }, 20_000), 2000));
        await run(callSection('resources/read hass://entity/%', a, [5], [['hass://entity/%']], (x) => s.read(x, 20_000)));
      } finally {
        await s.close();
      }
    }

    // 2. Every tool's published input schema, through each MCP client.
    const budgetMs = (ctx.scale(100, 40) * 1000) / Math.max(1, ctx.available.length);
    for (const a of ctx.all) {
      if (!has(a.id)) {
        ctx.report.notAvailable('fuzz', 'tool input schemas (fast-check)', [a.id]);
        continue;
      }
      await run(await toolSection(ctx, stack, a, env, guard, budgetMs));
    }

    // 3. Malformed JSON-RPC on every raw channel.
    for (const [i, ch] of channels.entries()) {
      const bodies = rpcBodies(seed + 100 + i, ctx.scale(200, 40));
      await run({
        name: 'malformed JSON-RPC (fast-check)',
        transport: ch.transport === 'server' ? ch.name : `${ch.transport} (${ch.name})`,
        related: [4, 5],
        async run() {
          const tally = new Tally();
          const until = performance.now() + ctx.scale(20_000, 10_000);
          for (const b of bodies) {
            if (performance.now() > until) break;
            const end = activity.begin(`${ch.name}: ${b.label}`, () => ch.send(b.body, { timeoutMs: 3000 }));
            const r = await ch.send(b.body, { maxBytes: 5_000_000, timeoutMs: 3000 });
            end();
            tally.add([...r.violations, ...(await guard(b.label))], b.label);
          }
          return { tally, figures: { seed: seed + 100 + i }, note: tally.cases < bodies.length ? `time cap: ${tally.cases} of ${bodies.length} bodies` : undefined };
        },
      });
    }
    await Promise.allSettled(opened.map((c) => c.close()));

    // 4. Hostile URLs and headers; requests that break HTTP itself; bad credentials.
    const cases = httpCases(seed + 200, ctx.scale(300, 60));
    await run(httpSection('hostile URLs, methods and headers (fast-check)', [], [...FIXED_URLS.map((u) => ({ label: `GET ${u.slice(0, 60)}`, method: 'GET', path: u, headers: [], auth: true }) as HttpCase), ...cases], [6]));
    await run(httpSection('broken HTTP (parser level): the server lives on', [], BROKEN_HTTP));
    await run(
      httpSection(
        'bad credentials',
        [],
        AUTH_CASES.flatMap(([k, v]) => ['/mcp', '/messages', '/sse'].map((p): HttpCase => ({ label: `POST ${p} ${k}: ${v.slice(0, 30)}`, method: 'POST', path: p, headers: [[k, v], ['Content-Type', 'application/json']], body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' }))),
      ),
    );
  } finally {
    const h = await monitor.stop();
    const alive = await health(stack.server.url, 5000);
    ctx.report.add({
      part: 'fuzz',
      transport: 'server',
      name: `/health answered within ${h.limit_ms} ms throughout (a slow probe counts when the control server was fast and replaying the request in flight stalls it again)`,
      status: allConfirmed.length === 0 && h.failures === 0 ? 'pass' : 'fail',
      related: [3, 4],
      figures: { probes: h.probes, p50_ms: h.p50_ms, p99_ms: h.p99_ms, max_ms: h.max_ms, stalls: allConfirmed.length, not_reproduced: allUnconfirmed.length, machine_noise: h.noisy, slow_while_idle: h.idle, failed_probes: h.failures },
      detail: allConfirmed.length
        ? `worst stalls: ${[...allConfirmed].sort((a, b) => b.ms - a.ms).slice(0, 3).map((x) => `${x.ms} ms (control ${x.control_ms} ms) during ${x.in_flight[0] ?? '?'}`).join(' / ')}`
        : allUnconfirmed.length
          ? `${allUnconfirmed.length} slow probes did not come back when the request was replayed (worst ${Math.max(...allUnconfirmed.map((x) => x.ms))} ms during ${allUnconfirmed[0]?.in_flight[0] ?? '?'})`
          : undefined,
    });
    ctx.report.add({
      part: 'fuzz',
      transport: 'server',
      name: 'the server never crashed',
      status: crashes.length === 0 && alive !== undefined ? 'pass' : 'fail',
      figures: { crashes: crashes.length },
      detail: crashes.length ? crashes.slice(0, 5).join('; ') : undefined,
    });
    await stack.close();
  }

  function httpSection(name: string, defects: number[], cs: HttpCase[], related?: number[]): Section {
    return {
      name,
      transport: 'server',
      defects,
      related,
      async run() {
        const tally = new Tally();
        const until = performance.now() + ctx.scale(40_000, 15_000);
        for (const c of cs) {
          if (performance.now() > until) break;
          const headers: [string, string][] = [...(c.auth ? ([['Authorization', `Bearer ${API_KEY}`]] as [string, string][]) : []), ...c.headers];
          const req = { method: c.method, path: c.path, headers, body: c.body, verbatim: c.verbatim, extraLines: c.extraLines, timeoutMs: 3000 };
          const end = activity.begin(`HTTP ${c.label}`, () => rawHttp(port, req));
          const res = await rawHttp(port, req);
          end();
          const vs = httpViolations(res, env, { request: `${c.path}\n${c.headers.map((h) => h.join(': ')).join('\n')}\n${c.body ?? ''}`, context: c.label.slice(0, 80), malformedHttp: c.malformedHttp, mayStream: c.mayStream, head: c.method === 'HEAD' });
          // After a broken request, the next ordinary one must be answered at once.
          if (c.malformedHttp) {
            const t0 = performance.now();
            const h = await health(stack.server.url, 5000);
            if (!h) vs.push({ rule: 'no-answer', detail: `${c.label}: /health did not answer afterwards` });
            else if (performance.now() - t0 > 1000) vs.push({ rule: 'stall', detail: `${c.label}: /health took ${Math.round(performance.now() - t0)} ms afterwards` });
          }
          tally.add([...vs, ...(await guard(c.label))], c.label);
        }
        return { tally, figures: {}, note: tally.cases < cs.length ? `time cap: ${tally.cases} of ${cs.length}` : undefined };
      },
    };
  }

  function callSection(name: string, a: Adapter, defects: number[], inputs: [string][], call: (x: string) => ReturnType<Session['call']>, limitMs?: number): Section {
    return {
      name,
      transport: a.id,
      defects,
      async run() {
        const tally = new Tally();
        let worst = 0;
        for (const [x] of inputs) {
          const label = `${name} ${brief(x, 60)}`;
          const end = activity.begin(`${a.id} ${label}`, () => call(x));
          const o = await call(x);
          end();
          worst = Math.max(worst, o.ms);
          const vs = outcomeViolations(o, env, x, a.id);
          if (limitMs !== undefined && o.ms > limitMs) vs.push({ rule: 'stall', detail: `answered in ${Math.round(o.ms)} ms (limit ${limitMs})` });
          tally.add([...vs, ...(await guard(label))], label);
        }
        return { tally, figures: { ms: Math.round(worst) } };
      },
    };
  }
}

async function toolSection(ctx: Ctx, stack: Stack, a: Adapter, env: OracleEnv, guard: (what: string) => Promise<Violation[]>, budgetMs: number): Promise<Section> {
  return {
    name: 'tool input schemas (fast-check): every tool, hostile arguments',
    transport: a.id,
    related: [3, 5],
    async run() {
      let s = await a.connect(stack.target);
      const tools = await s.listTools();
      const home = await learnHome(s);
      const vocab: Vocabulary = { ...DEFAULT_VOCABULARY, ids: home.ids, domains: home.domains, areas: home.areas, names: home.names };
      const perTool = ctx.scale(60, 12);
      // Interleaved: tool by tool would spend the whole budget on the first tools.
      const plan: { tool: string; args: unknown }[] = [];
      const samples = tools.map((t, i) => fc.sample(toolArgs(t.inputSchema, vocab), { seed: ctx.seed + i, numRuns: perTool }));
      for (let k = 0; k < perTool; k++) tools.forEach((t, i) => plan.push({ tool: t.name, args: samples[i]?.[k] }));
      // Unknown tools and hostile resource URIs too.
      const uris = fc.sample(hostileString, { seed: ctx.seed + 999, numRuns: ctx.scale(40, 10) }).map((x) => `hass://entity/${x}`);
      const tally = new Tally();
      const until = performance.now() + budgetMs;
      let reconnects = 0;
      const byTool = new Map<string, number>();
      const one = async (label: string, request: string, call: () => ReturnType<Session['call']>) => {
        const end = activity.begin(`${a.id} ${label}`, call);
        const o = await call();
        end();
        tally.add([...outcomeViolations(o, env, request, `${a.id} ${label.split(' ')[0]}`), ...(await guard(label))], label);
        // A broken session is itself reported; carry on with a new one.
        if (o.kind === 'failure' && !o.timeout) {
          reconnects++;
          await s.close();
          s = await a.connect(stack.target);
        }
      };
      try {
        for (const { tool, args } of plan) {
          if (performance.now() > until) break;
          byTool.set(tool, (byTool.get(tool) ?? 0) + 1);
          let request: string;
          try {
            request = JSON.stringify(args);
          } catch {
            request = '';
          }
          await one(`${tool} ${brief(args)}`, request, () => s.call(tool, args, 15_000));
        }
        for (const name of ['nope', '', '__proto__', 'ha_get_state\u0000', 'x'.repeat(5000)]) await one(`tools/call unknown tool ${brief(name)}`, name, () => s.call(name, {}, 15_000));
        for (const uri of uris) {
          if (performance.now() > until) break;
          await one(`resources/read ${brief(uri)}`, uri, () => s.read(uri, 15_000));
        }
      } catch (err) {
        await s.close();
        throw err;
      }
      const covered = tools.filter((t) => (byTool.get(t.name) ?? 0) > 0).length;
      return {
        cleanup: () => s.close(),
        tally,
        figures: { tools: tools.length, tools_covered: covered, per_tool: Math.min(...tools.map((t) => byTool.get(t.name) ?? 0)), seed: ctx.seed, reconnects },
        note: performance.now() > until ? `time cap ${Math.round(budgetMs / 1000)} s reached` : undefined,
      };
    },
  };
}
