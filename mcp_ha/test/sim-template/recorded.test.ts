// Every template in the recordings, rendered against the recorded demo states, must give the
// recorded text, error and listeners.
import t from 'tap';
import { renderTemplate } from '../../sim/template/render.js';
import { pyRepr } from '../../sim/template/pystr.js';
import { fixture, makeEnv } from './helpers.js';

interface Exchange { name: string; request: { body?: unknown }; response: { status: number; body: unknown } }
interface Frame { dir: string; data?: Record<string, unknown> }

const env = makeEnv();

t.test('POST /api/template recordings', async (t) => {
  const { exchanges } = fixture<{ exchanges: Exchange[] }>('rest-template.json');
  let checked = 0;
  for (const ex of exchanges) {
    const body = ex.request.body as { template?: string; variables?: Record<string, unknown> } | undefined;
    if (typeof body !== 'object' || typeof body?.template !== 'string') continue;
    const out = renderTemplate(body.template, env, body.variables);
    if (ex.response.status === 200) {
      t.same(out, { ok: true, result: ex.response.body, listeners: out.ok ? out.listeners : null }, ex.name);
    } else {
      const message = (ex.response.body as { message: string }).message;
      t.equal(out.ok ? out.result : `Error rendering template: ${out.error}`, message, ex.name);
    }
    checked++;
  }
  t.equal(checked, 5, 'all recorded template bodies checked');
});

t.test('render_template recordings', async (t) => {
  const { sessions } = fixture<{ sessions: { frames: Frame[] }[] }>('ws-render-template.json');
  let checked = 0;
  for (const { frames } of sessions) {
    for (const send of frames.filter((f) => f.dir === 'send' && f.data?.type === 'render_template')) {
      const d = send.data!;
      const replies = frames.filter((f) => f.dir === 'recv' && f.data?.id === d.id).map((f) => f.data!);
      const event = replies.find((r) => r.type === 'event')?.event as Record<string, unknown> | undefined;
      const result = replies.find((r) => r.type === 'result')!;
      const strict = d.strict === true && d.report_errors === true;
      const out = renderTemplate(d.template as string, env, d.variables as Record<string, unknown>, {
        strict,
        timeout: d.timeout as number | undefined,
      });
      const what = String(d.template);
      if (result.success === false) {
        t.same(out, { ok: false, error: (result.error as { message: string }).message, kind: 'runtime' }, `timeout: ${what}`);
      } else if (!event) {
        t.equal(out.ok, false, `error without report_errors: ${what}`);
      } else if ('error' in event) {
        t.equal(out.ok ? null : out.error, event.error, `reported error: ${what}`);
      } else {
        t.ok(out.ok, what);
        if (!out.ok) continue;
        const expected = typeof event.result === 'string' ? event.result : pyRepr(event.result);
        t.equal(out.result, expected, `result: ${what}`);
        const want = event.listeners as { all: boolean; entities: string[]; domains: string[]; time: boolean };
        // HA keeps listener entities in a Python set, so their order is hash order: compare as sets.
        t.same({ ...out.listeners, entities: [...out.listeners.entities].sort() }, { ...want, entities: [...want.entities].sort() }, `listeners: ${what}`);
      }
      checked++;
    }
  }
  t.equal(checked, 11, 'all recorded render_template commands checked');
});
