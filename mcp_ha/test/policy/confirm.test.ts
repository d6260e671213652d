// Confirmation tokens: bound to caller and exact call, single use, expiring; elicitation answers.
import t from 'tap';
import { AppError } from '../../src/errors.js';
import { callHash, createConfirmations } from '../../src/policy/confirm.js';

const call = { domain: 'lock', service: 'unlock', target: { entity_id: ['lock.front_door'] } };

async function code(p: Promise<unknown>): Promise<{ code?: string; rule?: unknown; token?: string }> {
  try {
    await p;
    return {};
  } catch (err) {
    const e = err as AppError;
    return { code: e.code, rule: e.details?.rule, token: e.details?.confirm_token as string | undefined };
  }
}

t.test('token: issued, accepted once, then unknown', async (t) => {
  const c = createConfirmations(60_000);
  const first = await code(c.confirm({ call, caller: 'api_key:a', reason: 'r', token: undefined, elicit: undefined }));
  t.equal(first.code, 'confirmation_required');
  t.ok(first.token && first.token.length >= 20);
  t.equal(await c.confirm({ call, caller: 'api_key:a', reason: 'r', token: first.token, elicit: undefined }), 'token');
  t.match(await code(c.confirm({ call, caller: 'api_key:a', reason: 'r', token: first.token, elicit: undefined })), { code: 'confirmation_invalid', rule: 'confirmation_unknown' });
});

t.test('token: other caller, other call, expired', async (t) => {
  let now = 1_000;
  const c = createConfirmations(10_000, () => now);
  const { token } = await code(c.confirm({ call, caller: 'api_key:a', reason: 'r', token: undefined, elicit: undefined }));
  t.match(await code(c.confirm({ call, caller: 'api_key:b', reason: 'r', token, elicit: undefined })), { rule: 'confirmation_unknown' });
  const other = { ...call, target: { entity_id: ['lock.kitchen_door'] } };
  t.match(await code(c.confirm({ call: other, caller: 'api_key:a', reason: 'r', token, elicit: undefined })), { rule: 'confirmation_mismatch' });
  now += 10_001;
  t.match(await code(c.confirm({ call, caller: 'api_key:a', reason: 'r', token, elicit: undefined })), { code: 'confirmation_invalid', rule: 'confirmation_expired' });
});

t.test('the call hash ignores key order', async (t) => {
  t.equal(callHash({ domain: 'a', service: 'b', service_data: { x: 1, y: 2 } }), callHash({ service: 'b', domain: 'a', service_data: { y: 2, x: 1 } }));
  t.not(callHash({ domain: 'a', service: 'b', service_data: { x: 1 } }), callHash({ domain: 'a', service: 'b', service_data: { x: 2 } }));
});

t.test('elicitation: accept, decline, no answer in time, client failure falls back to a token', async (t) => {
  const c = createConfirmations(50);
  const req = (elicit: () => Promise<'accept' | 'decline' | 'cancel'>) => ({ call, caller: 'x', reason: 'r', token: undefined, elicit });
  t.equal(await c.confirm(req(async () => 'accept')), 'elicitation');
  t.match(await code(c.confirm(req(async () => 'decline'))), { code: 'confirmation_invalid', rule: 'confirmation_declined' });
  t.match(await code(c.confirm(req(() => new Promise(() => undefined)))), { code: 'confirmation_invalid', rule: 'confirmation_expired' });
  t.match(await code(c.confirm(req(async () => Promise.reject(new Error('no'))))), { code: 'confirmation_required' });
});
