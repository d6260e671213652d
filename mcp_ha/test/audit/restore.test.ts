// Restore plans restore what the action changed, per domain.
import t from 'tap';
import { restorePlan } from '../../src/audit/restore.js';

const snap = (state: string, attributes: Record<string, unknown> = {}) => ({ state, attributes });

t.test('light: brightness and colour of the colour mode, in one call', async (t) => {
  const before = snap('on', { brightness: 200, color_mode: 'hs', hs_color: [0, 100], rgb_color: [255, 0, 0], effect: 'rainbow' });
  const after = snap('on', { brightness: 50, color_mode: 'hs', hs_color: [200, 50], rgb_color: [1, 2, 3], effect: 'rainbow' });
  t.same(restorePlan('light.x', before, after).calls, [{ domain: 'light', service: 'turn_on', data: { brightness: 200, hs_color: [0, 100] } }]);
  t.same(restorePlan('light.x', snap('off'), snap('on')).calls, [{ domain: 'light', service: 'turn_off' }]);
  t.same(restorePlan('light.x', before, before).calls, []);
});

t.test('cover: position when known, else open/close; tilt', async (t) => {
  t.same(restorePlan('cover.x', snap('open', { current_position: 70, current_tilt_position: 50 }), snap('open', { current_position: 20, current_tilt_position: 50 })).calls, [
    { domain: 'cover', service: 'set_cover_position', data: { position: 70 } },
  ]);
  t.same(restorePlan('cover.x', snap('closed'), snap('open')).calls, [{ domain: 'cover', service: 'close_cover' }]);
});

t.test('climate: mode then temperature; back to off sets the temperature first', async (t) => {
  const before = snap('heat', { temperature: 20, hvac_modes: ['heat', 'off'] });
  t.same(restorePlan('climate.x', before, snap('off', { temperature: 25 })).calls.map((c) => c.service), ['set_hvac_mode', 'set_temperature']);
  t.same(restorePlan('climate.x', snap('off', { temperature: 20 }), snap('heat', { temperature: 25 })).calls.map((c) => c.service), ['set_temperature', 'set_hvac_mode']);
  t.same(restorePlan('climate.x', snap('heat_cool', { target_temp_low: 21, target_temp_high: 24 }), snap('heat_cool', { target_temp_low: 18, target_temp_high: 24 })).calls, [
    { domain: 'climate', service: 'set_temperature', data: { target_temp_low: 21, target_temp_high: 24 } },
  ]);
});

t.test('fan, media player, helpers, locks', async (t) => {
  t.same(restorePlan('fan.x', snap('on', { percentage: 33 }), snap('on', { percentage: 100 })).calls, [{ domain: 'fan', service: 'set_percentage', data: { percentage: 33 } }]);
  t.same(restorePlan('media_player.x', snap('paused', { volume_level: 1 }), snap('off', {})).calls.map((c) => c.service), ['turn_on', 'media_pause', 'volume_set']);
  t.same(restorePlan('input_number.x', snap('12.5'), snap('3')).calls, [{ domain: 'input_number', service: 'set_value', data: { value: 12.5 } }]);
  t.same(restorePlan('input_select.x', snap('A'), snap('B')).calls, [{ domain: 'input_select', service: 'select_option', data: { option: 'A' } }]);
  t.same(restorePlan('lock.x', snap('locked'), snap('unlocked')).calls, [{ domain: 'lock', service: 'lock' }]);
});

t.test('no after-state (interrupted action): everything restorable', async (t) => {
  t.same(restorePlan('switch.x', snap('on'), undefined).calls, [{ domain: 'switch', service: 'turn_on' }]);
});

t.test('what cannot be restored says why', async (t) => {
  t.match(restorePlan('scene.x', snap('2026-01-01'), undefined), { calls: [], note: /no state of its own/ });
  t.match(restorePlan('camera.x', snap('idle'), undefined), { impossible: /camera entities cannot be restored/ });
  t.match(restorePlan('light.x', snap('unavailable'), snap('on')), { impossible: /unavailable/ });
});
