// The page's seven sections. Each renders into a container and may return a refresher the page
// calls every few seconds while that section is shown.
import { accessSection } from './access.js';
import { api } from './api.js';
import { ago, badge, copy, h, json, pre, rawJson, scroller, toast } from './dom.js';
import { schemaForm } from './form.js';
import { actButton, card, dl, errorText, viewOnly, type Viewer } from './parts.js';

export type { Viewer };

export interface Section {
  id: string;
  title: string;
  render(root: HTMLElement, viewer: Viewer): Promise<(() => Promise<void>) | void>;
}

interface Status {
  home_assistant: { status: string; connected: boolean; version: string | null; entities: number; cache_ready: boolean; stale: boolean; last_resync: string | null; last_update: string | null };
  mcp: { open_sessions: number; by_client: { client: string; protocol: string | null; kind: string; sessions: number }[]; protocols: { protocol: string; requests: number; last_at: string }[] };
  server: { version: string; uptime_s: number };
}

function uptime(s: number): string {
  const d = Math.floor(s / 86400), hr = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return d ? `${d} d ${hr} h` : hr ? `${hr} h ${m} min` : `${m} min ${s % 60} s`;
}

const status: Section = {
  id: 'status',
  title: 'Status',
  async render(root) {
    const draw = async () => {
      const s = await api<Status>('status');
      const ha = s.home_assistant;
      root.replaceChildren(
        h('div', { class: 'grid' },
          card('Home Assistant', dl([
            ['Connection', badge(ha.connected, 'connected', ha.status)],
            ['Version', ha.version ?? 'unknown'],
            ['Cached entities', ha.entities],
            ['Last resync', ago(ha.last_resync)],
            ['Last update', ago(ha.last_update)],
          ])),
          card('Server', dl([['Version', s.server.version], ['Uptime', uptime(s.server.uptime_s)], ['Open MCP sessions', s.mcp.open_sessions]])),
        ),
        card('MCP sessions by client',
          s.mcp.by_client.length
            ? scroller('Sessions by client', h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Client'), h('th', { scope: 'col' }, 'Revision'), h('th', { scope: 'col' }, 'Transport'), h('th', { scope: 'col' }, 'Sessions'))),
                h('tbody', {}, s.mcp.by_client.map((c) => h('tr', {}, h('td', {}, c.client), h('td', {}, c.protocol ?? '–'), h('td', {}, c.kind === 'sse' ? 'HTTP+SSE' : 'Streamable HTTP'), h('td', { class: 'num' }, c.sessions))))))
            : h('p', { class: 'empty' }, 'No open sessions. 2026-07-28 clients need none: each request stands alone.'),
        ),
        card('Protocol revisions in use',
          s.mcp.protocols.length
            ? h('ul', { class: 'plain' }, s.mcp.protocols.map((p) => h('li', {}, h('strong', {}, p.protocol), ` — ${p.requests} request${p.requests === 1 ? '' : 's'}, last ${ago(p.last_at)}`)))
            : h('p', { class: 'empty' }, 'No MCP requests since the server started.'),
        ),
      );
    };
    await draw();
    return draw;
  },
};

interface ConnectInfo {
  mcp_url: { local: string; public: string | null };
  clients: { id: string; name: string; where: string; text: string; note?: string }[];
  can_create_keys: boolean;
}

const connect: Section = {
  id: 'connect',
  title: 'Connect a client',
  async render(root, viewer) {
    const c = await api<ConnectInfo>('connect');
    const urlRow = (label: string, url: string) => h('div', { class: 'urlrow' }, h('span', { class: 'label' }, label), h('code', {}, url), h('button', { type: 'button', class: 'secondary', 'aria-label': `Copy ${label} URL`, onclick: () => void copy(url) }, 'Copy'));
    const keyOut = h('div', { 'aria-live': 'polite' });
    const nameInput = h('input', { id: 'key-name', type: 'text', maxlength: 64, autocomplete: 'off', placeholder: 'e.g. claude-desktop' });
    const create = actButton(viewer, 'Create API key', async () => {
      keyOut.replaceChildren();
      try {
        const made = await api<{ name: string; key: string; note: string }>('keys', { method: 'POST', body: { name: nameInput.value } });
        keyOut.replaceChildren(h('div', { class: 'secret' }, h('p', {}, h('strong', {}, `API key "${made.name}": `), made.note), h('code', { class: 'key' }, made.key), h('button', { type: 'button', onclick: () => void copy(made.key) }, 'Copy key')));
      } catch (e) {
        keyOut.replaceChildren(h('p', { class: 'error' }, errorText(e)));
      }
    });
    if (!c.can_create_keys) {
      create.disabled = true;
      create.title = 'Inside Home Assistant only';
    }
    root.replaceChildren(
      card('MCP URL', urlRow('Local', c.mcp_url.local), c.mcp_url.public ? urlRow('Public', c.mcp_url.public) : h('p', { class: 'hint' }, 'Set the add-on option public_url to show the address clients on the internet use.')),
      card('API key',
        h('p', {}, 'Clients send a key as "Authorization: Bearer KEY". A new key is written to the add-on options and shown once.'),
        viewOnly(viewer),
        c.can_create_keys ? null : h('p', { class: 'hint' }, 'Outside Home Assistant, add keys to api_keys in the options file.'),
        h('div', { class: 'field inline' }, h('label', { for: 'key-name' }, 'Key name'), nameInput, create),
        keyOut,
      ),
      ...c.clients.map((cl) =>
        h('section', { class: 'card', 'data-client': cl.id },
          h('h3', {}, cl.name),
          h('p', { class: 'hint' }, `In ${cl.where}`),
          pre(cl.text, `${cl.name} configuration`),
          cl.note ? h('p', { class: 'hint' }, cl.note) : null,
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Copy the ${cl.name} configuration`, onclick: () => void copy(cl.text) }, 'Copy'),
        ),
      ),
    );
  },
};

interface Run { tool: string; arguments: Record<string, unknown>; ok: boolean; ms: number; items: number | null; tokens: number; result: unknown }
interface ToolInfo { name: string; title: string; description: string; toolset: string; read: boolean; tokens: number; input_schema: Record<string, unknown>; defaults: Record<string, unknown> | null }

function runRows(runs: Run[]): HTMLElement {
  return scroller('Tool results', h('table', { class: 'results' },
    h('thead', {}, h('tr', {}, ['Tool', 'Result', 'ms', 'Items', 'Tokens', 'Answer'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, runs.map((r) => {
      const err = r.result as { error?: string; message?: string } | undefined;
      return h('tr', { 'data-tool': r.tool, 'data-ok': String(r.ok) },
        h('th', { scope: 'row' }, r.tool),
        h('td', {}, badge(r.ok, 'ok', err?.error ?? 'error'), r.ok ? null : h('div', { class: 'errmsg' }, err?.message ?? '')),
        h('td', { class: 'num', 'data-ms': r.ms }, r.ms),
        h('td', { class: 'num' }, r.items ?? '–'),
        h('td', { class: 'num' }, r.tokens),
        h('td', {}, rawJson('Raw JSON', r.result)),
      );
    })),
  ));
}

const test: Section = {
  id: 'test',
  title: 'Test All',
  async render(root) {
    const { tools } = await api<{ tools: ToolInfo[] }>('tools');
    const reads = tools.filter((t) => t.read);
    const out = h('div', { 'aria-live': 'polite' });
    const all = h('button', { type: 'button', id: 'test-all' }, 'Test All');
    all.onclick = async () => {
      all.disabled = true;
      out.replaceChildren(h('p', {}, `Running ${reads.length} read tools…`));
      try {
        const { results } = await api<{ results: Run[] }>('test-all', { method: 'POST', body: {} });
        const good = results.filter((r) => r.ok).length;
        out.replaceChildren(h('p', { class: good === results.length ? 'ok' : 'error', id: 'test-summary' }, `${good} of ${results.length} tools answered ok.`), runRows(results));
      } catch (e) {
        out.replaceChildren(h('p', { class: 'error' }, errorText(e)));
      } finally {
        all.disabled = false;
      }
    };

    const select = h('select', { id: 'run-tool' }, reads.map((t) => h('option', { value: t.name }, t.name)));
    const formBox = h('div', {});
    const runOut = h('div', { 'aria-live': 'polite' });
    let form = schemaForm('arg', {}, {});
    const pick = () => {
      const t = reads.find((x) => x.name === select.value) ?? reads[0];
      if (!t) return;
      form = schemaForm('arg', t.input_schema, t.defaults ?? {});
      formBox.replaceChildren(h('p', { class: 'hint' }, t.description), form.element);
    };
    select.onchange = pick;
    pick();
    const runForm = h('form', { id: 'run-form', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: 'run-tool' }, 'Tool'), select),
      formBox,
      h('button', { type: 'submit' }, 'Run'),
    );
    runForm.onsubmit = async (ev) => {
      ev.preventDefault();
      let args: Record<string, unknown>;
      try {
        args = form.values();
      } catch (e) {
        runOut.replaceChildren(h('p', { class: 'error' }, String((e as Error).message)));
        return;
      }
      runOut.replaceChildren(h('p', {}, `Running ${select.value}…`));
      try {
        const r = await api<Run>('run', { method: 'POST', body: { tool: select.value, arguments: args } });
        runOut.replaceChildren(runRows([r]));
      } catch (e) {
        runOut.replaceChildren(h('p', { class: 'error' }, errorText(e)));
      }
    };
    root.replaceChildren(
      card('Every read tool', h('p', {}, 'Runs each read tool once with safe arguments through the MCP server, as a client would, and shows what came back.'), all, out),
      card('Run one tool', runForm, runOut),
    );
  },
};

interface Pending { id: string; caller: string; tool: string; arguments: string; question: string; created_at: string; expires_at: string }
interface Decision extends Pending { decision: string; by: string | null; decided_at: string }

const approvals: Section = {
  id: 'approvals',
  title: 'Approvals',
  async render(root, viewer) {
    const draw = async () => {
      const a = await api<{ enabled: boolean; pending: Pending[]; decisions: Decision[] }>('approvals');
      const decide = (p: Pending, approve: boolean) => async () => {
        try {
          await api(`approvals/${encodeURIComponent(p.id)}`, { method: 'POST', body: { approve } });
          toast(approve ? `Approved ${p.tool}.` : `Denied ${p.tool}.`);
        } catch (e) {
          toast(errorText(e));
        }
        await draw();
      };
      root.replaceChildren(
        a.enabled ? '' : h('p', { class: 'notice' }, 'Approvals on this page are off: clients that cannot ask their user get a confirm_token instead. Turn on the add-on option page_approvals to hold their calls here.'),
        viewOnly(viewer) ?? '',
        card('Waiting for a decision',
          a.pending.length
            ? h('ul', { class: 'plain approvals' }, a.pending.map((p) =>
                h('li', { class: 'approval', 'data-approval': p.id },
                  h('p', { class: 'question' }, p.question),
                  dl([['Tool', p.tool], ['Caller', p.caller], ['Expires', new Date(p.expires_at).toLocaleTimeString()]]),
                  h('details', { class: 'raw' }, h('summary', {}, 'Arguments'), pre(p.arguments, 'Arguments')),
                  h('div', { class: 'actions' }, actButton(viewer, 'Approve', decide(p, true), { 'aria-label': `Approve ${p.tool} from ${p.caller}` }), actButton(viewer, 'Deny', decide(p, false), { class: 'danger', 'aria-label': `Deny ${p.tool} from ${p.caller}` })),
                ),
              ))
            : h('p', { class: 'empty' }, 'Nothing is waiting.'),
        ),
        card('Recent decisions',
          a.decisions.length
            ? h('ul', { class: 'plain' }, a.decisions.map((d) => h('li', {}, h('strong', {}, d.decision), ` ${d.tool} from ${d.caller}${d.by ? ` by ${d.by}` : ''}, ${ago(d.decided_at)}`)))
            : h('p', { class: 'empty' }, 'None yet.'),
        ),
      );
    };
    await draw();
    return draw;
  },
};

interface AuditRow {
  id: string; ts: string; caller: string; client: string | null; tool: string; service: string; entities: string[]; data: Record<string, unknown> | null; outcome: string;
  error: { code: string; message: string } | null; duration_ms: number | null; before: Record<string, string> | null; after: Record<string, string> | null; undoable: boolean; undo_of: string[] | null;
}

const audit: Section = {
  id: 'audit',
  title: 'Audit log',
  async render(root, viewer) {
    const fields = ['tool', 'service', 'entity_id', 'caller'] as const;
    const inputs = Object.fromEntries(fields.map((f) => [f, h('input', { id: `f-${f}`, type: 'text', autocomplete: 'off' })])) as Record<(typeof fields)[number], HTMLInputElement>;
    const outcome = h('select', { id: 'f-outcome' }, ['', 'success', 'refused', 'failed', 'pending', 'unknown'].map((o) => h('option', { value: o }, o || 'any')));
    const list = h('div', {});
    const result = h('div', { 'aria-live': 'polite', id: 'undo-result' });
    const load = async () => {
      const q = new URLSearchParams();
      for (const f of fields) if (inputs[f].value.trim()) q.set(f, inputs[f].value.trim());
      if (outcome.value) q.set('outcome', outcome.value);
      const a = await api<{ records: AuditRow[]; matched: number; has_more: boolean }>(`audit?${q}`);
      const change = (r: AuditRow) => (!r.before && !r.after ? [] : r.entities).map((e) => `${e}: ${r.before?.[e] ?? '?'} → ${r.after?.[e] ?? '?'}`).join('\n');
      list.replaceChildren(
        h('p', { class: 'hint' }, `${a.matched} action${a.matched === 1 ? '' : 's'} matched${a.has_more ? `, the newest ${a.records.length} shown` : ''}.`),
        a.records.length
          ? scroller('Audit log', h('table', { class: 'audit' },
              h('thead', {}, h('tr', {}, ['Time', 'Caller', 'Tool', 'Service', 'Before → after', 'Outcome', ''].map((t, i) => h('th', { scope: 'col' }, t || h('span', { class: 'sr' }, i === 6 ? 'Undo' : ''))))),
              h('tbody', {}, a.records.map((r) =>
                h('tr', { 'data-audit': r.id },
                  h('td', { 'data-label': 'Time', class: 'time' }, new Date(r.ts).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' })),
                  h('td', { 'data-label': 'Caller' }, r.caller, r.client ? h('div', { class: 'hint' }, r.client) : null),
                  h('td', { 'data-label': 'Tool' }, r.tool),
                  h('td', { 'data-label': 'Service' }, r.service, r.data && Object.keys(r.data).length ? h('div', { class: 'hint' }, JSON.stringify(r.data).slice(0, 200)) : null),
                  h('td', { class: 'change', 'data-label': 'Before → after' }, change(r) || '–'),
                  h('td', { 'data-label': 'Outcome' }, badge(r.outcome === 'success', r.outcome, r.outcome), r.error ? h('div', { class: 'errmsg' }, `${r.error.code}: ${r.error.message}`) : null),
                  h('td', {}, r.undoable ? actButton(viewer, 'Undo', () => void undoIt(r), { 'aria-label': `Undo ${r.service} at ${new Date(r.ts).toLocaleTimeString()}` }) : null),
                ),
              )),
            ))
          : h('p', { class: 'empty' }, 'No actions recorded yet.'),
      );
    };
    const undoIt = async (r: AuditRow) => {
      result.replaceChildren(h('p', {}, `Undoing ${r.service}…`));
      try {
        const u = await api<{ actions: { entities: { entity_id: string; status: string; problems?: string[] }[] }[] }>(`audit/${encodeURIComponent(r.id)}/undo`, { method: 'POST', body: {} });
        const ents = u.actions.flatMap((a) => a.entities);
        result.replaceChildren(h('div', { class: 'card' }, h('h3', {}, 'Undo result'), h('ul', { class: 'plain' }, ents.map((e) => h('li', {}, badge(e.status !== 'not_restored', e.status, e.status), ` ${e.entity_id}${e.problems?.length ? `: ${e.problems.join('; ')}` : ''}`))), rawJson('Raw JSON', u)));
      } catch (e) {
        result.replaceChildren(h('p', { class: 'error' }, errorText(e)));
      }
      await load();
    };
    const filter = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter the audit log' },
      ...fields.map((f) => h('div', { class: 'field' }, h('label', { for: `f-${f}` }, f.replace('_', ' ')), inputs[f])),
      h('div', { class: 'field' }, h('label', { for: 'f-outcome' }, 'outcome'), outcome),
      h('button', { type: 'submit' }, 'Filter'),
    );
    filter.onsubmit = (ev) => {
      ev.preventDefault();
      void load();
    };
    root.replaceChildren(viewOnly(viewer) ?? '', card('Filter', filter), result, card('Recent actions', list));
    await load();
  },
};

const access: Section = { id: 'access', title: 'Access', render: accessSection };

const tools: Section = {
  id: 'tools',
  title: 'Tools',
  async render(root) {
    const t = await api<{ tools: ToolInfo[]; total_tokens: number }>('tools');
    root.replaceChildren(card(`${t.tools.length} tools, about ${t.total_tokens} tokens in tools/list`,
      scroller('Tools', h('table', {},
        h('thead', {}, h('tr', {}, ['Tool', 'Toolset', 'Description', 'Tokens'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, t.tools.map((x) => h('tr', { 'data-tool': x.name }, h('th', { scope: 'row' }, x.name), h('td', {}, x.toolset), h('td', {}, x.description), h('td', { class: 'num' }, `≈${x.tokens}`)))),
      )),
    ));
  },
};

export const SECTIONS: Section[] = [status, connect, test, approvals, audit, access, tools];
export { json };
