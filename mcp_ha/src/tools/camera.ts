// ha_camera: a camera's current picture as MCP image content, from /api/camera_proxy/<entity_id>,
// scaled to a maximum edge and JPEG-compressed under a byte budget (src/media/image.ts), with a
// short JSON answer beside it (which camera, when, what size the picture is and was).
import { z } from 'zod';
import { AppError } from '../errors.js';
import { requireOfDomain } from '../home/domainEntity.js';
import { liveCache } from '../home/liveCache.js';
import { formatTime, homeZone } from '../home/time.js';
import { fitImageOffThread } from '../media/fit.js';
import { throwIfCancelled } from './history.js';
import { boundedInt, boundedText } from './calendar.js';
import { MAX_ENTITY_ID } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

/** A camera's own picture may be large (a 4K PNG is ~20 MB); beyond this it is refused unread. */
const MAX_SOURCE_BYTES = 25_000_000;
/** The answer's JPEG: ~130,000 characters as base64, under what clients cut (~150,000). */
export const MAX_IMAGE_BYTES = 96_000;
const QUALITY = 75;
const TIMEOUT_MS = 15_000;

function cameraDown(entityId: string, why: string, suggestion: string, state: string): AppError {
  return new AppError('ha_error', `Camera ${entityId} ${why}.`, suggestion, { statusCode: 503, details: { entity_id: entityId, state } });
}

export const camera = defineTool({
  name: 'ha_camera',
  title: 'Camera',
  description: "A camera's current picture.",
  toolset: 'read',
  input: z.object({
    entity_id: boundedText(MAX_ENTITY_ID),
    max_edge: boundedInt(1568, 64).default(768),
  }),
  output: z.object({ image: z.string() }),
  annotations: READ_ONLY,
  async run(input, ctx) {
    const { cache } = liveCache(ctx);
    const state = requireOfDomain(cache, input.entity_id, 'camera', 'camera');
    const id = state.entity_id;
    if (state.state === 'unavailable' || state.state === 'unknown') {
      throw cameraDown(id, `is ${state.state}`, 'Check that the camera is powered and online in Home Assistant, then call again.', state.state);
    }
    const res = await ctx.ha.rest('GET', `/api/camera_proxy/${id}`, { timeoutMs: TIMEOUT_MS, binary: { maxBytes: MAX_SOURCE_BYTES } });
    throwIfCancelled(ctx.signal);
    if (res.status === 503) {
      throw cameraDown(id, 'is off or gives no picture (Home Assistant answered 503)', `If it is off, turn it on (service camera.turn_on on ${id}), then call again.`, state.state);
    }
    if (res.status === 404) {
      throw new AppError('entity_not_found', `Home Assistant has no camera ${id} (404).`, 'It may have just been removed; ha_search_entities finds the cameras there are.', { details: { entity_id: id } });
    }
    if (res.status === 401 || res.status === 403) {
      throw new AppError('forbidden', `Home Assistant refused the picture of ${id} (${res.status}).`, "Check the add-on's Home Assistant token.");
    }
    if (res.status !== 200) throw new AppError('ha_error', `Home Assistant answered ${res.status} for the picture of ${id}.`, 'Try again in a few seconds.');
    if (res.body === null) throw new AppError('ha_error', `The picture of ${id} is larger than ${MAX_SOURCE_BYTES / 1_000_000} MB.`, 'Ask for another camera, or lower its resolution in Home Assistant.');
    const fitted = await fitImageOffThread(res.body as Buffer, { maxEdge: input.max_edge, quality: QUALITY, maxBytes: MAX_IMAGE_BYTES });
    const { source } = fitted;
    const kb = (n: number): string => `${Math.max(1, Math.round(n / 1024))} KB`;
    const time = formatTime(Date.now(), homeZone(cache), true);
    return {
      // "camera.x at 2026-12-02 01:02:03: 768x432 JPEG 19 KB, from 1280x720 png 45 KB": what the model got and what the camera gave.
      image: `${id} at ${time}: ${fitted.width}x${fitted.height} JPEG ${kb(fitted.data.length)}, from ${source.width}x${source.height} ${source.format} ${kb(source.bytes)}`,
      images: [{ data: fitted.data, mimeType: 'image/jpeg' as const }],
    };
  },
});
