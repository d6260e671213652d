// scripts/dev as a new user runs it on a machine where a Home Assistant already listens on
// 8123: the simulator takes the next free port and says so, the usual lines follow, and the
// server answers /health connected to that simulator. A real process (a process group: the
// script, the simulator, the server), ended by SIGTERM to the group.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { freePort } from '../helpers/net.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A stand-in for a Home Assistant on 8123 (401 without a token); undefined when 8123 is taken already. */
function occupy8123(): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const s = createServer((_req, res) => res.writeHead(401, { 'content-type': 'text/plain' }).end('401: Unauthorized'));
    s.once('error', () => resolve(undefined));
    s.listen(8123, '127.0.0.1', () => resolve(s));
  });
}

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

t.test('scripts/dev starts with port 8123 taken', { timeout: 240_000 }, async (t) => {
  const ha = await occupy8123();
  t.teardown(() => void ha?.close());
  if (!ha) t.comment('8123 was taken already');
  const mcpPort = await freePort();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, MCP_PORT: String(mcpPort), MCP_DATA_DIR: mkdtempSync(join(tmpdir(), 'mcp-ha-dev-')), LOG_LEVEL: 'warn' };
  const child = spawn('bash', [join(repo, 'scripts', 'dev')], { cwd: repo, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.teardown(async () => {
    if (child.exitCode === null) {
      process.kill(-(child.pid as number), 'SIGTERM');
      await exited;
    }
  });

  // Everything printed, then /health connected to Home Assistant (the simulator).
  const deadline = Date.now() + 200_000;
  let health: { home_assistant?: { cache_ready?: boolean } } = {};
  while (!health.home_assistant?.cache_ready) {
    if (child.exitCode !== null) throw new Error(`scripts/dev exited ${child.exitCode}:\n${out}\n${err}`);
    if (Date.now() > deadline) throw new Error(`not ready in time:\n${out}\n${err}`);
    if (out.includes('Check:')) health = (await fetch(`http://127.0.0.1:${mcpPort}/health`).then((r) => r.json()).catch(() => ({}))) as typeof health;
    await new Promise((r) => setTimeout(r, 200));
  }

  const moved = /^Port 8123 is in use \(a Home Assistant\?\); the simulator takes port (\d+) instead \(SIM_PORT chooses one\)\.$/m.exec(out);
  t.ok(moved, 'says which port it took', { out });
  const simPort = Number(moved?.[1]);
  t.not(simPort, 8123);
  t.match(out, new RegExp(`^Home Assistant simulator \\(demo home\\): http://127\\.0\\.0\\.1:${simPort}$`, 'm'));
  t.match(out, /^Simulator login: user demo, password \S+$/m);
  t.match(out, new RegExp(`^MCP URL: {3}http://localhost:${mcpPort}/mcp$`, 'm'));
  const token = /^Token: {5}(\S+)$/m.exec(out)?.[1] ?? '';
  t.match(token, /^dev-[0-9a-f]{48}$/, 'the development API key');
  t.match(out, new RegExp(`^Check: {5}curl -X POST http://localhost:${mcpPort}/messages `, 'm'));
  t.notMatch(out + err, /EADDRINUSE|failed to start/);

  // The printed check works: tools through the printed token.
  const check = await fetch(`http://127.0.0.1:${mcpPort}/messages`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ha_get_state', arguments: { entity_id: 'sun.sun' } } }),
  });
  t.equal(check.status, 200);
  t.match(JSON.stringify(await check.json()), /sun\.sun/, 'the server reads the simulator');
  if (ha) t.equal((await fetch('http://127.0.0.1:8123/api/')).status, 401, 'the Home Assistant on 8123 is left alone');
  // The add-on's page: its URL carries the token in the fragment; the page loads, its API takes the token.
  t.match(out, new RegExp(`^Page: {6}http://localhost:${mcpPort}/ui/#token=${token}$`, 'm'));
  t.equal((await fetch(`http://127.0.0.1:${mcpPort}/ui/`)).status, 200, 'the page is built and served');
  t.equal((await fetch(`http://127.0.0.1:${mcpPort}/ui/api/status`, { headers: { Authorization: `Bearer ${token}` } })).status, 200);

  process.kill(-(child.pid as number), 'SIGTERM');
  await exited;
  t.ok(await canListen(simPort), "the simulator's port is free again");
  t.ok(await canListen(mcpPort), "the server's port is free again");
});
