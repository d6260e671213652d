// Colour conversions as homeassistant.util.color does them, so a light's hs/rgb/xy agree.

const r3 = (n: number): number => Math.round(n * 1000) / 1000;

export function hsToRgb(h: number, s: number): [number, number, number] {
  const hh = ((h % 360) + 360) % 360 / 60;
  const ss = s / 100;
  const i = Math.floor(hh);
  const f = hh - i;
  const p = 1 - ss;
  const q = 1 - ss * f;
  const t = 1 - ss * (1 - f);
  const table: [number, number, number][] = [[1, t, p], [q, 1, p], [p, 1, t], [p, q, 1], [t, p, 1], [1, p, q]];
  const [r, g, b] = table[i % 6]!;
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

export function rgbToHs(r: number, g: number, b: number): [number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let h = 0;
  if (d !== 0) {
    if (max === r) h = ((g - b) / d) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
  }
  h = (h * 60 + 360) % 360;
  const s = max === 0 ? 0 : (d / max) * 100;
  return [r3(h), r3(s)];
}

export function rgbToXy(r: number, g: number, b: number): [number, number] {
  if (r + g + b === 0) return [0, 0];
  const lin = (c: number): number => {
    const v = c / 255;
    return v > 0.04045 ? ((v + 0.055) / 1.055) ** 2.4 : v / 12.92;
  };
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const X = R * 0.664511 + G * 0.154324 + B * 0.162028;
  const Y = R * 0.283881 + G * 0.668433 + B * 0.047685;
  const Z = R * 0.000088 + G * 0.07231 + B * 0.986039;
  const sum = X + Y + Z;
  return [r3(X / sum), r3(Y / sum)];
}

export function xyToRgb(x: number, y: number): [number, number, number] {
  const Y = 1;
  const X = (Y / y) * x;
  const Z = (Y / y) * (1 - x - y);
  let r = X * 1.656492 - Y * 0.354851 - Z * 0.255038;
  let g = -X * 0.707196 + Y * 1.655397 + Z * 0.036152;
  let b = X * 0.051713 - Y * 0.121364 + Z * 1.01153;
  const gamma = (c: number): number => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
  [r, g, b] = [gamma(r), gamma(g), gamma(b)].map((c) => Math.max(0, c)) as [number, number, number];
  const m = Math.max(r, g, b, 1e-9);
  return [Math.round((r / m) * 255), Math.round((g / m) * 255), Math.round((b / m) * 255)];
}

/** Tanner Helland's approximation, as color_temperature_to_rgb. */
export function kelvinToRgb(kelvin: number): [number, number, number] {
  const t = Math.min(40000, Math.max(1000, kelvin)) / 100;
  const clamp = (v: number): number => Math.round(Math.min(255, Math.max(0, v)));
  const red = t <= 66 ? 255 : 329.698727446 * (t - 60) ** -0.1332047592;
  const green = t <= 66 ? 99.4708025861 * Math.log(t) - 161.1195681661 : 288.1221695283 * (t - 60) ** -0.0755148492;
  const blue = t >= 66 ? 255 : t <= 19 ? 0 : 138.5177312231 * Math.log(t - 10) - 305.0447927307;
  return [clamp(red), clamp(green), clamp(blue)];
}

// The handful of CSS colour names people actually use; others fall back to white.
const NAMES: Record<string, [number, number, number]> = {
  red: [255, 0, 0], green: [0, 128, 0], blue: [0, 0, 255], white: [255, 255, 255], yellow: [255, 255, 0],
  orange: [255, 165, 0], purple: [128, 0, 128], pink: [255, 192, 203], cyan: [0, 255, 255], magenta: [255, 0, 255],
  lime: [0, 255, 0], teal: [0, 128, 128], navy: [0, 0, 128], gold: [255, 215, 0], violet: [238, 130, 238],
  homeassistant: [24, 188, 242], warmwhite: [253, 245, 230], aqua: [0, 255, 255], brown: [165, 42, 42],
};

export function nameToRgb(name: string): [number, number, number] {
  return NAMES[name.toLowerCase()] ?? [255, 255, 255];
}
