// Our pages: the consent page shown after the Home Assistant login (who asks, where it sends
// you, how it registered, as which user, what it may do) and a plain error page.
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.4}button{padding:.6rem 1.2rem;margin-right:.5rem}.warn{color:#8a4b00}dt{font-weight:600;margin-top:.6rem}';

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

export interface ConsentView {
  tx: string;
  csrf: string;
  clientName: string;
  clientId: string;
  redirectHost: string;
  kind: 'dynamic' | 'metadata_document' | 'options';
  userName: string;
  abilities: string[];
}

const KIND_TEXT: Record<ConsentView['kind'], string> = {
  dynamic: 'registered itself moments ago (dynamic client registration): its name is not verified',
  metadata_document: 'identified by its metadata document at',
  options: 'listed in the add-on options',
};

export function consentPage(v: ConsentView): string {
  const how = v.kind === 'metadata_document' ? `${KIND_TEXT.metadata_document} <code>${escapeHtml(v.clientId)}</code>` : escapeHtml(KIND_TEXT[v.kind]);
  return layout(
    'Allow access to Home Assistant?',
    `<p><strong>${escapeHtml(v.clientName)}</strong> wants to use Home Assistant as <strong>${escapeHtml(v.userName)}</strong>.</p>
<dl>
<dt>Client</dt><dd>${escapeHtml(v.clientName)}: ${how}</dd>
<dt>After you answer, you go to</dt><dd><code>${escapeHtml(v.redirectHost)}</code></dd>
<dt>It will be able to</dt><dd><ul>${v.abilities.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul></dd>
</dl>
${v.kind === 'dynamic' ? '<p class="warn">Only allow this if you started the connection yourself just now.</p>\n' : ''}<form method="post" action="consent">
<input type="hidden" name="tx" value="${escapeHtml(v.tx)}">
<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p>You can withdraw this later in the add-on; Home Assistant's own permissions for ${escapeHtml(v.userName)} still apply.</p>`,
  );
}

export function errorPage(message: string, suggestion: string): string {
  return layout('Cannot sign in', `<p role="alert">${escapeHtml(message)}</p>\n<p>${escapeHtml(suggestion)}</p>`);
}
