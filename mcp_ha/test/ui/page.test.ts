// The add-on's page in a real headless browser (Debian's chromium through playwright-core), opened
// through a stand-in for Home Assistant's ingress proxy at /api/hassio_ingress/<token>/, against the
// simulator: Test All, a tool run from the generated form, undo from the audit log, approvals that
// complete or refuse a waiting client's call, a non-admin's view, OAuth sign-ins revoked from the
// Access section, axe-core, and a screenshot of each section at desktop and phone width in
// test-output/ui/.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import t from 'tap';
import { probe, register, signInByHand } from '../oauth/helpers.js';
import { ADMIN, NON_ADMIN, startOAuthUiStack, startUiStack } from './helpers.js';

// Code passed to page.evaluate runs in the browser; the tests' own lib has no DOM.
declare const document: any;

/** Debian's chromium; elsewhere (CHROMIUM_PATH, Ubuntu's, GitHub runners' Chrome) what scripts/ensure-tools accepts. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => p && existsSync(p)) ?? '/usr/bin/chromium';
const OUT = join(import.meta.dirname, '..', '..', 'test-output', 'ui');
const SECTIONS = ['status', 'connect', 'test', 'approvals', 'audit', 'access', 'tools'];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/ensure-tools installs Debian's chromium`);
mkdirSync(OUT, { recursive: true });

const stack = await startUiStack({ options: { page_approvals: true, confirm_services: ['input_boolean.toggle'] } });
const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
t.teardown(async () => {
  await browser.close();
  await stack.close();
});

const contexts: BrowserContext[] = [];
async function open(user: { token: string }, section: string, opts: { width?: number; height?: number; dark?: boolean } = {}, on: { pageUrl(u: { token: string }): string } = stack): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 }, colorScheme: opts.dark ? 'dark' : 'light' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(`${on.pageUrl(user)}#${section}`);
  await page.waitForSelector(`main[data-ready="${section}"]`, { timeout: 15_000 });
  return page;
}
const problemsOf = (p: Page) => (p as Page & { problems: string[] }).problems;
t.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

t.test('Test All: every read tool green, with durations and counts', async (t) => {
  const page = await open(ADMIN, 'test');
  await page.click('#test-all');
  await page.waitForSelector('#test-summary', { timeout: 30_000 });
  const rows = await page.$$eval('table.results tbody tr', (trs) =>
    trs.map((tr) => ({ tool: tr.getAttribute('data-tool'), ok: tr.getAttribute('data-ok'), cells: [...tr.children].map((c) => (c.textContent ?? '').trim()) })),
  );
  const reads = stack.built.ui.runner.readTools().map((x) => x.name);
  t.same(rows.map((r) => r.tool), reads, 'a row per read tool');
  for (const r of rows) {
    t.equal(r.ok, 'true', `${r.tool} is green`);
    t.match(r.cells[1], /ok/);
    t.match(r.cells[2], /^\d+$/, `${r.tool} shows its ms`);
    t.match(r.cells[4], /^\d+$/, `${r.tool} shows its tokens`);
  }
  t.match(rows.find((r) => r.tool === 'ha_list_states')?.cells[3], /^[1-9]\d*$/, 'items counted');
  t.match(await page.textContent('#test-summary'), new RegExp(`${reads.length} of ${reads.length}`));
  // The raw JSON sits behind a disclosure.
  const details = page.locator('tr[data-tool="ha_overview"] details');
  t.equal(await details.getAttribute('open'), null);
  await details.locator('summary').click();
  t.match(await details.locator('pre').textContent(), /"areas"|"floors"|"counts"/);
  t.same(problemsOf(page), [], 'no script errors or CSP violations');
});

t.test('one tool run from the form its input schema generates', async (t) => {
  const page = await open(ADMIN, 'test');
  await page.selectOption('#run-tool', 'ha_get_state');
  const input = page.locator('#arg-entity_id');
  t.equal(await input.getAttribute('required'), '', 'the required field is marked');
  t.ok(await page.locator('label[for="arg-entity_id"]').count(), 'the field has a label');
  await input.fill('light.kitchen_lights');
  await page.click('#run-form button[type="submit"]');
  const row = page.locator('#run-form ~ div tr[data-tool="ha_get_state"]');
  await row.waitFor();
  t.equal(await row.getAttribute('data-ok'), 'true');
  t.match(await row.locator('pre').textContent(), /light\.kitchen_lights/);

  await page.selectOption('#run-tool', 'ha_search_entities');
  await page.fill('#arg-query', 'kitchen');
  await page.fill('#arg-limit', '2');
  await page.click('#run-form button[type="submit"]');
  const search = page.locator('#run-form ~ div tr[data-tool="ha_search_entities"]');
  await search.waitFor();
  t.equal(await search.getAttribute('data-ok'), 'true');
  t.match(await search.locator('td').nth(2).textContent(), /^[12]$/, 'at most the 2 asked for');
});

t.test('undo from the audit log restores a light', async (t) => {
  const id = 'light.bed_light';
  await stack.call('ha_call_service', { domain: 'light', service: 'turn_on', entity_id: id });
  t.equal(stack.sim.home.getState(id)?.state, 'on');
  const { json } = await stack.call('ha_call_service', { domain: 'light', service: 'turn_off', entity_id: id });
  const auditId = json.audit_id as string;
  t.type(auditId, 'string');
  t.equal(stack.sim.home.getState(id)?.state, 'off');

  const page = await open(ADMIN, 'audit');
  const row = page.locator(`tr[data-audit="${auditId}"]`);
  t.match(await row.textContent(), /light\.turn_off/);
  t.match(await row.locator('td.change').textContent(), /light\.bed_light: on → off/);
  if (stack.clientKind === 'v1') t.match(await row.textContent(), /stack-test 1\.0\.0/, 'the client of the open session');
  await row.locator('button', { hasText: 'Undo' }).click();
  await page.locator('#undo-result li', { hasText: id }).waitFor();
  t.match(await page.textContent('#undo-result'), /restored light\.bed_light/);
  t.equal(stack.sim.home.getState(id)?.state, 'on', 'the simulator has the light on again');
  // The restore is itself in the log, as an undo of that action.
  const records = await stack.deps.audit.readAll();
  t.ok(records.some((r) => r.undo_of?.includes(auditId) && r.caller === `api_key:page:${ADMIN.name}`), 'recorded as the page user');

  // Filter by service.
  await page.fill('#f-service', 'light.turn_off');
  await page.click('form.filters button');
  await page.waitForFunction(() => [...document.querySelectorAll('tr[data-audit] td:nth-child(4)')].every((td: any) => td.firstChild?.textContent === 'light.turn_off'));
  t.pass('the filter narrows the list');
});

t.test('a call waiting for confirmation: approved completes it, denied refuses it', async (t) => {
  const id = 'input_boolean.mcp_test_toggle';
  const before = stack.sim.home.getState(id)?.state;
  const page = await open(ADMIN, 'approvals');
  // A client that can neither elicit nor take input_required: its call waits for the page.
  const waiting = stack.call('ha_call_service', { domain: 'input_boolean', service: 'toggle', entity_id: id });
  const item = page.locator('li.approval').first();
  await item.waitFor({ timeout: 15_000 });
  t.match(await item.textContent(), /input_boolean\.toggle/);
  t.match(await item.locator('pre').textContent(), /mcp_test_toggle/, 'what it would do');
  await item.locator('button', { hasText: 'Approve' }).click();
  const approved = await waiting;
  t.notOk(approved.result.isError, 'the client\'s call completed');
  t.not(stack.sim.home.getState(id)?.state, before, 'the toggle happened in the simulator');
  const record = (await stack.deps.audit.readAll()).find((r) => r.id === approved.json.audit_id);
  t.equal(record?.outcome, 'success');

  const after = stack.sim.home.getState(id)?.state;
  const refused = stack.call('ha_call_service', { domain: 'input_boolean', service: 'toggle', entity_id: id });
  const next = page.locator('li.approval').first();
  await next.waitFor({ timeout: 15_000 });
  await next.locator('button', { hasText: 'Deny' }).click();
  const denied = await refused;
  t.equal(denied.result.isError, true);
  t.equal(denied.json.error, 'confirmation_invalid');
  t.match(denied.json.message, /declined/);
  t.equal(stack.sim.home.getState(id)?.state, after, 'nothing changed');
  await page.locator('text=denied').first().waitFor();
  t.pass('the decisions are listed');
});

t.test('a non-admin sees every section but cannot act', async (t) => {
  const page = await open(NON_ADMIN, 'status');
  t.match(await page.textContent('#who'), /view only/);
  // A change to undo and a waiting call to decide, so that the buttons are there.
  await stack.call('ha_call_service', { domain: 'light', service: 'toggle', entity_id: 'light.ceiling_lights' });
  await page.goto(`${stack.pageUrl(NON_ADMIN)}#audit`);
  await page.waitForSelector('main[data-ready="audit"]');
  const undo = page.locator('tr[data-audit] button', { hasText: 'Undo' }).first();
  t.equal(await undo.isDisabled(), true, 'undo is disabled');
  t.match(await page.textContent('main'), /View only/);

  const waiting = stack.call('ha_call_service', { domain: 'input_boolean', service: 'toggle', entity_id: 'input_boolean.mcp_test_toggle' });
  await page.goto(`${stack.pageUrl(NON_ADMIN)}#approvals`);
  const item = page.locator('li.approval').first();
  await item.waitFor({ timeout: 15_000 });
  t.equal(await item.locator('button', { hasText: 'Approve' }).isDisabled(), true, 'approve is disabled');
  // Even a request made by hand from the page is refused.
  const status = await page.evaluate(async (pid) => (await fetch(`api/approvals/${pid}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"approve":true}' })).status, await item.getAttribute('data-approval'));
  t.equal(status, 403);
  await page.goto(`${stack.pageUrl(NON_ADMIN)}#connect`);
  await page.waitForSelector('main[data-ready="connect"]');
  t.equal(await page.locator('button', { hasText: 'Create API key' }).isDisabled(), true);
  // Let the admin deny it so that the client's call ends.
  const admin = await open(ADMIN, 'approvals');
  await admin.locator('li.approval button', { hasText: 'Deny' }).first().click();
  t.equal((await waiting).json.error, 'confirmation_invalid');
});

/** axe-core's serious and critical violations on the page as it is. */
async function axeBad(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.evaluate(AXE);
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  })) as { id: string; impact: string; nodes: string[] }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

t.test('Access: OAuth sign-ins by user and client, revoked from the page after a confirmation', async (t) => {
  const off = await open(ADMIN, 'access');
  t.match(await off.textContent('#oauth-off'), /OAuth sign-in is off\. Set the add-on option base_url/, 'OAuth off: how to turn it on');
  const o = await startOAuthUiStack();
  t.teardown(() => o.close());
  const clientId = (await register(o, 'Grant test client')).json.client_id as string;
  const signIn = async () => (await (await signInByHand(o, clientId)).tokens()).json.access_token as string;
  const older = await signIn();
  const newer = await signIn();
  t.equal((await probe(o, older)).status, 200);
  // Our access tokens are JWTs naming their grant.
  const grantOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { grant: string }).grant;

  const page = await open(ADMIN, 'access', {}, o);
  const item = page.locator(`li.oauth-client[data-client="${clientId}"]`);
  const text = await item.textContent();
  for (const want of ['Grant test client', 'Alice', 'dynamic client registration', 'remembered', 'Last used']) t.match(text, want, `shows ${want}`);
  t.equal(await item.locator('li.grant').count(), 2, 'both sign-ins listed');
  t.same(await axeBad(page), [], 'axe: the listing');

  // Keyboard: Enter on Revoke opens the confirmation with Cancel focused; Escape cancels, focus returns.
  const firstRevoke = item.locator('li.grant button', { hasText: 'Revoke' }).first();
  t.match(await firstRevoke.getAttribute('aria-label'), /^Revoke the sign-in of Grant test client for Alice from /, 'the button names what it revokes');
  await firstRevoke.focus();
  await page.keyboard.press('Enter');
  const dialog = page.locator('dialog#confirm');
  await dialog.waitFor();
  t.equal(await dialog.evaluate((d: any) => d.open && d.matches(':modal')), true, 'a modal dialog');
  t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'Cancel has the focus');
  t.match(await dialog.textContent(), /Revoke this sign-in\?.*Grant test client loses the access Alice gave it/);
  t.same(await axeBad(page), [], 'axe: the confirmation');
  await page.screenshot({ path: join(OUT, 'access-oauth-confirm.png') });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  t.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), await firstRevoke.getAttribute('aria-label'), 'focus back on the button');
  t.equal(o.built.oauth!.grants.list({ clientId }).length, 2, 'cancelled: nothing revoked');

  // Confirmed: the grant ends and that token is refused; the other still works.
  const revokedId = await item.locator('li.grant').first().getAttribute('data-grant');
  await firstRevoke.click();
  await page.click('#confirm-yes');
  await page.locator('#access-result', { hasText: 'Revoked the sign-in of Grant test client for Alice' }).waitFor();
  t.equal(await page.evaluate(() => document.activeElement?.id), 'access-result', 'the outcome takes the focus');
  t.equal(await item.locator('li.grant').count(), 1, 'one sign-in left on the page');
  t.notOk(o.built.oauth!.grants.list({ clientId }).some((g) => g.id === revokedId), 'the grant is gone from the OAuth service');
  const revokedToken = [older, newer].find((x) => grantOf(x) === revokedId) as string;
  t.ok(revokedToken, 'the revoked grant was one of the two');
  t.equal((await probe(o, revokedToken)).status, 401, "the revoked client's access token gets 401");
  t.equal((await probe(o, revokedToken === older ? newer : older)).status, 200, 'the other sign-in still works');

  for (const [label, width, height] of [['desktop', 1280, 800], ['phone', 390, 844]] as const) {
    const p = await open(ADMIN, 'access', { width, height }, o);
    t.same(await axeBad(p), [], `axe: ${label}`);
    await p.screenshot({ path: join(OUT, `access-oauth-${label}.png`), fullPage: true });
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    t.ok(overflow <= 1, `${label}: fits the width (${overflow}px)`);
  }

  // Forget the consent: the last sign-in ends as well.
  await page.locator('button', { hasText: 'Forget consent' }).click();
  await page.click('#confirm-yes');
  await page.locator('#access-result', { hasText: "Forgot Alice's consent for Grant test client; 1 sign-in ended." }).waitFor();
  t.equal(await page.locator('#oauth-empty').count(), 1, 'nobody is signed in now');
  t.same(o.built.oauth!.grants.consents({ clientId }), []);
  t.equal((await probe(o, revokedToken === older ? newer : older)).status, 401);

  // A non-admin sees the sign-ins, not the buttons' power.
  await signIn();
  const viewer = await open(NON_ADMIN, 'access', {}, o);
  t.equal(await viewer.locator('li.grant button', { hasText: 'Revoke' }).isDisabled(), true, 'revoke is disabled for a non-admin');
  t.equal(await viewer.locator('button', { hasText: 'Forget consent' }).isDisabled(), true);
  t.same([...problemsOf(page), ...problemsOf(viewer)], [], 'no script errors or CSP violations');
});

t.test('the page stays under the ingress prefix, with its own files only', async (t) => {
  stack.proxied.length = 0;
  const page = await open(ADMIN, 'status');
  const external: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(stack.pageUrl(ADMIN))) external.push(r.url());
  });
  for (const s of SECTIONS) {
    await page.click(`nav a[href="#${s}"]`);
    await page.waitForSelector(`main[data-ready="${s}"]`);
  }
  t.same(external, [], 'no request outside the prefix');
  t.ok(stack.proxied.length > 5);
  t.ok(stack.proxied.every((p) => p.startsWith(`/api/hassio_ingress/${ADMIN.token}/`)), 'every request the proxy saw is under the prefix');
  t.same(problemsOf(page), []);
});

t.test('axe-core: no serious or critical violations, light and dark, desktop and phone', async (t) => {
  for (const dark of [false, true]) {
    for (const width of [1280, 390]) {
      for (const s of SECTIONS) {
        const page = await open(ADMIN, s, { width, height: width > 600 ? 800 : 844, dark });
        if (s === 'test') {
          await page.click('#test-all');
          await page.waitForSelector('#test-summary', { timeout: 30_000 });
        }
        const bad = await axeBad(page);
        t.same(bad, [], `${s} ${dark ? 'dark' : 'light'} ${width}px`);
        await page.context().close();
      }
    }
  }
});

t.test('a screenshot of each section at desktop and phone width', async (t) => {
  for (const [label, width, height] of [['desktop', 1280, 800], ['phone', 390, 844]] as const) {
    for (const s of SECTIONS) {
      // The approvals section with a call waiting, denied once the picture is taken.
      const waiting = s === 'approvals' ? stack.call('ha_call_service', { domain: 'input_boolean', service: 'toggle', entity_id: 'input_boolean.mcp_test_toggle' }) : undefined;
      const page = await open(ADMIN, s, { width, height });
      if (s === 'test') {
        await page.click('#test-all');
        await page.waitForSelector('#test-summary', { timeout: 30_000 });
      }
      if (waiting) await page.locator('li.approval').first().waitFor({ timeout: 15_000 });
      const file = join(OUT, `${s}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      t.ok(existsSync(file), file);
      if (label === 'phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        t.ok(overflow <= 1, `${s} fits the phone's width (no sideways page scroll: ${overflow}px)`);
      }
      if (waiting) {
        for (const p of stack.deps.approvals?.pending() ?? []) stack.deps.approvals?.decide(p.id, false, 'test');
        t.equal((await waiting).json.error, 'confirmation_invalid');
      }
      await page.context().close();
    }
  }
  const dark = await open(ADMIN, 'status', { dark: true });
  await dark.screenshot({ path: join(OUT, 'status-desktop-dark.png'), fullPage: true });
});
