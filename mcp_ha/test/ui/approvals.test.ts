// The approvals queue behind confirm.ts (the page's approve/deny through MCP is in page.test.ts):
// an unanswered call expires as confirmation_expired and leaves the list, a client that goes away
// withdraws its call, a decision after that finds nothing, and a full queue falls back to a token.
import t from 'tap';
import { createApprovals } from '../../src/policy/approvals.js';
import { createConfirmations } from '../../src/policy/confirm.js';

const call = { domain: 'lock', service: 'unlock', target: { entity_id: ['lock.front_door'] } };
const confirmVia = (timeoutMs: number, approvals: ReturnType<typeof createApprovals>, signal?: AbortSignal) =>
  createConfirmations(timeoutMs).confirm({
    call,
    caller: 'api_key:test',
    reason: 'lock.unlock is a sensitive service',
    token: undefined,
    elicit: (question) => approvals.ask({ caller: 'api_key:test', tool: 'ha_call_service', arguments: { domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }, question }, signal),
  });

t.test('an approval lets the call through; the entry says what it would do and who decided', async (t) => {
  const a = createApprovals({ enabled: true, timeoutMs: 5000 });
  const pending = confirmVia(5000, a);
  await new Promise((r) => setImmediate(r));
  const [entry] = a.pending();
  t.match(entry?.question, /lock\.unlock on lock\.front_door/);
  t.match(entry?.arguments, /"entity_id":"lock.front_door"/);
  t.equal(a.decide(entry!.id, true, 'Alice')?.decision, 'approved');
  t.equal(await pending, 'elicitation');
  t.same(a.pending(), []);
  t.equal(a.decisions()[0]?.by, 'Alice');
  t.equal(a.decide(entry!.id, false, 'Bob'), undefined, 'decided once');
});

t.test('no answer in time: confirmation_expired, and the entry is gone', async (t) => {
  const a = createApprovals({ enabled: true, timeoutMs: 150 });
  const pending = confirmVia(150, a);
  await new Promise((r) => setImmediate(r));
  const id = a.pending()[0]?.id as string;
  await t.rejects(pending, { code: 'confirmation_invalid', details: { rule: 'confirmation_expired' } });
  t.same(a.pending(), [], 'not listed past its time');
  t.equal(a.decide(id, true, 'late'), undefined, 'too late to approve');
});

t.test('a client that goes away withdraws its call', async (t) => {
  const a = createApprovals({ enabled: true, timeoutMs: 5000 });
  const ctl = new AbortController();
  const pending = confirmVia(5000, a, ctl.signal).catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  t.equal(a.pending().length, 1);
  ctl.abort();
  await pending;
  t.same(a.pending(), []);
  t.equal(a.decisions()[0]?.decision, 'withdrawn');
});

t.test('a full queue falls back to a confirm_token; long arguments are cut', async (t) => {
  const a = createApprovals({ enabled: true, timeoutMs: 5000 });
  const ctl = new AbortController();
  const held = Array.from({ length: 100 }, () => a.ask({ caller: 'c', tool: 't', arguments: { x: 'y'.repeat(5000) }, question: 'q' }, ctl.signal));
  t.equal(a.pending().length, 100);
  t.ok((a.pending()[0]?.arguments.length ?? 0) <= 2001, 'arguments bounded');
  await t.rejects(confirmVia(5000, a), { code: 'confirmation_required', details: { confirm_token: String } });
  ctl.abort();
  t.same(await Promise.all(held), Array(100).fill('cancel'));
});
