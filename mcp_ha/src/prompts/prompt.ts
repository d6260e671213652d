// What a prompt is (SDK-free; src/mcp adapts it to prompts/list and prompts/get): a name, a
// short description, string arguments with a zod schema, and render() that turns the live home
// into one user message. Rendered text stays under MAX_PROMPT_BYTES and names only tools this
// deployment offers.
import type { z } from 'zod';
import type { HaClient } from '../ha/types.js';
import { MAX_ENTITY_ID_LENGTH } from '../home/entityLookup.js';
import { toolsFor } from '../tools/registry.js';
import type { ToolDef, Toolset } from '../tools/tool.js';

/** The part of AppDeps a prompt needs (AppDeps fits). */
export interface PromptDeps {
  ha: HaClient;
  config: { toolsets: readonly Toolset[]; policy: { readOnly: boolean } };
}

export interface PromptArgument {
  name: string;
  description: string;
  required: boolean;
}

export interface PromptMessage {
  role: 'user';
  content: { type: 'text'; text: string };
}

export interface PromptResult {
  description?: string;
  messages: PromptMessage[];
}

export interface PromptDef<I extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  arguments: PromptArgument[];
  input: I;
  render(args: z.infer<I>, deps: PromptDeps): Promise<PromptResult>;
}

/** Keeps each prompt's render() argument type tied to its schema. */
export function definePrompt<I extends z.ZodObject>(def: PromptDef<I>): PromptDef<I> {
  return def;
}

/** Upper bound of one rendered prompt's text, in UTF-8 bytes. */
export const MAX_PROMPT_BYTES = 8192;
/** Longest free-text argument (a goal), in characters. */
export const MAX_TEXT_ARG = 2000;
/** Longest entity id Home Assistant accepts (255). */
export const MAX_ENTITY_ID = MAX_ENTITY_ID_LENGTH;
/** Longest area reference (id or name), as the tools' name arguments. */
export const MAX_AREA_ARG = 255;

export const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Lines under a byte budget: add() refuses a line that does not fit. */
export class TextBudget {
  private readonly lines: string[] = [];
  private used = 0;

  constructor(private readonly budget: number) {}

  get remaining(): number {
    return this.budget - this.used;
  }

  add(line: string): boolean {
    const size = bytes(line) + 1;
    if (size > this.remaining) return false;
    this.lines.push(line);
    this.used += size;
    return true;
  }

  /**
   * Adds up to `max` rows while they fit, keeping `reserve` bytes for what follows; when some
   * are left out, a last line says how many and how to get them (`more(n)`). Returns how many
   * rows went in.
   */
  addRows(rows: readonly string[], more: (left: number) => string, opts: { reserve?: number; max?: number } = {}): number {
    const reserve = opts.reserve ?? 0;
    const max = Math.min(opts.max ?? rows.length, rows.length);
    let shown = 0;
    for (const row of rows.slice(0, max)) {
      const left = rows.length - shown - 1;
      const tail = left ? bytes(more(left)) + 1 : 0;
      if (bytes(row) + 1 + tail + reserve > this.remaining) break;
      this.add(row);
      shown++;
    }
    if (shown < rows.length) this.add(more(rows.length - shown));
    return shown;
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** Cuts a string to `max` characters, marking the cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Cuts a string to at most `max` UTF-8 bytes (on a character boundary), marking the cut. */
export function clipBytes(s: string, max: number): string {
  if (bytes(s) <= max) return s;
  let out = '';
  let size = bytes('…');
  for (const ch of s) {
    const b = bytes(ch);
    if (size + b > max) break;
    out += ch;
    size += b;
  }
  return `${out}…`;
}

/** The tools this deployment offers (its toolsets), and whether writes can happen at all. */
export interface ToolView {
  has(tool: ToolDef | string): boolean;
  canWrite: boolean;
}

export function toolView(deps: PromptDeps): ToolView {
  const names = new Set(toolsFor(deps.config.toolsets).map((t) => t.name));
  const has = (tool: ToolDef | string): boolean => names.has(typeof tool === 'string' ? tool : tool.name);
  return { has, canWrite: has('ha_call_service') && !deps.config.policy.readOnly };
}

/** "- tool: why" lines for the tools this deployment offers, in the order given. */
export function toolLines(view: ToolView, steps: readonly (readonly [ToolDef, string])[]): string[] {
  return steps.filter(([t]) => view.has(t)).map(([t, why]) => `- ${t.name}: ${why}`);
}

export function userMessage(text: string, description?: string): PromptResult {
  const result: PromptResult = { messages: [{ role: 'user', content: { type: 'text', text } }] };
  if (description) result.description = description;
  return result;
}

/** "3 min", "2 h 5 min", "4 days": how long ago an ISO time was, for a model that has no clock. */
export function ago(iso: string | undefined, now = Date.now()): string | undefined {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return undefined;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.round(h / 24)} days`;
}
