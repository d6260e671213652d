// The compact diff of write answers: one line per change by path, lists matched by content (an
// insertion is one line, not a cascade), bounded.
import t from 'tap';
import { diffObjects } from '../../src/edit/diff.js';

t.test('changes, additions and removals by path', async (t) => {
  const d = diffObjects({ alias: 'a', mode: 'single', data: { b: 1 } }, { alias: 'b', data: { b: 2, c: [1] } });
  t.same(d.lines, ['- mode: "single"', '~ alias: "a" -> "b"', '~ data.b: 1 -> 2', '+ data.c: [1]']);
  t.same(diffObjects({ 'light.x': { s: 1 } }, { 'light.x': { s: 2 } }).lines, ['~ ["light.x"].s: 1 -> 2'], 'keys that are no identifiers are quoted');
});

t.test('lists are matched by content', async (t) => {
  const a = [{ action: 'x.a' }, { action: 'x.b' }, { action: 'x.c' }];
  t.same(diffObjects({ actions: a }, { actions: [{ action: 'x.new' }, ...a] }).lines, ['+ actions[0]: {"action":"x.new"}'], 'an insertion at the front is one line');
  t.same(diffObjects({ actions: a }, { actions: [a[0], a[2]] }).lines, ['- actions[1]: {"action":"x.b"}']);
  t.same(diffObjects({ actions: a }, { actions: [a[0], { action: 'x.B' }, a[2]] }).lines, ['~ actions[1].action: "x.b" -> "x.B"'], 'an edited item is diffed inside');
});

t.test('created, deleted, bounded', async (t) => {
  t.same(diffObjects(null, { a: 1 }).lines, ['+ (created)', '+ a: 1']);
  t.same(diffObjects({ a: 1 }, null).lines, ['- (deleted)']);
  const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'x'.repeat(500)]));
  const d = diffObjects({}, big);
  t.equal(d.lines.length, 40);
  t.equal(d.more, 60);
  t.ok(d.lines.every((l) => l.length < 200), 'values are cut');
});
