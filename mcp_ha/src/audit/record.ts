// The audit record: one JSON line per event. A write that reaches Home Assistant is two lines
// with the same id: 'pending' (intent and before-state, written before the call, so a crash
// mid-call still leaves a trace) and then its outcome (after-state, duration). A write a crash
// cut off gets the outcome 'unknown' on the next start (recover.ts).
import { randomBytes } from 'node:crypto';
import type { HaState } from '../ha/schemas.js';

/** 'unknown': the service stopped between the call and Home Assistant's answer (see recover.ts). */
export type Outcome = 'pending' | 'success' | 'refused' | 'failed' | 'unknown';

export interface EntitySnapshot {
  state: string;
  attributes: Record<string, unknown>;
}

/**
 * A write that is not a service call changes one object (an automation, a script, a helper, a
 * registry entry...): its stored form before and after; null where it did not (or no longer) exist.
 */
export interface ObjectChange {
  kind: string;
  id: string;
  /** The entity the object has in Home Assistant, when known. */
  entity_id?: string;
  before: Record<string, unknown> | null;
  /** Absent on the pending line; on 'unknown', what was read at the next start. */
  after?: Record<string, unknown> | null;
}

export interface AuditRecord {
  v: 1;
  id: string;
  /** ISO time the request arrived. */
  ts: string;
  /** callerLabel(): API key name or Home Assistant user hash prefix, never a secret. */
  caller: string;
  session: string | null;
  tool: string;
  /** domain.service */
  service: string;
  target: Record<string, string[]> | null;
  /** Target entities as resolved at call time (areas, devices, labels expanded). */
  entities: string[];
  data: Record<string, unknown> | null;
  outcome: Outcome;
  error?: { code: string; message: string; rule?: string; option?: string };
  /** Milliseconds from request to outcome, without the time a human took to confirm. */
  duration_ms?: number;
  before?: Record<string, EntitySnapshot>;
  /** After the call; for 'unknown', the states read at the next start (at checked_at). */
  after?: Record<string, EntitySnapshot>;
  /** For 'unknown': when `after` was read. */
  checked_at?: string;
  /** Set on the restore calls of ha_undo: the ids of the actions they undo. */
  undo_of?: string[];
  confirmed_by?: 'elicitation' | 'token';
  /** Set on writes that are not service calls (the gate's executeCommand): the object changed. */
  change?: ObjectChange;
}

/** The second line of a write: merged over the pending line by id when read. It repeats
 * `entities` and `before` only when the call changed entities besides its targets. */
export type AuditUpdate = Pick<AuditRecord, 'id' | 'outcome'> & Partial<Pick<AuditRecord, 'error' | 'duration_ms' | 'after' | 'before' | 'entities' | 'checked_at' | 'change'>>;

/** Time-ordered, short, unique enough for one home: base36 milliseconds + 24 random bits. */
export function newAuditId(now = Date.now()): string {
  return now.toString(36) + randomBytes(3).toString('hex');
}

// Service fields that carry codes (lock.unlock, alarm_control_panel.*) and attributes that carry
// tokens (media_player entity_picture has ?token=) never reach the log.
const SECRET_FIELD = /(^code$|password|passcode|pin$|token|secret)/i;
const DROPPED_ATTRIBUTE = /(token|password|secret|^entity_picture$)/i;

export function redactData(data: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!data) return null;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '<redacted>' : v]));
}

/** redactData at every level, for stored objects (a script's service data may carry a password); bounded depth. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (depth > 40) return '<too deep>';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) && (typeof v === 'string' || typeof v === 'number') ? '<redacted>' : redactDeep(v, depth + 1)]));
  }
  return value;
}

export function snapshot(state: HaState | undefined): EntitySnapshot | undefined {
  if (!state) return undefined;
  const attributes = Object.fromEntries(Object.entries(state.attributes).filter(([k]) => !DROPPED_ATTRIBUTE.test(k)));
  return { state: state.state, attributes };
}
