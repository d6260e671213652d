// Calls waiting for an admin on the add-on's page. A client that can neither elicit nor answer
// input_required gets its sensitive call held here (option page_approvals) instead of a
// confirm_token: ask() has the shape of an elicitation, so confirm.ts treats an approval like a
// human's yes in the client and a denial like a no, and its own timeout still applies.
import { randomBytes } from 'node:crypto';

/** Held calls are few (one per waiting client); past the cap a call falls back to a confirm_token. */
const MAX_PENDING = 100;
const MAX_DECISIONS = 20;
const MAX_ARGS_CHARS = 2000;
const MAX_QUESTION_CHARS = 500;

export interface ApprovalRequest {
  /** callerLabel() of the client's credential. */
  caller: string;
  tool: string;
  /** The tool's arguments, shown to the admin (cut at 2,000 characters). */
  arguments: Record<string, unknown>;
  /** The confirmation question, as the client's human would have been asked. */
  question: string;
}

export interface PendingApproval {
  id: string;
  caller: string;
  tool: string;
  arguments: string;
  question: string;
  created_at: string;
  expires_at: string;
}

export interface ApprovalDecision extends PendingApproval {
  decision: 'approved' | 'denied' | 'expired' | 'withdrawn';
  by: string | null;
  decided_at: string;
}

export interface Approvals {
  readonly enabled: boolean;
  /** Holds the call until an admin decides, the time runs out or the client goes away. */
  ask(req: ApprovalRequest, signal?: AbortSignal): Promise<'accept' | 'decline' | 'cancel'>;
  pending(): PendingApproval[];
  /** The latest decisions, newest first. */
  decisions(): ApprovalDecision[];
  /** Decides a waiting call; undefined when it is no longer waiting. */
  decide(id: string, approve: boolean, by: string): ApprovalDecision | undefined;
}

interface Waiting {
  entry: PendingApproval;
  settle(decision: ApprovalDecision['decision'], by: string | null): void;
}

export function createApprovals(opts: { enabled: boolean; timeoutMs: number; now?: () => number }): Approvals {
  const now = opts.now ?? (() => Date.now());
  const waiting = new Map<string, Waiting>();
  const decided: ApprovalDecision[] = [];

  return {
    enabled: opts.enabled,
    ask(req, signal) {
      // Thrown, not answered: confirm.ts then falls back to a confirm_token, as for a client whose elicitation failed.
      if (waiting.size >= MAX_PENDING) return Promise.reject(new Error('approval queue full'));
      if (signal?.aborted) return Promise.resolve('cancel');
      const t = now();
      let args = JSON.stringify(req.arguments);
      if (args.length > MAX_ARGS_CHARS) args = `${args.slice(0, MAX_ARGS_CHARS)}…`;
      const entry: PendingApproval = {
        id: randomBytes(9).toString('base64url'),
        caller: req.caller,
        tool: req.tool,
        arguments: args,
        question: req.question.slice(0, MAX_QUESTION_CHARS),
        created_at: new Date(t).toISOString(),
        expires_at: new Date(t + opts.timeoutMs).toISOString(),
      };
      return new Promise((resolve) => {
        // A moment past the deadline: confirm.ts's own timeout answers the client first (confirmation_expired).
        const timer = setTimeout(() => settle('expired', null), opts.timeoutMs + 1000);
        timer.unref();
        const onAbort = () => settle('withdrawn', null);
        signal?.addEventListener('abort', onAbort, { once: true });
        function settle(decision: ApprovalDecision['decision'], by: string | null): void {
          if (!waiting.delete(entry.id)) return;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          decided.unshift({ ...entry, decision, by, decided_at: new Date(now()).toISOString() });
          decided.length = Math.min(decided.length, MAX_DECISIONS);
          resolve(decision === 'approved' ? 'accept' : decision === 'denied' ? 'decline' : 'cancel');
        }
        waiting.set(entry.id, { entry, settle });
      });
    },
    pending: () => [...waiting.values()].map((w) => w.entry).filter((e) => Date.parse(e.expires_at) > now()),
    decisions: () => [...decided],
    decide(id, approve, by) {
      const w = waiting.get(id);
      if (!w || Date.parse(w.entry.expires_at) <= now()) return undefined;
      w.settle(approve ? 'approved' : 'denied', by);
      return decided[0];
    },
  };
}
