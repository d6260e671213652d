// The server's live heap after a full GC, through its inspector on 127.0.0.1 (the server is
// started with --inspect for the memory checks only). RSS alone cannot tell a leak from garbage
// V8 has not collected yet: a flood of harmless requests can raise RSS more than a leaking one.
import WebSocket from 'ws';

export class HeapProbe {
  private nextId = 1;
  private readonly waiting = new Map<number, (v: unknown) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (m.id !== undefined) {
        this.waiting.get(m.id)?.(m.result);
        this.waiting.delete(m.id);
      }
    });
  }

  static async connect(inspectPort: number, timeoutMs = 10_000): Promise<HeapProbe> {
    const deadline = Date.now() + timeoutMs;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      try {
        const list = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
        url = list[0]?.webSocketDebuggerUrl;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (!url) throw new Error(`no inspector on 127.0.0.1:${inspectPort}`);
    return HeapProbe.connectUrl(url);
  }

  static async connectUrl(url: string): Promise<HeapProbe> {
    if (!url.startsWith('ws://127.0.0.1:')) throw new Error(`not a loopback inspector: ${url}`);
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new HeapProbe(ws);
  }

  private send(method: string, params: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<unknown> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`inspector ${method} timed out`)), timeoutMs);
      this.waiting.set(id, (v) => {
        clearTimeout(timer);
        resolve(v);
      });
    });
  }

  /** Live heap in MB after two full collections. */
  async liveHeapMb(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    await this.send('HeapProfiler.collectGarbage');
    const r = (await this.send('Runtime.getHeapUsage')) as { usedSize: number };
    return Math.round((r.usedSize / 1024 / 1024) * 10) / 10;
  }

  /** process.memoryUsage() in MB, without collecting: where RSS goes (heap reserved, external, buffers). */
  async memoryMb(): Promise<{ rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number }> {
    const r = (await this.send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as { result: { value: string } };
    const m = JSON.parse(r.result.value) as Record<string, number>;
    const mb = (v: number | undefined) => Math.round(((v ?? 0) / 1024 / 1024) * 10) / 10;
    return { rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
  }

  close(): void {
    this.ws.close();
  }
}
