// scripts/check-prod-build's last step: the folder laid out as the image's /app (dist/,
// production node_modules, package.json, entrypoint.sh) runs the way the image runs it, through
// the Dockerfile's ENTRYPOINT, against the simulator:
//   the CMD (the add-on's start): /health connected, the HEALTHCHECK passes, tools/list answers,
//     SIGTERM ends it with exit code 0;
//   `stdio` (docker run -i --rm ... IMAGE stdio): JSON-RPC lines in on stdin and out on stdout,
//     nothing else on stdout, the log on stderr, no HTTP server, closing stdin ends it with 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../../sim/server.js';
import { freePort } from '../helpers/net.js';
import { execForm, parseDockerfile } from './dockerfile.js';
import { rpc, startServerProcess } from './serverProcess.js';

const appDir = resolve(process.argv[2] ?? '.');
const addonDir = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'prod-smoke-key-0123456789abcdef';

function fail(msg: string): never {
  process.stderr.write(`check-prod-build: ${msg}\n`);
  process.exit(1);
}

const df = parseDockerfile(join(addonDir, 'Dockerfile'));
const last = df.stages[df.stages.length - 1];
const cmd = execForm(last?.body.find((i) => i.keyword === 'CMD')?.args ?? '');
const healthcheck = execForm(last?.body.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '');
const entrypoint = execForm(last?.body.find((i) => i.keyword === 'ENTRYPOINT')?.args ?? '');
if (!cmd || cmd[0] !== 'node' || !healthcheck || healthcheck[0] !== 'node') fail('the Dockerfile CMD and HEALTHCHECK must be exec-form node commands');
if (!entrypoint || entrypoint.length !== 2 || entrypoint[0] !== '/bin/sh' || !entrypoint[1]?.startsWith('/app/')) {
  fail('the Dockerfile ENTRYPOINT must be ["/bin/sh", "/app/<script>"]');
}
// /app is appDir here; the script's `node` must be this node.
const [shell, scriptInImage] = entrypoint as [string, string];
const script = join(appDir, scriptInImage.slice('/app/'.length));
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;

const sim = await startSimulator({ port: 0 });
const dir = mkdtempSync(join(tmpdir(), 'prod-smoke-'));
writeFileSync(join(dir, 'options.json'), JSON.stringify({ api_keys: [{ name: 'smoke', key: KEY }] }));
const t0 = Date.now();
const server = await startServerProcess({
  command: shell,
  cwd: appDir,
  args: [script, ...cmd],
  env: {
    PATH,
    NODE_ENV: 'production',
    HOMEASSISTANT_URL: sim.url,
    HOMEASSISTANT_TOKEN: sim.token,
    MCP_OPTIONS_FILE: join(dir, 'options.json'),
    MCP_DATA_DIR: join(dir, 'data'),
  },
});
try {
  const health = await server.waitHealth();
  const startMs = Date.now() - t0;
  const hc = await new Promise<number | null>((r) =>
    spawn(process.execPath, healthcheck.slice(1), { env: { MCP_PORT: String(server.port) }, stdio: 'inherit' }).on('exit', r),
  );
  if (hc !== 0) fail(`the HEALTHCHECK command exited ${hc}`);
  const list = await rpc(server.url, KEY, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
  const tools = (list.json?.result?.tools ?? []) as { name: string }[];
  if (list.status !== 200 || tools.length === 0) fail(`tools/list answered ${list.status} ${JSON.stringify(list.json)}`);
  const { code, signal, ms } = await server.stop('SIGTERM');
  if (code !== 0) fail(`SIGTERM ended the server with code ${code} signal ${signal}\n${server.output()}`);
  process.stdout.write(
    `check-prod-build: ${entrypoint.join(' ')} ${cmd.join(' ')} (version ${health.version}) connected in ${startMs} ms, HEALTHCHECK ok, ` +
      `${tools.length} tools, SIGTERM -> exit 0 in ${ms} ms\n`,
  );
  const s = await stdioSmoke(tools.length);
  process.stdout.write(
    `check-prod-build: ${entrypoint.join(' ')} stdio: initialize -> ${s.protocol}, ${s.tools} tools, ha_get_state over stdio, ` +
      `${s.lines} stdout lines all JSON-RPC, log on stderr, no HTTP server; stdin closed -> exit 0 in ${s.ms} ms\n`,
  );
} finally {
  await server.stop('SIGKILL');
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The image's stdio mode: `/bin/sh /app/entrypoint.sh stdio`, spoken to as a local MCP client would. */
async function stdioSmoke(httpTools: number): Promise<{ protocol: string; tools: number; lines: number; ms: number }> {
  const port = await freePort();
  const child = spawn(shell, [script, 'stdio'], {
    cwd: appDir,
    // MCP_PORT only to show that nothing listens on it; HOMEASSISTANT_* as in `docker run -e`.
    env: { PATH, NODE_ENV: 'production', HOMEASSISTANT_URL: sim.url, HOMEASSISTANT_TOKEN: sim.token, MCP_DATA_DIR: join(dir, 'data-stdio'), MCP_PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const lines: string[] = [];
  const waiting = new Map<number, (msg: any) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    let msg: any;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof msg?.id === 'number') waiting.get(msg.id)?.(msg);
  });
  const die = (msg: string): never => {
    child.kill('SIGKILL');
    fail(`stdio: ${msg}\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`);
  };
  let nextId = 1;
  const request = (method: string, params?: unknown) =>
    new Promise<any>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => die(`no answer to ${method} in 10 s`), 10_000);
      waiting.set(id, (msg) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(msg);
      });
      child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });

  try {
    const init = await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'prod-smoke', version: '1' } });
    if (init.result?.serverInfo?.name !== 'mcp-ha') die(`initialize answered ${JSON.stringify(init)}`);
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
    const list = await request('tools/list');
    const tools = (list.result?.tools ?? []).length as number;
    if (tools !== httpTools) die(`tools/list gave ${tools} tools, the HTTP server ${httpTools}`);
    // The first call may come before the home is loaded: retry on ha_unreachable.
    let state: any;
    for (let i = 0; i < 100; i++) {
      const call = await request('tools/call', { name: 'ha_get_state', arguments: { entity_id: 'light.bed_light' } });
      state = JSON.parse(call.result?.content?.[0]?.text ?? '{}');
      if (state.error !== 'ha_unreachable') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (state?.state?.entity_id !== 'light.bed_light') die(`ha_get_state answered ${JSON.stringify(state).slice(0, 300)}`);

    const listening = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => true,
      () => false,
    );
    if (listening) die(`something answers on MCP_PORT ${port}: stdio mode must not start the HTTP server`);
    const notRpc = lines.filter((l) => {
      try {
        return (JSON.parse(l) as { jsonrpc?: unknown }).jsonrpc !== '2.0';
      } catch {
        return true;
      }
    });
    if (notRpc.length) die(`stdout has lines that are not JSON-RPC: ${notRpc.slice(0, 3).join(' | ')}`);
    if (!/serving MCP on stdio/.test(stderr)) die('the start-up log line is not on stderr');
    if (/listening/.test(stderr)) die('the log says an HTTP server is listening');
    if (stderr.includes(sim.token)) die('the token is in the log');

    const t0 = Date.now();
    child.stdin.end();
    const timer = setTimeout(() => die('still running 10 s after stdin closed'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) die(`closing stdin ended it with code ${code}`);
    return { protocol: init.result.protocolVersion as string, tools, lines: lines.length, ms: Date.now() - t0 };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
