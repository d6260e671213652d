// What a REST handler gets: the parsed request and the running home.
import type { SimUser } from '../auth.js';
import type { SimHome } from '../state/home.js';
import type { Recorder } from '../state/recorder.js';

export interface RestRequest {
  method: string;
  path: string;
  /** Path parameters captured by the route. */
  params: string[];
  query: URLSearchParams;
  /** Raw body text ('' when none was sent). */
  body: string;
  user: SimUser;
  home: SimHome;
  recorder: Recorder;
}

/** Parses a JSON body like aiohttp's request.json(): '' is an error too. */
export function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
