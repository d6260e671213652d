import type { Ctx } from '../lib/context.js';

export async function runFaults(_ctx: Ctx): Promise<void> {}
