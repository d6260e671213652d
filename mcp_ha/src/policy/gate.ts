// The one path every write takes to Home Assistant. Policy, validation, confirmation and audit
// plug in here, so that no tool can write around them.
import type { HaClient, ServiceCall, ServiceCallResult } from '../ha/types.js';
import { credentialsOf, type Caller } from '../http/caller.js';

export interface WriteRequest {
  call: ServiceCall;
  caller: Caller;
  sessionId: string | undefined;
  tool: string;
  /** Token from an earlier answer that asked for confirmation. */
  confirmToken?: string | undefined;
}

export interface WriteOutcome extends ServiceCallResult {
  audit_id?: string | undefined;
}

export interface ServiceGate {
  execute(req: WriteRequest): Promise<WriteOutcome>;
}

/** The gate without policy: sends the call with the caller's credentials. */
export function directGate(ha: HaClient): ServiceGate {
  return {
    execute: (req) => ha.callService(req.call, credentialsOf(req.caller)),
  };
}
