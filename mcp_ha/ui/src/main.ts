// The add-on's page: a tab per section (#status, #connect, ...), each drawn from the JSON API.
import { api, ApiError, clearToken, setToken, takeTokenFromFragment } from './api.js';
import { h } from './dom.js';
import { SECTIONS, type Viewer } from './sections.js';

const REFRESH_MS = 3000;
let timer: number | undefined;
let viewer: Viewer | undefined;

function tabs(current: string): void {
  const ul = document.getElementById('tabs')!;
  ul.replaceChildren(...SECTIONS.map((s) => h('li', {}, h('a', { href: `#${s.id}`, 'aria-current': s.id === current ? 'page' : null }, s.title))));
}

function login(message: string): void {
  const main = document.getElementById('main')!;
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true });
  const form = h('form', { class: 'card' }, h('h2', {}, 'Sign in'), h('p', {}, message), h('div', { class: 'field' }, h('label', { for: 'token' }, 'API key or Home Assistant token'), input), h('button', { type: 'submit' }, 'Open'));
  form.onsubmit = (ev) => {
    ev.preventDefault();
    setToken(input.value.trim());
    void show();
  };
  document.getElementById('tabs')!.replaceChildren();
  main.replaceChildren(form);
}

async function show(): Promise<void> {
  window.clearInterval(timer);
  const main = document.getElementById('main')!;
  try {
    viewer ??= await api<Viewer>('whoami');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      clearToken();
      return login(e.body.message ?? 'Sign in.');
    }
    main.replaceChildren(h('p', { class: 'error' }, `The server did not answer: ${String((e as Error).message)}`));
    return;
  }
  document.getElementById('who')!.textContent = `${viewer.name}${viewer.admin ? ' · administrator' : ' · view only'}`;
  const id = location.hash.slice(1);
  const section = SECTIONS.find((s) => s.id === id) ?? SECTIONS[0]!;
  tabs(section.id);
  const body = h('div', { class: 'body' });
  main.replaceChildren(h('h2', { id: 'section-title' }, section.title), body);
  main.setAttribute('aria-labelledby', 'section-title');
  main.dataset.section = section.id;
  try {
    const refresh = await section.render(body, viewer);
    main.dataset.ready = section.id;
    if (refresh) timer = window.setInterval(() => void refresh().catch(() => undefined), REFRESH_MS);
  } catch (e) {
    body.replaceChildren(h('p', { class: 'error' }, e instanceof ApiError ? `${e.body.message ?? e.message} ${e.body.suggestion ?? ''}` : String(e)));
  }
}

takeTokenFromFragment();
window.addEventListener('hashchange', () => void show());
void show();
