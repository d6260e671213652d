// Dashboards through MCP against the simulator: list, create a dashboard, a view round-trip
// (read one view, write it back changed) without carrying the whole dashboard, delete with
// confirmation, each undone with ha_undo; a large dashboard answers by view; read-only refuses.
import t from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';

const CONFIG_ON = { toolsets: ['read', 'write', 'admin', 'config'] as ('read' | 'write' | 'admin' | 'config')[], confirmation_timeout_seconds: 30 };
const cfg = (stack: Stack, args: Record<string, unknown>) => stack.call('ha_config', args);
const token = (json: Record<string, unknown>): string => (json.details as { confirm_token: string }).confirm_token;

async function savedConfig(stack: Stack, url: string): Promise<Record<string, unknown>> {
  const ws = await stack.deps.ha.command<Record<string, unknown>>({ type: 'lovelace/config', url_path: url });
  return ws;
}

t.test('dashboard: create, a view round-trip, delete; each undone', async (t) => {
  const stack = await startStack({ options: CONFIG_ON });
  t.teardown(() => stack.close());
  const list = await cfg(stack, { kind: 'dashboard', action: 'list' });
  t.match(list.json.items, [{ id: 'lovelace' }, { id: 'map' }]);

  const config = {
    title: 'Energy',
    views: [
      { title: 'Power', path: 'power', cards: [{ type: 'entities', entities: ['sensor.outside_temperature'] }] },
      { title: 'Lights', path: 'lights', cards: [{ type: 'light', entity: 'light.bed_light' }] },
    ],
  };
  const created = await cfg(stack, { kind: 'dashboard', action: 'create', id: 'energy-board', config });
  t.notOk(created.result.isError, JSON.stringify(created.json));
  t.same(await savedConfig(stack, 'energy-board'), config);

  const view = await cfg(stack, { kind: 'dashboard', action: 'get', id: 'energy-board/lights' });
  t.same(view.json.config, config.views[1], 'one view, not the dashboard');
  const changed = { ...config.views[1]!, cards: [...config.views[1]!.cards, { type: 'light', entity: 'light.kitchen_lights' }] };
  const upd = await cfg(stack, { kind: 'dashboard', action: 'update', id: 'energy-board/lights', version: view.json.version, config: changed });
  t.notOk(upd.result.isError, JSON.stringify(upd.json));
  t.match((upd.json.diff as string[]).join('\n'), /kitchen_lights/);
  const saved = await savedConfig(stack, 'energy-board');
  t.same((saved.views as unknown[])[1], changed);
  t.same((saved.views as unknown[])[0], config.views[0], 'the other view is untouched');

  const undo = await stack.call('ha_undo', { id: upd.json.audit_id });
  t.match(undo.json, { restored: 1, not_restored: 0 });
  t.same(await savedConfig(stack, 'energy-board'), config, 'the view is back');

  // A new view, then its delete with confirmation, undone at its place.
  const added = await cfg(stack, { kind: 'dashboard', action: 'create', id: 'energy-board/heat', config: { title: 'Heat', cards: [] } });
  t.notOk(added.result.isError, JSON.stringify(added.json));
  t.equal(((await savedConfig(stack, 'energy-board')).views as unknown[]).length, 3);
  const hv = await cfg(stack, { kind: 'dashboard', action: 'get', id: 'energy-board/heat' });
  const ask = await cfg(stack, { kind: 'dashboard', action: 'delete', id: 'energy-board/heat', version: hv.json.version });
  t.match(ask.json, { error: 'confirmation_required' });
  const del = await cfg(stack, { kind: 'dashboard', action: 'delete', id: 'energy-board/heat', version: hv.json.version, confirm_token: token(ask.json) });
  t.notOk(del.result.isError, JSON.stringify(del.json));
  t.equal(((await savedConfig(stack, 'energy-board')).views as unknown[]).length, 2);
  t.match((await stack.call('ha_undo', { id: del.json.audit_id })).json, { restored: 1 });
  t.same(((await savedConfig(stack, 'energy-board')).views as { path: string }[]).map((v) => v.path), ['power', 'lights', 'heat']);

  // The whole dashboard deleted, then back.
  const whole = await cfg(stack, { kind: 'dashboard', action: 'get', id: 'energy-board' });
  const ask2 = await cfg(stack, { kind: 'dashboard', action: 'delete', id: 'energy-board', version: whole.json.version });
  const del2 = await cfg(stack, { kind: 'dashboard', action: 'delete', id: 'energy-board', version: whole.json.version, confirm_token: token(ask2.json) });
  t.notOk(del2.result.isError, JSON.stringify(del2.json));
  t.notOk((await stack.deps.ha.command<{ url_path: string }[]>({ type: 'lovelace/dashboards/list' })).some((d) => d.url_path === 'energy-board'));
  t.match((await stack.call('ha_undo', { id: del2.json.audit_id })).json, { restored: 1 });
  t.same(await savedConfig(stack, 'energy-board'), whole.json.config, 'dashboard and config back');
});

t.test('dashboard: a large one is read by view; the default dashboard; errors; read-only', async (t) => {
  const stack = await startStack({ options: CONFIG_ON });
  t.teardown(() => stack.close());
  const views = Array.from({ length: 40 }, (_, i) => ({
    title: `Room ${i}`,
    path: `room-${i}`,
    cards: Array.from({ length: 10 }, (_, j) => ({ type: 'entities', title: `Card ${j}`, entities: ['light.bed_light', 'light.kitchen_lights', 'sensor.outside_temperature'] })),
  }));
  const big = await cfg(stack, { kind: 'dashboard', action: 'create', id: 'big-board', config: { views: views.slice(0, 5) } });
  t.notOk(big.result.isError, JSON.stringify(big.json));
  // Grown past the whole-dashboard size by view writes: neither side sends the whole config.
  for (const v of views.slice(5)) {
    const r = await cfg(stack, { kind: 'dashboard', action: 'create', id: `big-board/${v.path}`, config: v });
    t.notOk(r.result.isError, JSON.stringify(r.json).slice(0, 300));
  }
  const whole = await cfg(stack, { kind: 'dashboard', action: 'get', id: 'big-board' });
  const text = JSON.stringify(whole.json);
  t.ok(text.length < 8_000, `the answer stays small (${text.length} characters)`);
  t.match(whole.json.config, { views: [{ view_id: 'big-board/room-0', cards: 10 }] });
  const one = await cfg(stack, { kind: 'dashboard', action: 'get', id: 'big-board/room-39' });
  t.equal((one.json.config as { title: string }).title, 'Room 39');
  const refused = await cfg(stack, { kind: 'dashboard', action: 'update', id: 'big-board', version: whole.json.version, config: whole.json.config });
  t.match(refused.json, { error: 'invalid_input', suggestion: /view/ });

  const def = await cfg(stack, { kind: 'dashboard', action: 'get', id: 'lovelace' });
  t.match(def.json, { error: 'not_found' }, 'the default dashboard was never saved');
  const first = await cfg(stack, { kind: 'dashboard', action: 'create', id: 'lovelace', config: { views: [{ title: 'Home', cards: [] }] } });
  t.notOk(first.result.isError, JSON.stringify(first.json));
  const v0 = await cfg(stack, { kind: 'dashboard', action: 'get', id: 'lovelace/0' });
  t.same(v0.json.config, { title: 'Home', cards: [] }, 'a view without a path by its index');
  const noHyphen = await cfg(stack, { kind: 'dashboard', action: 'create', id: 'energy', config: { views: [] } });
  t.match(noHyphen.json, { error: 'validation_error', message: /hyphen/ });

  const ro = await startStack({ options: { ...CONFIG_ON, read_only: true } });
  t.teardown(() => ro.close());
  const r = await cfg(ro, { kind: 'dashboard', action: 'create', id: 'ro-board', config: { views: [] } });
  t.match(r.json, { error: 'read_only' });
  t.match((await cfg(ro, { kind: 'dashboard', action: 'list' })).json, { total: 2 });
});
