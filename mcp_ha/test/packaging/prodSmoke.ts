// scripts/check-prod-build's last step: the folder laid out as the image's /app (dist/,
// production node_modules, package.json) runs with plain `node dist/main.js` against the
// simulator: /health connected, the Dockerfile's HEALTHCHECK passes, tools/list answers, and
// SIGTERM ends it with exit code 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../../sim/server.js';
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
if (!cmd || cmd[0] !== 'node' || !healthcheck || healthcheck[0] !== 'node') fail('the Dockerfile CMD and HEALTHCHECK must be exec-form node commands');

const sim = await startSimulator({ port: 0 });
const dir = mkdtempSync(join(tmpdir(), 'prod-smoke-'));
writeFileSync(join(dir, 'options.json'), JSON.stringify({ api_keys: [{ name: 'smoke', key: KEY }] }));
const t0 = Date.now();
const server = await startServerProcess({
  cwd: appDir,
  args: cmd.slice(1),
  env: {
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
    `check-prod-build: node ${cmd.slice(1).join(' ')} (version ${health.version}) connected in ${startMs} ms, HEALTHCHECK ok, ` +
      `${tools.length} tools, SIGTERM -> exit 0 in ${ms} ms\n`,
  );
} finally {
  await server.stop('SIGKILL');
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
