import type { Ctx } from '../lib/context.js';

export async function runFuzz(_ctx: Ctx): Promise<void> {}
