// Creating an API key from the page: a random key added to the add-on's options through the
// Supervisor (GET then POST /addons/self/options), returned once and never stored by the page.
// The running server keeps its keys until the add-on restarts, as for any options change.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.js';

export const NewKeyBody = z.object({ name: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9 _.-]+$/, 'letters, digits, space, _ . - only') });

const Info = z.object({ result: z.literal('ok'), data: z.looseObject({ options: z.record(z.string(), z.unknown()) }) });

export async function createApiKey(supervisor: { url: string; token: string } | undefined, name: string): Promise<{ name: string; key: string }> {
  if (!supervisor) {
    throw new AppError('forbidden', 'API keys can be created here only inside Home Assistant (the Supervisor keeps the options).', 'Add a key to the api_keys in your options file and restart the server.');
  }
  const headers = { Authorization: `Bearer ${supervisor.token}`, 'Content-Type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${supervisor.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    } catch {
      throw new AppError('ha_unreachable', 'The Supervisor did not answer.', 'Try again in a moment.');
    }
    const text = await res.text();
    if (!res.ok) {
      const message = (() => {
        try {
          return String((JSON.parse(text) as { message?: unknown }).message ?? '').slice(0, 200);
        } catch {
          return '';
        }
      })();
      throw new AppError('ha_error', `The Supervisor refused ${method} ${path} (HTTP ${res.status}${message ? `: ${message}` : ''}).`, 'Check the add-on options in Home Assistant, then try again.');
    }
    return text;
  };
  const info = Info.safeParse(JSON.parse(await call('GET', '/addons/self/info')));
  if (!info.success) throw new AppError('ha_error', 'The Supervisor answered the add-on info in an unexpected form.', 'Try again; if it persists, add the key in the add-on options by hand.');
  const options = info.data.data.options;
  const keys = Array.isArray(options.api_keys) ? (options.api_keys as { name?: unknown }[]) : [];
  if (keys.some((k) => k.name === name)) throw new AppError('invalid_input', `An API key named ${name} exists already.`, 'Choose another name.', { statusCode: 409 });
  const key = `mcp-${randomBytes(24).toString('base64url')}`;
  await call('POST', '/addons/self/options', { options: { ...options, api_keys: [...keys, { name, key }] } });
  return { name, key };
}
