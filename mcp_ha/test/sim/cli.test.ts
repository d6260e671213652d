// scripts/sim's entry point: starts, prints URL and token, serves, and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

t.test('sim/cli.ts prints its URL and token and serves the demo home', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', '--port', '0', '--token', 'cli-token'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /URL:\s+(http\S+)/.exec(out);
      if (m && out.includes('Token:')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  t.match(out, /Token:\s+cli-token/);
  t.match(out, /WebSocket: ws:\/\/127\.0\.0\.1:\d+\/api\/websocket/);
  const res = await fetch(`${url}/api/states/sun.sun`, { headers: { Authorization: 'Bearer cli-token' } });
  t.equal(res.status, 200);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'stops cleanly on SIGTERM');
});

t.test('sim/cli.ts refuses a bad --home', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', '--home', 'mansion'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  t.equal(code, 2);
  t.match(err, /--home must be "demo" or an entity count/);
});
