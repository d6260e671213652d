// Every prompt the server offers, and the three things MCP asks of them: the list, one prompt
// rendered from string arguments, and completion values for an argument. Names are public API.
import { z } from 'zod';
import { AppError } from '../errors.js';
import { completeArgument, completeChoices, type Completion } from '../home/complete.js';
import { energyReport } from './energyReport.js';
import type { PromptArgument, PromptDef, PromptDeps, PromptResult } from './prompt.js';
import { troubleshootEntity } from './troubleshoot.js';
import { whatsOn } from './whatsOn.js';
import { writeAutomation } from './writeAutomation.js';

export type { PromptArgument, PromptDef, PromptDeps, PromptMessage, PromptResult } from './prompt.js';
export { MAX_PROMPT_BYTES } from './prompt.js';
export { ENERGY_PERIODS } from './energyReport.js';

export const PROMPTS: readonly PromptDef[] = [troubleshootEntity, writeAutomation, energyReport, whatsOn];

const byName = new Map(PROMPTS.map((p) => [p.name, p]));

export function promptByName(name: string): PromptDef | undefined {
  return byName.get(name);
}

/** What prompts/list shows of each prompt. */
export function listPrompts(): { name: string; title: string; description: string; arguments: PromptArgument[] }[] {
  return PROMPTS.map((p) => ({ name: p.name, title: p.title, description: p.description, arguments: p.arguments.map((a) => ({ ...a })) }));
}

function requirePrompt(name: string): PromptDef {
  const prompt = promptByName(name);
  if (!prompt) {
    throw new AppError('not_found', `No prompt "${String(name).slice(0, 100)}".`, `Prompts: ${PROMPTS.map((p) => p.name).join(', ')}.`, { details: { prompt: name } });
  }
  return prompt;
}

/** Arguments as MCP sends them (strings; "" for a blank optional one) checked against the prompt's schema. */
export function parsePromptArgs<I extends z.ZodObject>(prompt: PromptDef<I>, raw: Readonly<Record<string, unknown>> | undefined): z.infer<I> {
  const given: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw ?? {})) if (v !== '' && v !== undefined && v !== null) given[k] = v;
  const parsed = prompt.input.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  const usage = prompt.arguments.map((a) => `${a.name}${a.required ? ' (required)' : ''}: ${a.description}`).join('; ');
  throw new AppError('invalid_input', `Invalid arguments for prompt ${prompt.name}: ${where}${issue?.message ?? 'invalid'}.`, `Arguments: ${usage}.`, {
    details: { prompt: prompt.name, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

/**
 * prompts/get: the named prompt rendered with these arguments. Throws AppError: not_found for an
 * unknown prompt or area, entity_not_found (with the closest ids) for an unknown entity,
 * invalid_input for bad arguments, ha_unreachable before the home has loaded.
 */
export async function getPrompt(name: string, args: Readonly<Record<string, unknown>> | undefined, deps: PromptDeps): Promise<PromptResult> {
  const prompt = requirePrompt(name);
  return prompt.render(parsePromptArgs(prompt, args), deps);
}

/** The allowed values of an enum argument (through optional and default), if it is one. */
function enumOptions(schema: z.ZodType | undefined): string[] | undefined {
  let s: unknown = schema;
  for (let i = 0; i < 5 && s; i++) {
    if (s instanceof z.ZodEnum) return s.options.map(String);
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap();
    else return undefined;
  }
  return undefined;
}

/**
 * completion/complete for a prompt argument (ref/prompt): enum arguments from their values,
 * entity_id and area from the live home (entity_id filtered by an `area` among the request's
 * other arguments). Free text and a home not loaded yet give no values; an unknown prompt is
 * not_found.
 */
export function completePromptArgument(name: string, argument: string, value: string, context: Readonly<Record<string, string>> | undefined, deps: Pick<PromptDeps, 'ha'>): Completion {
  const prompt = requirePrompt(name);
  if (!prompt.arguments.some((a) => a.name === argument)) return { values: [], total: 0, hasMore: false };
  const options = enumOptions(prompt.input.shape[argument] as z.ZodType | undefined);
  if (options) return completeChoices(options, value);
  return completeArgument(deps.ha.cache, argument, value, context);
}
