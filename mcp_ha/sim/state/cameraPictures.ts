// Pictures for the simulated cameras: real JPEG (or PNG) bytes, a gradient in a colour of the
// camera's own with its name and a frame number written on it. Like Home Assistant's demo, each
// request gets the next of four frames. Which cameras are "off" (camera.turn_off: the state
// stays idle, the picture answers 503) is kept here per home.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export interface PictureSpec {
  width: number;
  height: number;
  format: 'jpeg' | 'png';
}

/** Sizes of the known cameras; any other camera gets 1280x720 JPEG. */
const SPECS: Record<string, PictureSpec> = {
  'camera.demo_camera': { width: 1280, height: 720, format: 'jpeg' },
  'camera.demo_camera_png': { width: 1024, height: 768, format: 'png' },
  'camera.demo_camera_without_stream': { width: 640, height: 480, format: 'jpeg' },
};

export function pictureSpec(entityId: string): PictureSpec {
  return SPECS[entityId] ?? { width: 1280, height: 720, format: entityId.endsWith('_png') ? 'png' : 'jpeg' };
}

/** Sets the size of a camera's pictures (generated homes: bigger ones). */
export function setPictureSpec(entityId: string, spec: PictureSpec): void {
  SPECS[entityId] = spec;
}

// A 3x5 pixel font: rows of 3 bits, top to bottom.
const FONT: Record<string, string> = {
  A: '010101111101101', B: '110101110101110', C: '011100100100011', D: '110101101101110', E: '111100110100111',
  F: '111100110100100', G: '011100101101011', H: '101101111101101', I: '111010010010111', J: '001001001101010',
  K: '101101110101101', L: '100100100100111', M: '101111111101101', N: '110101101101101', O: '010101101101010',
  P: '110101110100100', Q: '010101101110011', R: '110101110101101', S: '011100010001110', T: '111010010010010',
  U: '101101101101111', V: '101101101101010', W: '101101111111101', X: '101101010101101', Y: '101101010010010',
  Z: '111001010100111', 0: '111101101101111', 1: '010110010010111', 2: '110001010100111', 3: '110001010001110',
  4: '101101111001001', 5: '111100110001110', 6: '011100111101111', 7: '111001010010010', 8: '111101111101111',
  9: '111101111001110', '#': '101111101111101', ' ': '000000000000000',
};

function hue(entityId: string): [number, number, number] {
  let h = 0;
  for (let i = 0; i < entityId.length; i++) h = (h * 31 + entityId.charCodeAt(i)) >>> 0;
  const angle = (h % 360) / 60;
  const x = 1 - Math.abs((angle % 2) - 1);
  const [r, g, b] = angle < 1 ? [1, x, 0] : angle < 2 ? [x, 1, 0] : angle < 3 ? [0, 1, x] : angle < 4 ? [0, x, 1] : angle < 5 ? [x, 0, 1] : [1, 0, x];
  return [r * 255, g * 255, b * 255];
}

function drawText(rgba: Uint8Array, width: number, height: number, text: string, x0: number, y0: number, scale: number): void {
  let x = x0;
  for (const ch of text.toUpperCase()) {
    const glyph = FONT[ch] ?? FONT[' ']!;
    for (let gy = 0; gy < 5; gy++) {
      for (let gx = 0; gx < 3; gx++) {
        if (glyph[gy * 3 + gx] !== '1') continue;
        for (let py = 0; py < scale; py++) {
          const y = y0 + gy * scale + py;
          if (y >= height) continue;
          for (let px = 0; px < scale; px++) {
            const xx = x + gx * scale + px;
            if (xx >= width) continue;
            const o = (y * width + xx) * 4;
            rgba[o] = rgba[o + 1] = rgba[o + 2] = 255;
          }
        }
      }
    }
    x += 4 * scale;
  }
}

function render(entityId: string, name: string, frame: number, spec: PictureSpec): Buffer {
  const { width, height } = spec;
  const rgba = new Uint8Array(width * height * 4);
  const [r, g, b] = hue(entityId);
  const shift = frame / 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = ((x / width + y / height) / 2 + shift) % 1;
      const o = (y * width + x) * 4;
      rgba[o] = r * (0.25 + 0.6 * t);
      rgba[o + 1] = g * (0.25 + 0.6 * t);
      rgba[o + 2] = b * (0.25 + 0.6 * t);
      rgba[o + 3] = 255;
    }
  }
  const scale = Math.max(2, Math.floor(width / 160));
  drawText(rgba, width, height, name.replace(/[^a-z0-9 ]/gi, ' '), scale * 4, scale * 4, scale);
  drawText(rgba, width, height, `#${frame + 1}`, scale * 4, scale * 12, scale);
  if (spec.format === 'png') {
    const png = new PNG({ width, height });
    Buffer.from(rgba.buffer).copy(png.data);
    return PNG.sync.write(png);
  }
  return jpeg.encode({ width, height, data: rgba }, 85).data;
}

const cache = new Map<string, Buffer>();
const frames = new Map<string, number>();

/** The camera's next picture (four frames in turn), rendered once and kept. */
export function nextPicture(entityId: string, name: string): { bytes: Buffer; spec: PictureSpec } {
  const spec = pictureSpec(entityId);
  const frame = frames.get(entityId) ?? 0;
  frames.set(entityId, (frame + 1) % 4);
  const key = `${entityId}|${name}|${frame}|${spec.width}x${spec.height}|${spec.format}`;
  let bytes = cache.get(key);
  if (!bytes) {
    if (cache.size > 64) cache.clear();
    bytes = render(entityId, name, frame, spec);
    cache.set(key, bytes);
  }
  return { bytes, spec };
}

const off = new WeakMap<object, Set<string>>();

/** Cameras switched off with camera.turn_off, per home. */
export function camerasOff(home: object): Set<string> {
  let set = off.get(home);
  if (!set) off.set(home, (set = new Set()));
  return set;
}
