// GET /api/camera_proxy/<entity_id> as recorded in rest-camera.json: the entity lookup comes before
// authentication (404 even without credentials), then a bearer token (wrong: 401) or the camera's
// access token in ?token= (wrong or none at all: 403); a camera that is off answers 503; a picture
// is 200 with Content-Type image/jpg (the demo's spelling) or image/png.
// GET /api/camera_proxy_stream/<entity_id> passes the same checks, then streams the stills as
// multipart/x-mixed-replace (every 0.5 s, or every ?interval= seconds, at least 0.5: else 400).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenStore } from '../auth.js';
import { camerasOff, nextPicture, pictureSpec } from '../state/cameraPictures.js';
import type { SimHome } from '../state/home.js';
import { plain, SECURITY, type Reply } from './respond.js';

const PROXY = /^\/api\/camera_proxy(_stream)?\/([^/]+)$/;

/** Camera's MIN_STREAM_INTERVAL and the demo camera's frame_interval, in seconds. */
const MIN_INTERVAL = 0.5;
// Python's float() syntax (underscores between digits, inf), which ?interval= goes through.
const PY_FLOAT = /^\s*[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf|infinity)\s*$/i;

/** The ?interval= in seconds, or null for what Home Assistant answers 400 to (nan is not recorded). */
function interval(text: string | null): number | null {
  if (text === null) return MIN_INTERVAL;
  if (!PY_FLOAT.test(text)) return null;
  const t = text.trim().replace(/_/g, '').toLowerCase();
  const n = /inf/.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t);
  return n >= MIN_INTERVAL ? n : null;
}

/**
 * handle_async_still_stream: each new still as a part (the first one twice, "Chrome seems to always
 * ignore first picture"), then a sleep; it runs until the client goes away.
 */
function stillStream(next: () => Buffer, contentType: string, seconds: number): Reply {
  return {
    kind: 'stream',
    run: (res: ServerResponse) => {
      res.sendDate = false;
      res.writeHead(200, ['Content-Type', 'multipart/x-mixed-replace; boundary=--frameboundary', 'Transfer-Encoding', 'chunked', 'Date', new Date().toUTCString(), 'Server', SERVER]);
      const part = (img: Buffer) => Buffer.concat([Buffer.from(`--frameboundary\r\nContent-Type: ${contentType}\r\nContent-Length: ${img.length}\r\n\r\n`), img, Buffer.from('\r\n')]);
      let last: Buffer | null = null;
      let timer: NodeJS.Timeout | undefined;
      const tick = () => {
        if (res.destroyed) return;
        const img = next();
        if (!last || !img.equals(last)) {
          res.write(last ? part(img) : Buffer.concat([part(img), part(img)]));
          last = img;
        }
        if (Number.isFinite(seconds)) timer = setTimeout(tick, seconds * 1000);
      };
      res.on('close', () => clearTimeout(timer));
      tick();
    },
  };
}

/** aiohttp's own Server header on a StreamResponse (Home Assistant blanks it on its other answers). */
const SERVER = 'Python/3.13 aiohttp/3.11.16';

export function cameraProxy(deps: { home: SimHome; tokens: TokenStore }, req: IncomingMessage, path: string, query: URLSearchParams): Reply | undefined {
  const m = PROXY.exec(path);
  if (!m) return undefined;
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'GET') return plain(405, 'Method Not Allowed', [['Allow', 'GET,OPTIONS']]);
  const entityId = decodeURIComponent(m[2]!);
  const state = entityId.startsWith('camera.') ? deps.home.store.get(entityId) : undefined;
  if (!state) return plain(404, 'Not Found');
  const header = req.headers.authorization;
  if (header !== undefined) {
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    if (!deps.tokens.user(token)) return plain(401, 'Unauthorized');
  } else if (query.get('token') !== String(state.attributes.access_token ?? '\u0000')) return plain(403, 'Forbidden');
  if (camerasOff(deps.home).has(entityId) || state.state === 'unavailable') return plain(503, 'Service Unavailable');
  const name = String(state.attributes.friendly_name ?? entityId);
  if (m[1]) {
    const seconds = interval(query.get('interval'));
    if (seconds === null) return plain(400, 'Bad Request');
    const type = pictureSpec(entityId).format === 'png' ? 'image/png' : 'image/jpg';
    return stillStream(() => nextPicture(entityId, name).bytes, type, seconds);
  }
  const { bytes, spec } = nextPicture(entityId, name);
  return {
    kind: 'raw',
    status: 200,
    headers: [['Content-Type', spec.format === 'png' ? 'image/png' : 'image/jpg'], ...SECURITY, ['Content-Length', ''], ['Date', '']],
    body: bytes,
  };
}
