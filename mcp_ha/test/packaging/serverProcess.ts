// The server as a real process, the way the image runs it (`node dist/main.js`) or from the
// sources through tsx, on a free port, with helpers to wait for /health and to stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../helpers/net.js';

export interface Health {
  status: string;
  version: string;
  home_assistant: { connected: boolean; status: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  /** Polls /health until `until` holds (default: connected to Home Assistant). */
  waitHealth(until?: (h: Health) => boolean, timeoutMs?: number): Promise<Health>;
  /** Sends the signal and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** `command` defaults to this node; the image's entrypoint is `/bin/sh` with the script among `args`. */
export async function startServerProcess(opts: { cwd: string; args: string[]; env: NodeJS.ProcessEnv; command?: string }): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(opts.command ?? process.execPath, opts.args, {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH, MCP_PORT: String(port), LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    url,
    output: () => out,
    async waitHealth(until = (h) => h.home_assistant.connected, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: Health | undefined;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
        try {
          last = (await (await fetch(`${url}/health`)).json()) as Health;
          if (until(last)) return last;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`health condition not met in ${timeoutMs} ms; last ${JSON.stringify(last)}\n${out}`);
    },
    async stop(signal = 'SIGTERM') {
      const t0 = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const r = await exited;
      clearTimeout(force);
      return { ...r, ms: Date.now() - t0 };
    },
  };
}

/** POST /messages (plain JSON-RPC). */
export async function rpc(url: string, token: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/messages`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
