// Lights: on/off/toggle with brightness, colour temperature and colour, keeping the other colour
// attributes consistent and remembering the last settings while off (as the demo lights do).
import { hsToRgb, kelvinToRgb, nameToRgb, rgbToHs, rgbToXy, xyToRgb } from './color.js';
import type { DomainBehaviour, EntityCall } from './types.js';

// Attributes a light reports only while on (None while off).
const ON_ONLY = ['effect', 'color_mode', 'brightness', 'color_temp_kelvin', 'color_temp', 'hs_color', 'rgb_color', 'xy_color', 'rgbw_color', 'rgbww_color'];

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function turnOn(c: EntityCall): void {
  const a = c.state.attributes;
  const d = c.data;
  const modes = (a.supported_color_modes as string[] | undefined) ?? ['onoff'];
  const wasOn = c.state.state === 'on';
  const next: Record<string, unknown> = {};
  if (!wasOn) {
    // Coming back on restores what the light had before it went off.
    for (const k of ON_ONLY) if (k in a && k in c.memory) next[k] = c.memory[k];
    if ('brightness' in a && next.brightness == null && !modes.includes('onoff')) next.brightness = 255;
  }
  let brightness = num(next.brightness) ?? num(a.brightness) ?? 255;
  if (num(d.brightness) !== undefined) brightness = num(d.brightness)!;
  if (num(d.brightness_pct) !== undefined) brightness = Math.round((num(d.brightness_pct)! * 255) / 100);
  if (num(d.brightness_step) !== undefined) brightness = Math.max(0, Math.min(255, brightness + num(d.brightness_step)!));
  if (num(d.brightness_step_pct) !== undefined) {
    brightness = Math.max(0, Math.min(255, brightness + Math.round((num(d.brightness_step_pct)! * 255) / 100)));
  }
  if (brightness === 0 && (d.brightness !== undefined || d.brightness_pct !== undefined || d.brightness_step !== undefined || d.brightness_step_pct !== undefined)) {
    // HA turns a light off when asked for brightness 0.
    turnOff(c);
    return;
  }
  const hasBrightness = 'brightness' in a && !modes.every((m) => m === 'onoff');
  if (hasBrightness) next.brightness = brightness;

  let rgb: [number, number, number] | undefined;
  let hs: [number, number] | undefined;
  let mode: string | undefined;
  const colorMode = modes.find((m) => ['hs', 'xy', 'rgb', 'rgbw', 'rgbww'].includes(m));
  if (Array.isArray(d.hs_color)) {
    hs = [Number(d.hs_color[0]), Number(d.hs_color[1])];
    rgb = hsToRgb(hs[0], hs[1]);
  } else if (Array.isArray(d.rgb_color)) {
    rgb = d.rgb_color.map(Number).slice(0, 3) as [number, number, number];
  } else if (Array.isArray(d.rgbw_color)) {
    rgb = d.rgbw_color.map(Number).slice(0, 3) as [number, number, number];
  } else if (Array.isArray(d.rgbww_color)) {
    rgb = d.rgbww_color.map(Number).slice(0, 3) as [number, number, number];
  } else if (Array.isArray(d.xy_color)) {
    rgb = xyToRgb(Number(d.xy_color[0]), Number(d.xy_color[1]));
  } else if (typeof d.color_name === 'string') {
    rgb = nameToRgb(d.color_name);
  }
  if (rgb && colorMode) {
    hs ??= rgbToHs(...rgb);
    mode = colorMode;
    next.hs_color = hs;
    next.rgb_color = rgb;
    next.xy_color = rgbToXy(...rgb);
    if ('rgbw_color' in a) next.rgbw_color = Array.isArray(d.rgbw_color) ? d.rgbw_color : [...rgb, 0];
    if ('rgbww_color' in a) next.rgbww_color = Array.isArray(d.rgbww_color) ? d.rgbww_color : [...rgb, 0, 0];
    if ('color_temp_kelvin' in a) next.color_temp_kelvin = null;
    if ('color_temp' in a) next.color_temp = null;
  }
  let kelvin = num(d.color_temp_kelvin) ?? num(d.kelvin);
  if (kelvin === undefined && num(d.color_temp) !== undefined) kelvin = Math.round(1_000_000 / num(d.color_temp)!);
  if (kelvin !== undefined && modes.includes('color_temp')) {
    const min = num(a.min_color_temp_kelvin) ?? 2000;
    const max = num(a.max_color_temp_kelvin) ?? 6535;
    kelvin = Math.max(min, Math.min(max, Math.round(kelvin)));
    const krgb = kelvinToRgb(kelvin);
    mode = 'color_temp';
    next.color_temp_kelvin = kelvin;
    next.color_temp = Math.floor(1_000_000 / kelvin);
    next.hs_color = rgbToHs(...krgb);
    next.rgb_color = krgb;
    next.xy_color = rgbToXy(...krgb);
  }
  if (mode) next.color_mode = mode;
  else if (!wasOn && 'color_mode' in a && next.color_mode == null) next.color_mode = modes[0] ?? 'onoff';
  if (typeof d.effect === 'string' && 'effect_list' in a) next.effect = d.effect;
  fillColour(a, next);
  c.update('on', next);
}

/** A light coming on for the first time gets the demo's defaults instead of null colours. */
function fillColour(a: Record<string, unknown>, next: Record<string, unknown>): void {
  const mode = next.color_mode ?? a.color_mode;
  const has = (k: string): boolean => (k in next ? next[k] : a[k]) != null;
  if (mode === 'color_temp' && 'color_temp_kelvin' in a && !has('color_temp_kelvin')) {
    const kelvin = 4166;
    const rgb = kelvinToRgb(kelvin);
    Object.assign(next, { color_temp_kelvin: kelvin, color_temp: 240, hs_color: rgbToHs(...rgb), rgb_color: rgb, xy_color: rgbToXy(...rgb) });
  } else if (mode && mode !== 'color_temp' && mode !== 'onoff' && mode !== 'brightness' && 'hs_color' in a && !has('hs_color')) {
    const rgb = hsToRgb(345, 75);
    Object.assign(next, { hs_color: [345, 75], rgb_color: rgb, xy_color: rgbToXy(...rgb) });
  }
}

function turnOff(c: EntityCall): void {
  const a = c.state.attributes;
  if (c.state.state === 'on') for (const k of ON_ONLY) if (k in a) c.memory[k] = a[k];
  const next: Record<string, unknown> = {};
  for (const k of ON_ONLY) if (k in a) next[k] = null;
  c.update('off', next);
}

export const light: DomainBehaviour = {
  entity: {
    turn_on: turnOn,
    turn_off: turnOff,
    toggle: (c) => (c.state.state === 'on' ? turnOff(c) : turnOn(c)),
  },
};
