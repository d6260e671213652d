// The version a model passes back with a write: a short hash of the object's stored form, so a
// write can tell whether someone changed the object (in the UI, by hand) since it was read.
import { subjectHash } from '../policy/confirm.js';
import type { StoredObject } from '../policy/gate.js';

/** 12 hex characters of the canonical (sorted-keys) JSON hash; "none" when the object does not exist. */
export function versionOf(obj: StoredObject): string {
  return obj === null ? 'none' : subjectHash(obj).slice(0, 12);
}
