// Compares a simulator answer with a recorded Home Assistant answer: same keys (a recorded key
// that is missing fails), same JSON kinds, same key order, non-empty where the recording is.
// Values are not compared (states, ids and times differ between runs) except where the caller
// asks for exact values.

export type Problem = string;

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function compareShape(recorded: unknown, ours: unknown, path = '$', out: Problem[] = []): Problem[] {
  const rk = kind(recorded);
  const ok = kind(ours);
  // null stands for "no value right now" on either side (e.g. a light's brightness while off).
  if (rk === 'null' || ok === 'null') return out;
  // A compressed state's context is a bare id or an object depending on the data.
  if (path.endsWith('.c') && ['string', 'object'].includes(rk) && ['string', 'object'].includes(ok)) return out;
  if (rk !== ok) {
    out.push(`${path}: recorded ${rk}, got ${ok}`);
    return out;
  }
  if (rk === 'array') {
    const r = recorded as unknown[];
    const o = ours as unknown[];
    if (r.length > 0 && o.length === 0) out.push(`${path}: recorded ${r.length} items, got none`);
    if (r.length > 0 && o.length > 0) compareShape(r[0], o[0], `${path}[0]`, out);
    return out;
  }
  if (rk === 'object') {
    const r = recorded as Record<string, unknown>;
    const o = ours as Record<string, unknown>;
    const missing = Object.keys(r).filter((k) => !(k in o));
    if (missing.length) out.push(`${path}: missing ${missing.map((k) => JSON.stringify(k)).join(', ')}`);
    // Key order matters for byte-level compatibility; compare the common keys' order.
    const common = Object.keys(r).filter((k) => k in o);
    const ourOrder = Object.keys(o).filter((k) => k in r);
    if (common.join('\u0000') !== ourOrder.join('\u0000') && !looksLikeMap(r)) {
      out.push(`${path}: key order ${JSON.stringify(ourOrder)}, recorded ${JSON.stringify(common)}`);
    }
    for (const k of common) compareShape(r[k], o[k], `${path}.${k}`, out);
  }
  return out;
}

/** Objects keyed by entity ids, domains, dates... (their order depends on data, not protocol). */
function looksLikeMap(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length > 0 && keys.every((k) => k.includes('.') || /^\d+$/.test(k)) || keys.length > 12;
}
