// What a test can tell of a PNG chart: its size, and whether anything is drawn on it.
import { PNG } from 'pngjs';

/** The grey level's variance (a blank picture has none), strongly coloured pixels (lines, bars, runs) and any not near white (bands too). */
export function pixelStats(png: Uint8Array): { width: number; height: number; variance: number; coloured: number; inked: number } {
  const img = PNG.sync.read(Buffer.from(png));
  let sum = 0;
  let sq = 0;
  let coloured = 0;
  let inked = 0;
  const n = img.width * img.height;
  for (let i = 0; i < img.data.length; i += 4) {
    const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
    const grey = (r + g + b) / 3;
    sum += grey;
    sq += grey * grey;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
    if (Math.min(r, g, b) < 235) inked++;
  }
  const mean = sum / n;
  return { width: img.width, height: img.height, variance: sq / n - mean * mean, coloured, inked };
}
