// The processes a stress run drives, all on 127.0.0.1: the simulator (a child, so that it can
// be killed and restarted on the same port), the built server (`node dist/main.js`, as the image
// runs it, with the image's NODE_OPTIONS), and a trivial control server for /health noise.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/helpers/net.js';

const here = dirname(fileURLToPath(import.meta.url));
export const PKG_DIR = join(here, '..', '..');
export const ENTRY = process.env.STRESS_ENTRY ?? join(PKG_DIR, 'dist', 'main.js');
export const API_KEY = 'stress-api-key-0123456789abcdef';

// Every child is killed when the runner exits, however it exits.
const children = new Set<ChildProcess>();
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
export function killAllChildren(): void {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.once('exit', killAllChildren);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function rssMbOf(pid: number | undefined | null): number | undefined {
  if (!pid) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

export function alive(pid: number | undefined | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    // A zombie still answers kill(0); /proc says whether it is one.
    return !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** The simulator in its own process on a fixed port. */
export class SimProc {
  child: ChildProcess | undefined;
  readonly token = 'stress-sim-token-0123456789abcdef';
  private constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SimProc> {
    const sim = new SimProc(await freePort());
    await sim.launch([]);
    return sim;
  }

  /** Starts (again) on the same port; `set` changes states before it listens. */
  async launch(set: string[]): Promise<void> {
    const args = ['--import', 'tsx', join(here, 'simHost.ts'), '--port', String(this.port), '--token', this.token];
    for (const s of set) args.push('--set', s);
    const child = track(spawn(process.execPath, args, { cwd: PKG_DIR, stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH } }));
    this.child = child;
    let out = '';
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`simulator not ready in 60 s: ${out}`)), 60_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready ')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`simulator exited (${code}): ${out}`));
      });
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.child;
    if (!c) return;
    c.kill(signal);
    await waitExit(c);
    this.child = undefined;
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
  }

  /** GET /api/states/<id> straight from the simulator. */
  async state(id: string): Promise<{ state: string; attributes: Record<string, unknown> } | undefined> {
    const r = await fetch(`${this.url}/api/states/${id}`, { headers: { Authorization: `Bearer ${this.token}` } });
    return r.ok ? ((await r.json()) as { state: string; attributes: Record<string, unknown> }) : undefined;
  }
}

function imageNodeOptions(): string {
  try {
    const m = /NODE_OPTIONS=(?:"([^"]*)"|(\S+))/.exec(readFileSync(join(PKG_DIR, 'Dockerfile'), 'utf8'));
    return m?.[1] ?? m?.[2] ?? '';
  } catch {
    return '';
  }
}

export interface ServerEnvOptions {
  dataDir?: string;
  /** Extra add-on options. */
  options?: Record<string, unknown>;
  /** Start with the inspector on 127.0.0.1 (heap after GC for the memory checks). */
  inspect?: boolean;
}

/** The environment the server process gets (HTTP or stdio). */
export function serverEnv(sim: SimProc, port: number, opts: ServerEnvOptions = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-stress-'));
  const optionsFile = join(dir, 'options.json');
  writeFileSync(optionsFile, JSON.stringify({ ...opts.options, api_keys: [{ name: 'stress', key: API_KEY }] }));
  const dataDir = opts.dataDir ?? join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  return {
    PATH: process.env.PATH,
    NODE_OPTIONS: imageNodeOptions(),
    HOMEASSISTANT_URL: sim.url,
    HOMEASSISTANT_TOKEN: sim.token,
    MCP_OPTIONS_FILE: optionsFile,
    MCP_DATA_DIR: dataDir,
    MCP_HOST: '127.0.0.1',
    MCP_PORT: String(port),
    LOG_LEVEL: 'warn',
  };
}

export interface HealthBody {
  status: string;
  home_assistant: { connected: boolean; status: string; cache_ready: boolean; entities: number };
  mcp_sessions?: number;
}

export async function health(url: string, timeoutMs = 2000): Promise<HealthBody | undefined> {
  try {
    const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return (await r.json()) as HealthBody;
  } catch {
    return undefined;
  }
}

/** The built server as a process on a fixed port; restartable over the same data folder. */
export class ServerProc {
  child: ChildProcess | undefined;
  output = '';
  private constructor(
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
    readonly inspectPort: number | undefined,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get mcpUrl(): string {
    return `${this.url}/mcp`;
  }
  get dataDir(): string {
    return this.env.MCP_DATA_DIR as string;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  rssMb(): number | undefined {
    return rssMbOf(this.child?.pid);
  }

  static async start(sim: SimProc, opts: ServerEnvOptions = {}): Promise<ServerProc> {
    const port = await freePort();
    const s = new ServerProc(port, serverEnv(sim, port, opts), opts.inspect ? await freePort() : undefined);
    await s.launch();
    return s;
  }

  async launch(): Promise<void> {
    this.output = '';
    const args = this.inspectPort ? [`--inspect=127.0.0.1:${this.inspectPort}`, ENTRY] : [ENTRY];
    const child = track(spawn(process.execPath, args, { cwd: PKG_DIR, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] }));
    this.child = child;
    const keep = (d: Buffer) => {
      if (this.output.length < 200_000) this.output += d.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await this.waitReady();
  }

  /** Until /health says the Home Assistant cache is loaded (60 s at most: the machine may be busy). */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.child || this.child.exitCode !== null) throw new Error(`server exited (${this.child?.exitCode}): ${this.output.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`server not ready in ${timeoutMs} ms: ${this.output.slice(-2000)}`);
      const h = await health(this.url, 1000);
      if (h?.home_assistant.cache_ready && h.home_assistant.connected) return;
      await sleep(50);
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.child;
    if (!c) return;
    c.kill(signal);
    const force = setTimeout(() => c.kill('SIGKILL'), 8000);
    await waitExit(c);
    clearTimeout(force);
    this.child = undefined;
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
  }
}

/** A trivial HTTP server in its own process: how long it takes to answer tells machine noise from server stalls. */
export async function startControlServer(): Promise<{ url: string; stop(): void }> {
  const code = `const s=require('node:http').createServer((q,r)=>r.end('ok'));s.keepAliveTimeout=60000;s.listen(0,'127.0.0.1',()=>console.log(s.address().port));process.stdin.on('end',()=>process.exit(0));process.stdin.resume();`;
  const child = track(spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'ignore'], env: { PATH: process.env.PATH } }));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => reject(new Error('control server exited')));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}
