// MCP prompts and completions: prompts/list, prompts/get and completion/complete over the
// SDK-free prompt definitions (src/prompts) and completion values (src/home/complete.ts).
import type { Server } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { completeResource, type Completion } from '../home/complete.js';
import { completePromptArgument, getPrompt, listPrompts } from '../prompts/index.js';
import type { AppDeps } from '../tools/tool.js';
import { handle } from './handle.js';
import { asProtocolError } from './protocolError.js';

const ListPrompts = z.object({ method: z.literal('prompts/list'), params: z.looseObject({ cursor: z.string().max(100).optional() }).optional() });
const GetPrompt = z.object({
  method: z.literal('prompts/get'),
  params: z.looseObject({ name: z.string().max(256), arguments: z.record(z.string(), z.string().max(10_000)).optional() }),
});
const Complete = z.object({
  method: z.literal('completion/complete'),
  params: z.looseObject({
    ref: z.union([z.looseObject({ type: z.literal('ref/prompt'), name: z.string().max(256) }), z.looseObject({ type: z.literal('ref/resource'), uri: z.string().max(2048) })]),
    argument: z.looseObject({ name: z.string().max(256), value: z.string().max(10_000) }),
    context: z.looseObject({ arguments: z.record(z.string(), z.string().max(10_000)).optional() }).optional(),
  }),
});


export function registerPrompts(server: Server, deps: AppDeps): void {
  handle(server, 'prompts/list', ListPrompts, async () => ({ prompts: listPrompts() }));

  handle(server, 'prompts/get', GetPrompt, async (request) => {
    try {
      return { ...(await getPrompt(request.params.name, request.params.arguments, deps)) };
    } catch (err) {
      throw asProtocolError(err);
    }
  });

  handle(server, 'completion/complete', Complete, async (request) => {
    const { ref, argument, context } = request.params;
    let completion: Completion;
    try {
      completion =
        ref.type === 'ref/prompt'
          ? completePromptArgument(ref.name, argument.name, argument.value, context?.arguments, deps)
          : completeResource(deps.ha.cache, ref.uri, argument.name, argument.value, context?.arguments);
    } catch (err) {
      throw asProtocolError(err);
    }
    return { completion: { values: completion.values.slice(0, 100), total: completion.total, hasMore: completion.hasMore } };
  });
}
