// Confirmation of sensitive calls. With MCP elicitation the client asks its human directly;
// otherwise the first call returns a token that a second, identical call must present in time.
// Tokens are random, bound to the caller and to a hash of the exact call, and single use.
// What is confirmed is a subject: a service call, or any other write (a config edit) named by
// a pseudo-service, with its own hash and question.
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
  return subjectHash(call);
}

/** The hash a confirmation is bound to: of any JSON value, keys sorted. */
export function subjectHash(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

/** What is confirmed, when it is not a service call: e.g. {name: "config.automation_delete", hash, question}. */
export interface ConfirmSubject {
  /** The pseudo-service naming the write, used in messages. */
  name: string;
  /** subjectHash() of everything the write does; a token only confirms a write with the same hash. */
  hash: string;
  /** What the human is asked. */
  question: string;
}

interface Pending {
  caller: string;
  hash: string;
  expiresAt: number;
}

export interface ConfirmRequest {
  /** A service call, or else `subject`. */
  call?: ServiceCall | undefined;
  subject?: ConfirmSubject | undefined;
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

  /** A service call as a subject: its question is the same by elicitation and by an input_required round. */
  function subjectOf(req: ConfirmRequest): ConfirmSubject {
    if (req.subject) return req.subject;
    const call = req.call as ServiceCall;
    const targets = Object.values(call.target ?? {}).flat().join(', ') || 'no target';
    const name = `${call.domain}.${call.service}`;
    return { name, hash: callHash(call), question: `Allow the AI to call ${name} on ${targets}? (${req.reason})` };
  }

  function question(req: ConfirmRequest): string {
    return subjectOf(req).question;
  }

  function required(req: ConfirmRequest): AppError {
    const { caller, reason, option } = req;
    const subject = subjectOf(req);
    prune();
    const token = randomBytes(18).toString('base64url');
    const expiresAt = now() + timeoutMs;
    pending.set(token, { caller, hash: subject.hash, expiresAt });
    const service = subject.name;
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
          question: subject.question,
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
        if (p.hash !== subjectOf(req).hash) {
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
          throw invalid(`The user declined ${subjectOf(req).name}.`, 'Do not retry unless the user asks for it again.', 'confirmation_declined');
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
