// Node's request and response to and from the web-standard Request/Response the SDK's HTTP entry
// speaks, for the hot path: the body is already parsed (src/http), so the Request carries only
// method, URL, headers and an abort signal; a JSON answer is written in one piece, and only an
// SSE answer is streamed.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function toRequest(req: IncomingMessage, res: ServerResponse): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    // Bodies are handed over parsed: their framing headers do not apply to this Request.
    if (/^(content-length|transfer-encoding|host|connection)$/i.test(name)) continue;
    headers.append(name, raw[i + 1] as string);
  }
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, signal: controller.signal });
}

export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    headers[name] = value;
  });
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !type.startsWith('text/event-stream')) {
    const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
    if (body) headers['content-length'] = String(body.length);
    res.writeHead(response.status, headers).end(body);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  const stop = (): void => void reader.cancel().catch(() => undefined);
  res.once('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
    }
  } catch {
    // the client went away, or the stream was cancelled
  } finally {
    res.off('close', stop);
    res.end();
  }
}
