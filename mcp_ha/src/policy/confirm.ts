// Confirmation of sensitive calls. With MCP elicitation the client asks its human directly;
// otherwise the first call returns a token that a second, identical call must present in time.
// Tokens are random, bound to the caller and to a hash of the exact call, and single use.
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ServiceCall } from '../ha/types.js';

/** Pending tokens are few (one per unconfirmed sensitive call); the cap bounds memory if a client loops. */
const MAX_PENDING = 1000;

export type Elicit = (message: string) => Promise<'accept' | 'decline' | 'cancel'>;

/** Canonical JSON (sorted keys), so the same call always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function callHash(call: ServiceCall): string {
  return createHash('sha256').update(canonical(call)).digest('hex');
}

interface Pending {
  caller: string;
  hash: string;
  expiresAt: number;
}

export interface ConfirmRequest {
  call: ServiceCall;
  caller: string;
  reason: string;
  option?: string | undefined;
  token: string | undefined;
  elicit: Elicit | undefined;
}

export interface Confirmations {
  /** Resolves with how the call was confirmed, or throws confirmation_required / confirmation_invalid. */
  confirm(req: ConfirmRequest): Promise<'elicitation' | 'token'>;
}

export function createConfirmations(timeoutMs: number, now: () => number = () => Date.now()): Confirmations {
  const pending = new Map<string, Pending>();

  function prune(): void {
    const t = now();
    for (const [token, p] of pending) if (p.expiresAt <= t) pending.delete(token);
    while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
  }

  /** What the human is asked, the same by elicitation and by an input_required round. */
  function question(req: ConfirmRequest): string {
    const targets = Object.values(req.call.target ?? {}).flat().join(', ') || 'no target';
    return `Allow the AI to call ${req.call.domain}.${req.call.service} on ${targets}? (${req.reason})`;
  }

  function required(req: ConfirmRequest): AppError {
    const { call, caller, reason, option } = req;
    prune();
    const token = randomBytes(18).toString('base64url');
    const expiresAt = now() + timeoutMs;
    pending.set(token, { caller, hash: callHash(call), expiresAt });
    const service = `${call.domain}.${call.service}`;
    return new AppError(
      'confirmation_required',
      `${service} needs the user's confirmation: ${reason}.`,
      `Ask the user whether to go ahead. If they say yes, call again with exactly the same arguments plus confirm_token within ${Math.round(timeoutMs / 1000)} s.` +
        (option ? ` (The user can stop these questions in the add-on option ${option}.)` : ''),
      {
        details: {
          rule: 'confirmation',
          ...(option ? { option } : {}),
          reason,
          confirm_token: token,
          expires_at: new Date(expiresAt).toISOString(),
          question: question(req),
        },
      },
    );
  }

  function invalid(message: string, suggestion: string, rule: string): AppError {
    return new AppError('confirmation_invalid', message, suggestion, { details: { rule } });
  }

  async function viaElicitation(req: ConfirmRequest, elicit: Elicit): Promise<'accept' | 'decline' | 'cancel' | 'timeout'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      return await Promise.race([elicit(question(req)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async confirm(req) {
      if (req.token !== undefined) {
        const p = pending.get(req.token);
        if (!p || p.caller !== req.caller) {
          throw invalid('The confirm_token is unknown or was already used.', 'Call again without confirm_token to get a new one.', 'confirmation_unknown');
        }
        if (p.expiresAt <= now()) {
          pending.delete(req.token);
          throw invalid('The confirm_token has expired.', 'Ask the user again, then call without confirm_token to get a new token.', 'confirmation_expired');
        }
        if (p.hash !== callHash(req.call)) {
          throw invalid('The confirm_token was issued for a different call.', 'Repeat the confirmed call with exactly the same arguments, or call without confirm_token to confirm this one.', 'confirmation_mismatch');
        }
        pending.delete(req.token);
        return 'token';
      }
      if (req.elicit) {
        // The SDK rejects with RequestTimeout (-32001) when the human does not answer in its time.
        const answer = await viaElicitation(req, req.elicit).catch((err: unknown) =>
          (err as { code?: unknown }).code === -32001 ? ('timeout' as const) : ('unsupported' as const),
        );
        if (answer === 'accept') return 'elicitation';
        if (answer === 'decline' || answer === 'cancel') {
          throw invalid(`The user declined ${req.call.domain}.${req.call.service}.`, 'Do not retry unless the user asks for it again.', 'confirmation_declined');
        }
        if (answer === 'timeout') {
          throw invalid('The user did not answer the confirmation in time.', 'Ask the user, then call again.', 'confirmation_expired');
        }
        // The client advertised elicitation but could not do it: fall back to a token.
      }
      throw required(req);
    },
  };
}
