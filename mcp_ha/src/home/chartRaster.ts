// SVG to PNG with resvg compiled to WebAssembly: the same files on every arch of the image
// (amd64, aarch64, armv7, Alpine's musl), no compiler and no native binary. The wasm and the
// font (Inter, OFL) come from node_modules, read once; nothing is fetched at run time. Runs in
// the chart worker (chartPng.ts): a render holds its thread for tens of milliseconds.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Resvg, initWasm } from '@resvg/resvg-wasm';

const require = createRequire(import.meta.url);
const WASM = '@resvg/resvg-wasm/index_bg.wasm';
const FONT = '@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf';

let ready: Promise<Uint8Array> | undefined;

/** Loads the wasm and the font on the first chart; the font's bytes for every later one. */
function init(): Promise<Uint8Array> {
  ready ??= (async () => {
    const [wasm, font] = await Promise.all([readFile(require.resolve(WASM)), readFile(require.resolve(FONT))]);
    await initWasm(wasm);
    return new Uint8Array(font);
  })();
  return ready;
}

/** The SVG drawn at its own size as PNG bytes. */
export async function rasterize(svg: string): Promise<Uint8Array> {
  const font = await init();
  const resvg = new Resvg(svg, { font: { fontBuffers: [font], defaultFontFamily: 'Inter', loadSystemFonts: false }, fitTo: { mode: 'original' } });
  try {
    const image = resvg.render();
    const png = image.asPng();
    image.free();
    return png;
  } finally {
    resvg.free();
  }
}
