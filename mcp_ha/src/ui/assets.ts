// The page's built files (ui/build.ts writes them to dist/page), read once and served from memory.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  type: string;
}

const FILES: Record<string, string> = { 'index.html': 'text/html; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

/** dist/ui/assets.js finds dist/page next to it; src/ui/assets.ts (tsx, tests) the build's dist/page. */
function pageDir(): string | undefined {
  for (const rel of ['../page/', '../../dist/page/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

export function loadAssets(dir = pageDir()): Map<string, Asset> {
  const out = new Map<string, Asset>();
  if (!dir) return out;
  for (const [name, type] of Object.entries(FILES)) {
    try {
      out.set(name, { body: readFileSync(`${dir}${name}`), type });
    } catch {
      // a partial build: that file answers 503 like the rest
    }
  }
  return out;
}

/** The page's Content-Security-Policy: its own files only, no inline script, no other site. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
