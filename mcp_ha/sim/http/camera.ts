// GET /api/camera_proxy/<entity_id> as recorded in rest-camera.json: the entity lookup comes before
// authentication (404 even without credentials), then a bearer token (wrong: 401) or the camera's
// access token in ?token= (wrong or none at all: 403); a camera that is off answers 503; a picture
// is 200 with Content-Type image/jpg (the demo's spelling) or image/png.
import type { IncomingMessage } from 'node:http';
import type { TokenStore } from '../auth.js';
import { camerasOff, nextPicture } from '../state/cameraPictures.js';
import type { SimHome } from '../state/home.js';
import { plain, SECURITY, type Reply } from './respond.js';

const PROXY = /^\/api\/camera_proxy\/([^/]+)$/;

export function cameraProxy(deps: { home: SimHome; tokens: TokenStore }, req: IncomingMessage, path: string, query: URLSearchParams): Reply | undefined {
  const m = PROXY.exec(path);
  if (!m) return undefined;
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'GET') return plain(405, 'Method Not Allowed', [['Allow', 'GET,OPTIONS']]);
  const entityId = decodeURIComponent(m[1]!);
  const state = entityId.startsWith('camera.') ? deps.home.store.get(entityId) : undefined;
  if (!state) return plain(404, 'Not Found');
  const header = req.headers.authorization;
  if (header !== undefined) {
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    if (!deps.tokens.user(token)) return plain(401, 'Unauthorized');
  } else if (query.get('token') !== String(state.attributes.access_token ?? '\u0000')) return plain(403, 'Forbidden');
  if (camerasOff(deps.home).has(entityId) || state.state === 'unavailable') return plain(503, 'Service Unavailable');
  const { bytes, spec } = nextPicture(entityId, String(state.attributes.friendly_name ?? entityId));
  return {
    kind: 'raw',
    status: 200,
    headers: [['Content-Type', spec.format === 'png' ? 'image/png' : 'image/jpg'], ...SECURITY, ['Content-Length', ''], ['Date', '']],
    body: bytes,
  };
}
