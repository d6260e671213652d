#!/usr/bin/env node
// Draws the add-on's icon.png (128x128) and the picture part of logo.png (250x100) as PNGs with
// nothing but zlib: a house in Home Assistant blue whose inside is a small graph of connected
// nodes (a model talking to devices). The PNGs are committed; run this only to change them.
// Usage: scripts/make-icon.mjs OUT_DIR   (writes OUT_DIR/icon.png and OUT_DIR/logo-mark.png)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Signed distances (negative inside) in a unit square, y down.
const sdRoundBox = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const sdCircle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const sdSegment = (x, y, ax, ay, bx, by, r) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const h = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * h, py - dy * h) - r;
};

const BLUE = [3, 169, 244];
const DARK = [2, 119, 189];
const WHITE = [255, 255, 255];
const NODES = [
  [0.5, 0.56],
  [0.36, 0.7],
  [0.64, 0.7],
];

/** The colour of the mark at (x, y) in [0,1]^2, as [r, g, b, a]. */
function mark(x, y) {
  const bg = sdRoundBox(x, y, 0.5, 0.5, 0.47, 0.47, 0.2);
  if (bg > 0) return [0, 0, 0, 0];
  // Vertical gradient from Home Assistant blue to a darker blue.
  const base = BLUE.map((c, i) => Math.round(c + (DARK[i] - c) * y));
  // The house: roof strokes and walls, drawn as thick lines.
  const stroke = 0.045;
  const house = Math.min(
    sdSegment(x, y, 0.2, 0.47, 0.5, 0.22, stroke),
    sdSegment(x, y, 0.5, 0.22, 0.8, 0.47, stroke),
    sdSegment(x, y, 0.28, 0.42, 0.28, 0.8, stroke),
    sdSegment(x, y, 0.72, 0.42, 0.72, 0.8, stroke),
    sdSegment(x, y, 0.28, 0.8, 0.72, 0.8, stroke),
  );
  const links = Math.min(
    sdSegment(x, y, ...NODES[0], ...NODES[1], 0.018),
    sdSegment(x, y, ...NODES[0], ...NODES[2], 0.018),
    sdSegment(x, y, ...NODES[1], ...NODES[2], 0.018),
  );
  const nodes = Math.min(...NODES.map(([cx, cy]) => sdCircle(x, y, cx, cy, 0.055)));
  const white = Math.min(house, links, nodes);
  return white <= 0 ? [...WHITE, 255] : [...base, 255];
}

/** Renders the mark at size w x h (4x4 supersampling), placed in a square of side h at left. */
function render(w, h, side) {
  const out = Buffer.alloc(w * h * 4);
  const S = 4;
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const [r, g, b, a] = mark((px + (sx + 0.5) / S) / side, (py + (sy + 0.5) / S) / side);
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      }
      const o = (py * w + px) * 4;
      const alpha = acc[3] / (S * S);
      for (let i = 0; i < 3; i++) out[o + i] = acc[3] ? Math.round(acc[i] / acc[3]) : 0;
      out[o + 3] = Math.round(alpha);
    }
  }
  return out;
}

const dir = process.argv[2] ?? '.';
writeFileSync(join(dir, 'icon.png'), png(128, 128, render(128, 128, 128)));
writeFileSync(join(dir, 'logo-mark.png'), png(100, 100, render(100, 100, 100)));
console.log(`wrote ${join(dir, 'icon.png')} and ${join(dir, 'logo-mark.png')}`);
