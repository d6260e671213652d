// Confirmation on protocol 2026-07-28, which has no server-to-client requests: a sensitive call
// answers input_required (an elicitation the client shows its human) with the gate's single-use
// confirm_token sealed in requestState; the client's retry carries the human's answer, and a yes
// replays the call with that token. The gate still checks the token against caller and call.
import { randomBytes } from 'node:crypto';
import { acceptedContent, createRequestStateCodec, inputRequired, inputResponse, type CallToolResult, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { errorResult } from './toolResult.js';

interface ConfirmState {
  tool: string;
  token: string;
}

/** One key per process: every round of a flow is served by this process. */
export const REQUEST_STATE = createRequestStateCodec<ConfirmState>({
  key: randomBytes(32),
  ttlSeconds: 600,
  bind: (ctx) => `${ctx.mcpReq.method}\0${(ctx.http?.authInfo?.clientId as string | undefined) ?? ''}`,
});

const Answer = z.object({ confirm: z.boolean() });

export interface ConfirmationRound {
  /** Runs the tool; a confirmation_required answer becomes input_required, a confirmed retry replays with the token. */
  run(input: Record<string, unknown>, exec: (input: Record<string, unknown>, confirmedByUser: boolean) => Promise<CallToolResult>): Promise<CallToolResult>;
}

function confirmTokenOf(result: CallToolResult): { token: string; message: string } | undefined {
  if (!result.isError) return undefined;
  const part = result.content?.[0];
  if (!part || part.type !== 'text') return undefined;
  try {
    const body = JSON.parse(part.text) as { error?: string; message?: string; details?: { confirm_token?: unknown; question?: unknown } };
    if (body.error !== 'confirmation_required' || typeof body.details?.confirm_token !== 'string') return undefined;
    const question = typeof body.details.question === 'string' ? body.details.question : `${body.message ?? 'Confirm this action.'} Allow the AI to go ahead?`;
    return { token: body.details.confirm_token, message: question };
  } catch {
    return undefined;
  }
}

export function confirmationRound(ctx: ServerContext, tool: string): ConfirmationRound {
  return {
    async run(input, exec) {
      const state = ctx.mcpReq.requestState<ConfirmState>();
      if (state !== undefined && typeof state === 'object' && state.tool === tool) {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
        const accepted = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', Answer);
        if (answer.kind === 'elicit' && answer.action === 'accept' && accepted?.confirm === true) {
          return exec({ ...input, confirm_token: state.token }, true);
        }
        return errorResult(new AppError('confirmation_invalid', `The user declined ${tool}.`, 'Do not retry unless the user asks for it again.', { details: { rule: 'confirmation_declined' } }));
      }
      const first = await exec(input, false);
      const needed = confirmTokenOf(first);
      if (!needed) return first;
      const requestState = await REQUEST_STATE.mint({ tool, token: needed.token }, ctx);
      return inputRequired({
        inputRequests: {
          confirm: inputRequired.elicit({
            message: needed.message,
            requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Confirm' } }, required: ['confirm'] },
          }),
        },
        requestState,
      }) as unknown as CallToolResult;
    },
  };
}
