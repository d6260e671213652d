// A small raw WebSocket client for simulator tests: every frame is kept, in order.
import WebSocket from 'ws';

export interface RawClient {
  ws: WebSocket;
  /** Every text frame received, parsed (arrays kept as arrays). */
  frames: unknown[];
  /** Raw text of every frame. */
  raw: string[];
  send(msg: unknown): void;
  sendRaw(text: string | Buffer): void;
  /** Resolves with the next frame matching `pred` (looking at frames from `from`). */
  waitFor(pred: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends a command and resolves with its result frame. */
  command(msg: Record<string, unknown>): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number }>;
  close(): Promise<void>;
}

export function connectRaw(url: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  const frames: unknown[] = [];
  const raw: string[] = [];
  const waiters: { pred: (f: Record<string, unknown>) => boolean; resolve: (f: Record<string, unknown>) => void; seen: number }[] = [];
  const flat = (): Record<string, unknown>[] =>
    frames.flatMap((f) => (Array.isArray(f) ? (f as Record<string, unknown>[]) : [f as Record<string, unknown>]));
  const check = (): void => {
    const all = flat();
    for (const w of [...waiters]) {
      for (let i = w.seen; i < all.length; i++) {
        if (w.pred(all[i]!)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(all[i]!);
          break;
        }
      }
    }
  };
  ws.on('message', (data) => {
    const text = data.toString();
    raw.push(text);
    frames.push(JSON.parse(text));
    check();
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  const client: RawClient = {
    ws,
    frames,
    raw,
    send: (msg) => ws.send(JSON.stringify(msg)),
    sendRaw: (text) => ws.send(text),
    waitFor: (pred, timeoutMs = 3000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
        waiters.push({
          pred,
          resolve: (f) => {
            clearTimeout(t);
            resolve(f);
          },
          seen: 0,
        });
        check();
      }),
    command: (msg) => {
      const p = client.waitFor((f) => f.id === msg.id && (f.type === 'result' || f.type === 'pong'));
      client.send(msg);
      return p;
    },
    closed,
    close: async () => {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** Connects and completes the auth phase. */
export async function connectAuthed(url: string, token: string): Promise<RawClient> {
  const c = await connectRaw(url);
  await c.waitFor((f) => f.type === 'auth_required');
  const ok = c.waitFor((f) => f.type === 'auth_ok' || f.type === 'auth_invalid');
  c.send({ type: 'auth', access_token: token });
  const res = await ok;
  if (res.type !== 'auth_ok') throw new Error('auth failed');
  return c;
}

export async function rest(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
