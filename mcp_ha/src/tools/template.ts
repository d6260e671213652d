// ha_render_template: Home Assistant renders the Jinja template, with the caller's credentials.
import { z } from 'zod';
import { credentialsOf } from '../auth/caller.js';
import { jsonObjectArg } from './limits.js';
import { READ_ONLY, defineTool } from './tool.js';

export const renderTemplate = defineTool({
  name: 'ha_render_template',
  title: 'Render a template',
  description: 'Render a Home Assistant Jinja2 template, e.g. "{{ states(\'sensor.x\') }}", and return the text.',
  toolset: 'read',
  input: z.object({
    template: z.string().min(1).max(20_000).describe('Jinja2 template'),
    variables: jsonObjectArg('variables').optional().describe('Variables available in the template'),
  }),
  output: z.object({ result: z.string() }),
  annotations: { ...READ_ONLY, idempotentHint: false },
  async run(input, ctx) {
    return { result: await ctx.ha.renderTemplate(input.template, input.variables, credentialsOf(ctx.caller)) };
  },
});
