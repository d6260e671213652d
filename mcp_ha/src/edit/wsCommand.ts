// One WebSocket command whose answer is checked with a zod schema: an answer of another shape is
// an ha_error (Home Assistant changed), never a half-read object passed on.
import type { z } from 'zod';
import { AppError } from '../errors.js';
import type { HaClient } from '../ha/types.js';

export async function wsCommand<S extends z.ZodType>(ha: HaClient, msg: Record<string, unknown>, schema: S): Promise<z.infer<S>> {
  const raw = await ha.command(msg);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('ha_error', `Home Assistant answered ${String(msg.type)} in an unexpected form.`, 'Check that Home Assistant is 2024.1 or newer; report this if it is.', {
      details: { issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  return parsed.data;
}
