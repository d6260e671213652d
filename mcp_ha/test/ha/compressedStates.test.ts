// The subscribe_entities format, with frames as recorded from Home Assistant 2026.2.
import t from 'tap';
import { applyDiff, epochToIso, expandState } from '../../src/ha/compressedStates.js';

t.test('epoch seconds to Home Assistant ISO time, microseconds kept', async (t) => {
  t.equal(epochToIso(1795278256.6224122), '2026-11-21T16:24:16.622412+00:00');
  t.equal(epochToIso(1795278257), '2026-11-21T16:24:17.000000+00:00');
  t.equal(epochToIso(1795278256 + 0.9999997), '2026-11-21T16:24:17.000000+00:00', 'rounding carries into the seconds');
});

const recorded = {
  s: 'on',
  a: { brightness: 120, effect: 'rainbow', friendly_name: 'Bed Light' },
  c: '01M7ZERD7N379PCNRA1FV9FR0C',
  lc: 1795278256.1,
};

t.test('a full compressed state', async (t) => {
  t.same(expandState('light.bed_light', recorded), {
    entity_id: 'light.bed_light',
    state: 'on',
    attributes: recorded.a,
    last_changed: '2026-11-21T16:24:16.100000+00:00',
    last_updated: '2026-11-21T16:24:16.100000+00:00',
    context: { id: '01M7ZERD7N379PCNRA1FV9FR0C', parent_id: null, user_id: null },
  });
  const withUser = expandState('sensor.x', { ...recorded, c: { id: 'C1', parent_id: null, user_id: 'U1' }, lu: 1795278257.5 });
  t.same(withUser.context, { id: 'C1', parent_id: null, user_id: 'U1' });
  t.equal(withUser.last_updated, '2026-11-21T16:24:17.500000+00:00');
});

t.test('diffs: changed attributes, removed attributes, context and times', async (t) => {
  const base = expandState('light.bed_light', { ...recorded, c: { id: 'C0', parent_id: null, user_id: 'U1' } });
  // As recorded: turn_off sets attributes to null and moves lc.
  const off = applyDiff(base, {
    '+': { s: 'off', lc: 1795278257.1264484, c: '01M7ZEREZ52359PVQGWQ99M43X', a: { effect: null, brightness: null } },
  });
  t.equal(off.state, 'off');
  t.same(off.attributes, { brightness: null, effect: null, friendly_name: 'Bed Light' });
  t.equal(off.last_changed, '2026-11-21T16:24:17.126448+00:00');
  t.equal(off.last_updated, off.last_changed);
  t.same(off.context, { id: '01M7ZEREZ52359PVQGWQ99M43X', parent_id: null, user_id: 'U1' }, 'a bare id keeps parent and user');
  t.equal(base.state, 'on', 'the old state is untouched');
  t.equal(base.attributes.brightness, 120);

  const removed = applyDiff(off, { '+': { lu: 1795278258.0 }, '-': { a: ['effect'] } });
  t.same(removed.attributes, { brightness: null, friendly_name: 'Bed Light' });
  t.equal(removed.last_changed, off.last_changed, 'lu alone leaves last_changed');
  t.equal(removed.last_updated, '2026-11-21T16:24:18.000000+00:00');

  const ctx = applyDiff(off, { '+': { c: { user_id: null, id: 'C2' } } });
  t.same(ctx.context, { id: 'C2', parent_id: null, user_id: null });
  t.equal(ctx.attributes, off.attributes, 'attributes shared when unchanged');
});
