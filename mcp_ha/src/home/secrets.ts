// Masks secrets in text Home Assistant hands us to show (its log, notifications, config check
// errors): bearer tokens and JWTs, key=value and "key": "value" pairs whose key names a secret,
// passwords in URLs, long hex keys, and any secret we know verbatim (the service's own token).
// What is masked becomes "***"; the rest of the line stays, so that the error still reads.

const SECRET_KEY = String.raw`(?:pass(?:word|wd|phrase)?|pwd|secret|client_secret|token|access_token|refresh_token|api[_-]?key|apikey|appid|app_key|auth(?:orization)?|private_key|key)`;

const PATTERNS: [RegExp, string][] = [
  // Authorization: Bearer <token>
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***'],
  // JWTs (Home Assistant's access and long-lived tokens)
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, '***'],
  // user:password@host in URLs
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, '$1:***@'],
  // "password": "x", 'token': 'x', password=x, api_key: x, ?appid=x&
  [new RegExp(String.raw`(["']?\b[\w-]*${SECRET_KEY}["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s&,;)}\]]+)`, 'gi'), '$1***'],
  // long hex keys (refresh tokens, API keys) that stand alone
  [/\b[0-9a-f]{40,}\b/gi, '***'],
];

/** `text` with every secret it shows replaced by "***". `known` are secrets to mask wherever they appear. */
export function maskSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const k of known) if (k.length >= 8) out = out.split(k).join('***');
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}
