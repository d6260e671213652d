import type { Ctx } from '../lib/context.js';

export async function runCrash(_ctx: Ctx): Promise<void> {}
