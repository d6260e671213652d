// Pieces every section draws with: cards, fact lists, admin-only buttons, error text.
import { ApiError } from './api.js';
import { h } from './dom.js';

export interface Viewer {
  via: 'ingress' | 'bearer';
  name: string;
  admin: boolean;
  reason: string | null;
}

export const card = (title: string, ...body: (Node | string | null)[]) => h('section', { class: 'card' }, h('h3', {}, title), ...body);
export const dl = (rows: [string, Node | string | number][]) => h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
export const errorText = (e: unknown) => (e instanceof ApiError ? `${e.body.message ?? e.message}${e.body.suggestion ? ` ${e.body.suggestion}` : ''}` : String(e));

/** A button that only an admin can use; others see why not. */
export function actButton(viewer: Viewer, label: string, onclick: () => void, extra: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...extra, onclick: viewer.admin ? onclick : null }, label);
  if (!viewer.admin) {
    b.disabled = true;
    b.title = viewer.reason ?? 'Administrators only';
  }
  return b;
}

export function viewOnly(viewer: Viewer): HTMLElement | null {
  return viewer.admin ? null : h('p', { class: 'notice' }, `View only: ${viewer.reason ?? 'administrators act here.'}`);
}
