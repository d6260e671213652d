// A tiny element builder: h('p', {class: 'x'}, 'text', child). Text is always set as text, never HTML.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return el;
}

export function toast(text: string): void {
  const t = document.getElementById('toast');
  if (!t) return;
  t.textContent = text;
  t.hidden = false;
  window.clearTimeout((t as unknown as { timer?: number }).timer);
  (t as unknown as { timer?: number }).timer = window.setTimeout(() => (t.hidden = true), 4000);
}

export async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied.');
  } catch {
    toast('Copy failed: select the text and copy it by hand.');
  }
}

export const json = (v: unknown): string => JSON.stringify(v, null, 2);

/** Preformatted text; focusable, since it may scroll sideways and the keyboard must reach it. */
export function pre(text: string, label: string): HTMLElement {
  return h('pre', { tabindex: 0, 'aria-label': label }, h('code', {}, text));
}

export function rawJson(label: string, value: unknown): HTMLElement {
  return h('details', { class: 'raw' }, h('summary', {}, label), pre(json(value), label));
}

/** A table that scrolls sideways on a phone; focusable so the keyboard can scroll it too. */
export function scroller(label: string, table: HTMLTableElement): HTMLElement {
  return h('div', { class: 'scroll', role: 'region', 'aria-label': label, tabindex: 0 }, table);
}

export function badge(ok: boolean, okText: string, badText: string): HTMLElement {
  return h('span', { class: `badge ${ok ? 'ok' : 'bad'}` }, h('span', { 'aria-hidden': 'true' }, ok ? '✓ ' : '✗ '), ok ? okText : badText);
}

export function ago(iso: string | null): string {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}
