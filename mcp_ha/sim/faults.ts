// Fault switches tests use to make the simulated Home Assistant misbehave.

export class FaultState {
  latencyMs = 0;
  /** Status to answer REST requests with, and how many remain (Infinity = until cleared). */
  restFailure: { status: number; remaining: number } | null = null;

  /** Consumes one forced REST failure, if any. */
  takeRestFailure(): number | null {
    const f = this.restFailure;
    if (!f) return null;
    f.remaining--;
    if (f.remaining <= 0) this.restFailure = null;
    return f.status;
  }
}
