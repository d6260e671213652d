// Pictures sized for a model: decode a JPEG or PNG, scale it down to a maximum edge, encode it as
// JPEG under a byte budget. Pure JavaScript (jpeg-js, pngjs), so it runs on every image arch
// (amd64, aarch64, armv7, Alpine's musl) without a compiler or a prebuilt binary.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { AppError } from '../errors.js';

/** Larger pictures are refused before decoding: 40 MP of RGBA is 160 MB. */
export const MAX_SOURCE_PIXELS = 40_000_000;

export interface FitOptions {
  /** Longest edge of the answer in pixels; smaller pictures keep their size. */
  maxEdge: number;
  /** JPEG quality to start from (1..100); lowered step by step until the picture fits maxBytes. */
  quality: number;
  maxBytes: number;
}

export interface FittedImage {
  data: Buffer;
  width: number;
  height: number;
  quality: number;
  source: { format: 'jpeg' | 'png'; width: number; height: number; bytes: number };
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

function unreadable(why: string): AppError {
  return new AppError('ha_error', `The camera's picture could not be read: ${why}.`, 'Try again; if it persists, check the camera in Home Assistant.');
}

function tooLarge(width: number, height: number): AppError {
  return unreadable(`${width}x${height} is more than ${MAX_SOURCE_PIXELS / 1_000_000} megapixels`);
}

export function formatOf(bytes: Uint8Array): 'jpeg' | 'png' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  return undefined;
}

function decode(bytes: Buffer): Rgba & { format: 'jpeg' | 'png' } {
  const format = formatOf(bytes);
  if (format === 'jpeg') {
    try {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_SOURCE_PIXELS / 1_000_000, maxMemoryUsageInMB: 256 });
      return { format, width: img.width, height: img.height, data: img.data };
    } catch (err) {
      throw unreadable(`not a valid JPEG (${String((err as Error).message ?? err).slice(0, 100)})`);
    }
  }
  if (format === 'png') {
    // The header says the size: check it before inflating anything.
    if (bytes.length < 24) throw unreadable('a truncated PNG');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    if (width * height > MAX_SOURCE_PIXELS) throw tooLarge(width, height);
    try {
      const png = PNG.sync.read(bytes);
      return { format, width: png.width, height: png.height, data: png.data };
    } catch (err) {
      throw unreadable(`not a valid PNG (${String((err as Error).message ?? err).slice(0, 100)})`);
    }
  }
  throw unreadable('it is neither JPEG nor PNG');
}

/**
 * Area-average downscaling: each target pixel is the mean of the source pixels it covers (with
 * fractional edges), which keeps detail without the aliasing of nearest-neighbour. Transparent
 * pixels are blended onto white, as a viewer would show them.
 */
export function downscale(src: Rgba, width: number, height: number): Rgba {
  if (width === src.width && height === src.height) return src;
  const out = new Uint8Array(width * height * 4);
  const sx = src.width / width;
  const sy = src.height / height;
  const acc = new Float64Array(width * 4);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let yy = Math.floor(y0); yy < Math.min(src.height, Math.ceil(y1)); yy++) {
      const wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
      const row = yy * src.width * 4;
      for (let x = 0; x < width; x++) {
        const x0 = x * sx;
        const x1 = x0 + sx;
        let r = 0, g = 0, b = 0;
        for (let xx = Math.floor(x0); xx < Math.min(src.width, Math.ceil(x1)); xx++) {
          const w = (Math.min(x1, xx + 1) - Math.max(x0, xx)) * wy;
          const i = row + xx * 4;
          const a = src.data[i + 3]! / 255;
          r += w * (src.data[i]! * a + 255 * (1 - a));
          g += w * (src.data[i + 1]! * a + 255 * (1 - a));
          b += w * (src.data[i + 2]! * a + 255 * (1 - a));
        }
        acc[x * 4] = acc[x * 4]! + r;
        acc[x * 4 + 1] = acc[x * 4 + 1]! + g;
        acc[x * 4 + 2] = acc[x * 4 + 2]! + b;
      }
    }
    const area = sx * sy;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[o] = Math.round(acc[x * 4]! / area);
      out[o + 1] = Math.round(acc[x * 4 + 1]! / area);
      out[o + 2] = Math.round(acc[x * 4 + 2]! / area);
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

/** The size that fits maxEdge, keeping the aspect ratio (never enlarged, at least 1 px). */
export function fitSize(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

const QUALITY_STEP = 15;
const MIN_QUALITY = 20;

/** The picture as a JPEG of at most maxEdge pixels a side and maxBytes bytes. */
export function fitImage(bytes: Buffer, opts: FitOptions): FittedImage {
  const img = decode(bytes);
  const size = fitSize(img.width, img.height, opts.maxEdge);
  let scaled = downscale(img, size.width, size.height);
  let quality = Math.min(100, Math.max(MIN_QUALITY, Math.round(opts.quality)));
  for (;;) {
    const data = jpeg.encode({ width: scaled.width, height: scaled.height, data: scaled.data }, quality).data;
    if (data.length <= opts.maxBytes) {
      return { data, width: scaled.width, height: scaled.height, quality, source: { format: img.format, width: img.width, height: img.height, bytes: bytes.length } };
    }
    if (quality > MIN_QUALITY) quality = Math.max(MIN_QUALITY, quality - QUALITY_STEP);
    else if (scaled.width > 64 && scaled.height > 64) {
      // Even the lowest quality is too large: a smaller picture then.
      const smaller = fitSize(scaled.width, scaled.height, Math.round(Math.max(scaled.width, scaled.height) * 0.75));
      scaled = downscale(scaled, smaller.width, smaller.height);
    } else throw unreadable(`it does not fit in ${opts.maxBytes} bytes`);
  }
}
