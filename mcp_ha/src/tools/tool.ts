// What a tool is: a name (public API), a zod input and output schema, annotations, and run().
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AuditLog } from '../audit/log.js';
import type { Config, Toolset } from '../config/schema.js';
import type { HaClient } from '../ha/types.js';
import type { Caller } from '../auth/caller.js';
import type { Approvals } from '../policy/approvals.js';
import type { ServiceGate } from '../policy/gate.js';

export type { Toolset } from '../config/schema.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Everything the service shares with tools; built once at start-up. */
export interface AppDeps {
  config: Config;
  ha: HaClient;
  gate: ServiceGate;
  audit: AuditLog;
  logger: Logger;
  /** Calls held for an admin on the add-on's page (page_approvals). */
  approvals?: Approvals | undefined;
}

/** One tool call's view: shared deps plus who is calling, in which session. */
export interface ToolContext extends AppDeps {
  caller: Caller;
  sessionId: string | undefined;
  signal: AbortSignal;
  /** Asks the human through the client (MCP elicitation); undefined when the client cannot. */
  elicit?: ((message: string) => Promise<'accept' | 'decline' | 'cancel'>) | undefined;
  /** Reports how far a long call is, when the client asked for progress (a progressToken); absent otherwise. */
  progress?: ((done: number, total: number, message: string) => void) | undefined;
  /** Set when the human confirmed this call's confirm_token in the client (an input_required round). */
  confirmedByUser?: boolean | undefined;
}

export interface ToolDef<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  toolset: Toolset;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run(input: z.infer<I>, ctx: ToolContext): Promise<WithImages<z.infer<O>>>;
}

/** A picture a tool returns beside its structured answer; src/mcp/toolResult.ts makes it MCP image content. */
export interface ToolImage {
  /** The encoded image (not base64). */
  data: Uint8Array;
  mimeType: 'image/jpeg' | 'image/png';
}

/**
 * A tool's answer, optionally with `images`: they go out as image content blocks after the JSON
 * text, never into structuredContent (the output schema describes the rest).
 */
export type WithImages<T> = T & { images?: readonly ToolImage[] };

/** Keeps each tool's input and output types tied to its schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}

export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
