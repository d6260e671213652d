// Builds the add-on's page into dist/page (app.js bundled by esbuild, index.html and app.css
// copied); `npm run build` runs it after tsc, so the image and scripts/dev carry the page.
// Each file is written under a temporary name and renamed, so a server reading mid-build never
// sees half a file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

export async function buildPage(out = join(here, '..', 'dist', 'page')): Promise<void> {
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: [join(here, 'src', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    legalComments: 'none',
  });
  const put = (name: string, body: string | Uint8Array) => {
    const tmp = join(out, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, body);
    renameSync(tmp, join(out, name));
  };
  put('app.js', result.outputFiles[0]!.contents);
  put('app.css', readFileSync(join(here, 'app.css')));
  put('index.html', readFileSync(join(here, 'index.html')));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildPage();
