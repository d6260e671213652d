// Section 6, Access: API key names, OAuth sign-ins by Home Assistant user and client (an admin
// revokes one sign-in, or forgets the consent and with it every sign-in of that pair, after a
// confirmation), and the effective policy in words.
import { api } from './api.js';
import { ago, h, toast } from './dom.js';
import { actButton, card, dl, errorText, viewOnly, type Viewer } from './parts.js';

interface Grant { id: string; created_at: string; last_used_at: string; expires_at: string }
interface OAuthClient {
  user_id: string; user_name: string; client_id: string; client_name: string; how_registered: string | null; redirect_host: string | null; document_host: string | null;
  scope: string; consented_at: string | null; grants: Grant[]; last_used_at: string | null;
}
interface Access {
  api_keys: string[];
  oauth: { enabled: boolean; available: boolean; how_to_enable: string | null; clients: OAuthClient[]; has_more: boolean };
  policy: { words: string[] };
}

const when = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Asks before something that cannot be undone: a modal <dialog> (focus moves into it and stays,
 * Escape cancels), Cancel focused first. Resolves true when confirmed.
 */
function confirmDialog(title: string, text: string, yes: string): Promise<boolean> {
  const cancel = h('button', { type: 'submit', value: 'no', class: 'secondary', autofocus: true }, 'Cancel');
  const ok = h('button', { type: 'submit', value: 'yes', class: 'danger', id: 'confirm-yes' }, yes);
  const dialog = h('dialog', { id: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
    h('form', { method: 'dialog' }, h('h3', { id: 'confirm-title' }, title), h('p', { id: 'confirm-text' }, text), h('div', { class: 'actions' }, cancel, ok)),
  );
  document.getElementById('confirm')?.remove();
  document.body.append(dialog);
  const opener = document.activeElement as HTMLElement | null;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(dialog.returnValue === 'yes');
    });
    dialog.showModal();
    cancel.focus();
  });
}

function oauthCard(a: Access['oauth'], viewer: Viewer, redraw: (message: string) => Promise<void>): HTMLElement {
  if (!a.enabled) return card('OAuth sign-ins', h('p', { class: 'notice', id: 'oauth-off' }, a.how_to_enable ?? 'OAuth sign-in is off.'));
  const act = (title: string, text: string, yes: string, run: () => Promise<string>) => async () => {
    if (!(await confirmDialog(title, text, yes))) return;
    try {
      await redraw(await run());
    } catch (e) {
      toast(errorText(e));
      await redraw(errorText(e)).catch(() => undefined);
    }
  };
  const revoke = (c: OAuthClient, g: Grant) =>
    act('Revoke this sign-in?', `${c.client_name} loses the access ${c.user_name} gave it on ${when(g.created_at)}: its tokens stop working at once. The client can ask to sign in again.`, 'Revoke', async () => {
      await api(`oauth/grants/${encodeURIComponent(g.id)}/revoke`, { method: 'POST', body: {} });
      return `Revoked the sign-in of ${c.client_name} for ${c.user_name}.`;
    });
  const forget = (c: OAuthClient) =>
    act('Forget this consent?', `${c.user_name} will be asked again before ${c.client_name} can connect, and its ${c.grants.length} sign-in${c.grants.length === 1 ? '' : 's'} end now.`, 'Forget and revoke', async () => {
      const r = await api<{ ended_grants: number }>('oauth/consents/forget', { method: 'POST', body: { user_id: c.user_id, client_id: c.client_id } });
      return `Forgot ${c.user_name}'s consent for ${c.client_name}; ${r.ended_grants} sign-in${r.ended_grants === 1 ? '' : 's'} ended.`;
    });
  const item = (c: OAuthClient) =>
    h('li', { class: 'oauth-client', 'data-user': c.user_id, 'data-client': c.client_id },
      h('h4', {}, `${c.client_name} `, h('span', { class: 'hint' }, `for ${c.user_name}`)),
      dl([
        ['User', c.user_name],
        ['Client', c.client_name],
        ['Registered by', c.how_registered ?? 'unknown'],
        ...(c.document_host ? [['Client document at', c.document_host] as [string, string]] : []),
        ['Redirect host', c.redirect_host ?? 'not recorded for this client'],
        ['Consent', c.consented_at ? `given ${when(c.consented_at)}, remembered` : 'not remembered'],
        ['Last used', c.last_used_at ? `${ago(c.last_used_at)} (${when(c.last_used_at)})` : 'never'],
      ]),
      c.grants.length
        ? h('ul', { class: 'plain grants', 'aria-label': `Sign-ins of ${c.client_name} for ${c.user_name}` }, c.grants.map((g) =>
            h('li', { class: 'grant', 'data-grant': g.id },
              h('span', {}, `Signed in ${when(g.created_at)}, last used ${ago(g.last_used_at)}, ends ${when(g.expires_at)} unless used. `),
              actButton(viewer, 'Revoke', () => void revoke(c, g)(), { class: 'danger', 'aria-label': `Revoke the sign-in of ${c.client_name} for ${c.user_name} from ${when(g.created_at)}` }),
            ),
          ))
        : h('p', { class: 'empty' }, 'No live sign-in: the next one skips the consent page.'),
      c.consented_at ? actButton(viewer, 'Forget consent', () => void forget(c)(), { class: 'secondary', 'aria-label': `Forget consent of ${c.user_name} for ${c.client_name}` }) : null,
    );
  return card('OAuth sign-ins',
    h('p', { class: 'hint' }, 'Clients signed in with a Home Assistant account, by user and client. Revoking ends a sign-in at once; forgetting the consent also asks the user again next time.'),
    a.available ? null : h('p', { class: 'error' }, a.how_to_enable ?? 'The OAuth store is not open.'),
    a.clients.length ? h('ul', { class: 'plain oauth' }, a.clients.map(item)) : h('p', { class: 'empty', id: 'oauth-empty' }, 'No one has signed in with OAuth yet.'),
    a.has_more ? h('p', { class: 'hint' }, 'More users and clients than shown: the most recently used first.') : null,
  );
}

export async function accessSection(root: HTMLElement, viewer: Viewer): Promise<void> {
  const result = h('p', { id: 'access-result', role: 'status', tabindex: -1 });
  const draw = async (message = '') => {
    const a = await api<Access>('access');
    result.textContent = message;
    root.replaceChildren(
      viewOnly(viewer) ?? '',
      card('API keys', a.api_keys.length ? h('ul', { class: 'plain' }, a.api_keys.map((k) => h('li', {}, k))) : h('p', { class: 'empty' }, 'No API keys: only Home Assistant tokens can connect.'), h('p', { class: 'hint' }, 'Names only; a key is shown once, when it is made.')),
      result,
      oauthCard(a.oauth, viewer, draw),
      card('Effective policy', h('ul', {}, a.policy.words.map((w) => h('li', {}, w)))),
    );
    // The button that was pressed is gone: the outcome takes the focus, so a keyboard user is not lost.
    if (message) result.focus();
  };
  await draw();
}
