// Media players: power, transport, volume, sources and sound modes.
import type { DomainBehaviour, EntityCall } from './types.js';

const set = (state: string | undefined, attrs: (c: EntityCall) => Record<string, unknown> = () => ({})) =>
  (c: EntityCall): void => c.update(state, attrs(c));

const vol = (c: EntityCall, by: number): void => {
  const cur = Number(c.state.attributes.volume_level ?? 0);
  c.update(undefined, { volume_level: Math.round(Math.max(0, Math.min(1, cur + by)) * 100) / 100 });
};

export const mediaPlayer: DomainBehaviour = {
  entity: {
    turn_on: (c) => c.update(c.state.state === 'off' ? 'playing' : c.state.state),
    turn_off: set('off'),
    toggle: (c) => c.update(c.state.state === 'off' ? 'playing' : 'off'),
    media_play: set('playing'),
    media_pause: set('paused'),
    media_stop: set('idle'),
    media_play_pause: (c) => c.update(c.state.state === 'playing' ? 'paused' : 'playing'),
    media_next_track: (c) => c.update(undefined, { media_track: Number(c.state.attributes.media_track ?? 0) + 1 }),
    media_previous_track: (c) => c.update(undefined, { media_track: Math.max(1, Number(c.state.attributes.media_track ?? 1) - 1) }),
    media_seek: set(undefined, (c) => ({ media_position: c.data.seek_position })),
    volume_set: set(undefined, (c) => ({ volume_level: c.data.volume_level })),
    volume_mute: set(undefined, (c) => ({ is_volume_muted: Boolean(c.data.is_volume_muted) })),
    volume_up: (c) => vol(c, 0.1),
    volume_down: (c) => vol(c, -0.1),
    select_source: set(undefined, (c) => ({ source: c.data.source })),
    select_sound_mode: set(undefined, (c) => ({ sound_mode: c.data.sound_mode })),
    shuffle_set: set(undefined, (c) => ({ shuffle: Boolean(c.data.shuffle) })),
    repeat_set: set(undefined, (c) => ({ repeat: c.data.repeat })),
    play_media: set('playing', (c) => ({ media_content_id: c.data.media_content_id, media_content_type: c.data.media_content_type })),
    clear_playlist: set(undefined),
  },
};

export const lock: DomainBehaviour = {
  entity: {
    lock: set('locked'),
    unlock: set('unlocked'),
    open: set('open'),
  },
};
