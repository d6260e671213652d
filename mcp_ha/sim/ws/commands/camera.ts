// camera/capabilities, camera/stream, camera/get_prefs and camera/webrtc/get_client_config as
// ws-camera.json recorded them. The stream integration is not loaded, so a camera with the STREAM
// feature offers HLS but cannot start one, and none offers WebRTC.
import type { SimHome } from '../../state/home.js';
import { entityId, oneOf } from '../schema.js';
import type { CommandTable } from './types.js';

/** CameraEntityFeature.STREAM. */
const STREAM = 2;

/** The camera's frontend stream types, or undefined for an entity that is no camera. */
function streamTypes(home: SimHome, entity: string): string[] | undefined {
  const state = entity.startsWith('camera.') ? home.store.get(entity) : undefined;
  if (!state) return undefined;
  return Number(state.attributes.supported_features ?? 0) & STREAM ? ['hls'] : [];
}

/** Python's repr of the set of StreamType members. */
const pySet = (types: string[]): string => (types.length ? `{${types.map((t) => `<StreamType.${t.toUpperCase()}: '${t}'>`).join(', ')}}` : 'set()');

export const cameraCommands: CommandTable = {
  'camera/capabilities': {
    schema: { entity_id: { required: true, check: entityId } },
    handler: (conn, id, msg) => {
      const types = streamTypes(conn.home, String(msg.entity_id));
      if (!types) return conn.error(id, 'home_assistant_error', 'Camera not found');
      conn.result(id, JSON.stringify({ frontend_stream_types: types }));
    },
  },

  'camera/stream': {
    schema: { entity_id: { required: true, check: entityId }, format: { check: oneOf(['hls']) } },
    handler: (conn, id, msg) => {
      const entity = String(msg.entity_id);
      if (!streamTypes(conn.home, entity)) return conn.error(id, 'start_stream_failed', 'Camera not found');
      // Without the stream integration no camera can create a stream.
      conn.error(id, 'start_stream_failed', `${entity} does not support play stream service`);
    },
  },

  // Stored per entity id whether or not it is a camera; nothing here changes them, so the defaults.
  'camera/get_prefs': {
    schema: { entity_id: { required: true, check: entityId } },
    handler: (conn, id) => conn.result(id, '{"preload_stream":false,"orientation":1}'),
  },

  // Not recorded: the unknown-camera answers follow Home Assistant's require_webrtc_support.
  'camera/webrtc/get_client_config': {
    schema: { entity_id: { required: true, check: entityId } },
    handler: (conn, id, msg) => {
      const entity = String(msg.entity_id);
      if (!entity.startsWith('camera.')) return conn.error(id, 'webrtc_get_client_config_failed', 'Entity is not a camera');
      const types = streamTypes(conn.home, entity);
      if (!types) return conn.error(id, 'not_found', `Camera not found: ${entity}`);
      conn.error(id, 'webrtc_get_client_config_failed', `Camera does not support WebRTC, frontend_stream_types=${pySet(types)}`);
    },
  },
};
