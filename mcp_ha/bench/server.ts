// The MCP server as its own process (the built dist/main.js, as the image runs it), pointed at
// a simulator, so that its resident memory is measured alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/net.js';

export interface ServerChild {
  url: string;
  mcpUrl: string;
  apiKey: string;
  /** The server's data folder (audit log). */
  dataDir: string;
  /** Resident set size in MB (Linux /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

/** The NODE_OPTIONS the image sets (Dockerfile ENV), so that the bench measures what users run. */
function imageNodeOptions(): string {
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  const m = /NODE_OPTIONS=(?:"([^"]*)"|(\S+))/.exec(dockerfile);
  return m?.[1] ?? m?.[2] ?? '';
}

export async function startServer(entry: string, ha: { url: string; token: string }, options: Record<string, unknown> = {}): Promise<ServerChild> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ha-bench-'));
  const apiKey = 'bench-key-0123456789abcdef0123';
  writeFileSync(join(dir, 'options.json'), JSON.stringify({ ...options, api_keys: [{ name: 'bench', key: apiKey }] }));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env: {
      PATH: process.env.PATH,
      NODE_OPTIONS: imageNodeOptions(),
      HOMEASSISTANT_URL: ha.url,
      HOMEASSISTANT_TOKEN: ha.token,
      MCP_OPTIONS_FILE: join(dir, 'options.json'),
      MCP_DATA_DIR: join(dir, 'data'),
      MCP_HOST: '127.0.0.1',
      MCP_PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`server not ready in time: ${stderr}`);
    try {
      const health = (await (await fetch(`${url}/health`)).json()) as { home_assistant: { cache_ready: boolean } };
      if (health.home_assistant.cache_ready) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    mcpUrl: `${url}/mcp`,
    apiKey,
    dataDir: join(dir, 'data'),
    rssMb() {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      return Math.round(Number(kb) / 1024);
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
