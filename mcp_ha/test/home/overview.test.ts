// The overview's area lists: numbered runs of one name as ranges, in natural order.
import t from 'tap';
import { areaEntries } from '../../src/home/overview.js';

t.test('numbered runs of three or more are one entry', async (t) => {
  const ids = ['gym_10', 'gym', 'gym_2', 'gym_3', 'gym_4', 'gym_5', 'gym_6', 'gym_7', 'gym_8', 'gym_9', 'attic', 'office_2', 'office', 'hall_3', 'hall_4', 'hall_5'];
  t.same(areaEntries(ids), [
    { text: 'attic', count: 1 },
    { text: 'gym (+_2..10)', count: 10 },
    { text: 'hall_3..5', count: 3 },
    { text: 'office', count: 1 },
    { text: 'office_2', count: 1 },
  ]);
});

t.test('gaps end a run; plain names stay as they are', async (t) => {
  t.same(
    areaEntries(['bed_2', 'bed', 'bed_3', 'bed_5', 'bed_6', 'bed_7', 'kitchen', 'living_room']).map((e) => e.text),
    ['bed', 'bed_2', 'bed_3', 'bed_5..7', 'kitchen', 'living_room'],
  );
  t.same(areaEntries([]), []);
});
