// What the runner had in flight when: so that a /health stall names its likely cause.
export interface Activity {
  label: string;
  start: number;
  end?: number;
  /** Sends the same request again (to confirm that it, not the machine, stalled the server). */
  replay?: () => Promise<unknown>;
}

const KEEP = 50_000;
const now = () => performance.timeOrigin + performance.now();

class ActivityLog {
  private items: Activity[] = [];

  /** Records the start of something; call the returned function when it ends. */
  begin(label: string, replay?: () => Promise<unknown>): () => void {
    const a: Activity = { label, start: now(), ...(replay ? { replay } : {}) };
    this.items.push(a);
    if (this.items.length > KEEP) this.items = this.items.slice(-KEEP / 2);
    return () => {
      a.end = now();
    };
  }

  async track<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const end = this.begin(label);
    try {
      return await fn();
    } finally {
      end();
    }
  }

  /** The longest `n` things in flight during [from, to]. */
  overlapping(from: number, to: number, n = 3): Activity[] {
    return this.items
      .filter((a) => a.start <= to && (a.end ?? Infinity) >= from)
      .sort((a, b) => (b.end ?? now()) - b.start - ((a.end ?? now()) - a.start))
      .slice(0, n);
  }
}

export const activity = new ActivityLog();

/** A short printable form of a value for labels and reports (huge strings summarised). */
export function brief(value: unknown, max = 160): string {
  let s: string;
  try {
    s = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 24)}…(${v.length} chars)` : v));
  } catch {
    s = '(too deep to print)';
  }
  if (s === undefined) s = String(value);
  return s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s;
}
