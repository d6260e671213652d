// The names store on a real file system: the journal folds into a snapshot, a crash between the
// snapshot's rename and the journal's truncation replays nothing twice, a torn last line is
// skipped and the next change starts on a fresh line; and the session memory's rules.
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { phraseOf, phraseOfEntityId } from '../../src/home/names/phrase.js';
import { CORRECTION_MS, EPISODE_MS, RecentPhrases } from '../../src/home/names/recent.js';
import { NameStore } from '../../src/home/names/store.js';

const dump = (s: NameStore) => JSON.stringify([...s.entries()]);

t.test('the journal folds into a snapshot; reloading gives the same store', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'names-store-'));
  const store = new NameStore({ dir, fsync: false });
  for (let i = 0; i < 2100; i++) store.use(`name ${i % 700}`, `name ${i % 700}`, `light.l${i % 3}`, 'search', 1, 1_000 + i);
  store.lower('name 1', 'light.l1', 5_000);
  store.forget('name 2', undefined, 5_001);
  t.ok(existsSync(join(dir, 'names.json')), 'a snapshot was written');
  const journal = readFileSync(join(dir, 'names.jsonl'), 'utf8').split('\n').filter(Boolean);
  t.ok(journal.length < 200, `the journal was emptied then (${journal.length} lines since)`);
  t.equal(dump(new NameStore({ dir, fsync: false })), dump(store));
});

t.test('a crash after the snapshot rename, before the journal is emptied, counts nothing twice', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'names-store-'));
  const store = new NameStore({ dir, fsync: false });
  for (let i = 0; i < 1999; i++) store.use('lamp', 'lamp', 'light.a', 'search', 1, 1_000 + i);
  copyFileSync(join(dir, 'names.jsonl'), join(dir, 'journal.keep'));
  store.use('lamp', 'lamp', 'light.a', 'search', 1, 9_000); // the 2,000th line: compaction
  // The journal as it was just before its truncation: every line, all in the snapshot already.
  copyFileSync(join(dir, 'journal.keep'), join(dir, 'names.jsonl'));
  appendFileSync(join(dir, 'names.jsonl'), readFileSync(join(dir, 'journal.keep'), 'utf8').split('\n')[0] + '\n');
  const again = new NameStore({ dir, fsync: false });
  t.equal(again.get('lamp')?.uses[0]?.count, 2000);
});

t.test('a torn last line is skipped, and the next change starts a new line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'names-store-'));
  const store = new NameStore({ dir, fsync: false });
  store.use('lamp', 'lamp', 'light.a', 'told', 4, 1_000);
  appendFileSync(join(dir, 'names.jsonl'), '{"q":2,"o":"use","p":"tv","n":"tv","e":"media_pla');
  const reopened = new NameStore({ dir, fsync: false });
  t.equal(reopened.size, 1);
  reopened.use('telly', 'telly', 'media_player.tv', 'search', 1, 2_000);
  t.equal(new NameStore({ dir, fsync: false }).size, 2, 'the change after the torn line is read');
  // Lines that are not ours are ignored too.
  writeFileSync(join(dir, 'names.jsonl'), readFileSync(join(dir, 'names.jsonl'), 'utf8') + '[1,2]\n{"q":99,"o":"use","p":5}\n');
  t.equal(new NameStore({ dir, fsync: false }).size, 2);
});

t.test('one name, at most eight entities; corrections halve and finally forget', async (t) => {
  const store = new NameStore({ dir: mkdtempSync(join(tmpdir(), 'names-store-')), fsync: false });
  for (let i = 0; i < 10; i++) store.use('light', 'light', `light.l${i}`, 'search', i + 1, 1_000);
  t.equal(store.get('light')?.uses.length, 8);
  t.notOk(store.get('light')?.uses.some((u) => u.entity_id === 'light.l0' || u.entity_id === 'light.l1'), 'the weakest went');
  store.use('lamp', 'lamp', 'light.a', 'search', 1, 1_000);
  store.lower('lamp', 'light.a', 1_000);
  t.equal(store.get('lamp')?.uses[0]?.count, 0.5);
  store.lower('lamp', 'light.a', 1_000);
  store.lower('lamp', 'light.a', 1_000);
  t.notOk(store.get('lamp'), 'gone below 0.2');
});

t.test('phrases', async (t) => {
  t.same(phraseOf('The Big Lamps'), { key: 'big lamp', said: 'the big lamps' });
  t.equal(phraseOf("Emma's room")?.key, 'emma room');
  t.equal(phraseOf('Wohnzimmer Lampe')?.key, 'wohnzimmer lampe');
  t.equal(phraseOf('light.kitchen'), undefined, 'an entity_id is no name');
  t.equal(phraseOf('the'), undefined);
  t.equal(phraseOf('a b c d e f g h'), undefined);
  t.equal(phraseOf('x'.repeat(65)), undefined);
  t.same(phraseOfEntityId('light.big_lamp'), { key: 'big lamp', said: 'big lamp' });
});

t.test('the session memory: bind, correct, expire', async (t) => {
  const recent = new RecentPhrases();
  const lamp = phraseOf('big lamp')!;
  t.notOk(recent.took('s', ['light.a'], 'action', 0), 'no name looked for');
  recent.note('s', lamp, 'search', 'light.x', 0, ['light.x', 'light.a']);
  t.notOk(recent.took('s', ['sensor.z'], 'read', 1), 'reading what the answer did not show binds nothing');
  t.match(recent.took('s', ['light.a'], 'read', 1), { use: ['light.a'], lower: [] });
  t.notOk(recent.took('s', ['light.b'], 'read', 2), 'another read is no correction');
  t.notOk(recent.took('s', ['light.a'], 'action', 3), 'the same entity counts once');
  t.match(recent.took('s', ['light.b'], 'action', 4), { use: ['light.b'], lower: ['light.a'] }, 'acting on another light right after corrects');
  t.notOk(recent.took('s', ['switch.c'], 'action', 5), 'another domain ends it');
  t.notOk(recent.took('s', ['light.d'], 'action', 6));

  recent.note('s', lamp, 'search', undefined, 0);
  recent.took('s', ['light.a'], 'action', 0);
  t.notOk(recent.took('s', ['light.b'], 'action', CORRECTION_MS + 1), 'too late for a correction');
  recent.note('s', lamp, 'search', undefined, 0);
  t.notOk(recent.took('s', ['light.a'], 'action', EPISODE_MS + 1), 'the name was looked for too long ago');
  recent.note('s', lamp, 'search', undefined, 0);
  t.notOk(recent.took('s', ['light.a', 'light.b', 'light.c', 'light.d'], 'action', 1), 'four entities are no one name');
  t.notOk(recent.took('other', ['light.a'], 'action', 1), 'per session');
});
