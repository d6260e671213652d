// Bounds on tool arguments, so that no input can make a call slow for everyone: each string has a
// maximum length taken from what Home Assistant itself allows (homeassistant/const.py:
// MAX_LENGTH_STATE_ENTITY_ID = 255, MAX_LENGTH_STATE_DOMAIN = 64, MAX_LENGTH_STATE_STATE = 255).
// A bad argument fails in the tool's zod schema, before any work, as invalid_input naming the field.
import { z } from 'zod';
import { MAX_ENTITY_ID_LENGTH } from '../home/entityLookup.js';

/** Home Assistant's MAX_LENGTH_STATE_ENTITY_ID. */
export const MAX_ENTITY_ID = MAX_ENTITY_ID_LENGTH;
/** Home Assistant's MAX_LENGTH_STATE_DOMAIN. */
export const MAX_DOMAIN = 64;
/** Service names, registry ids and names, states, device classes, labels of callers: Home
 * Assistant has no tighter limit for these than its 255 for states and entity ids. */
export const MAX_NAME = 255;

const tooLong = (max: number, what: string): string => `at most ${max} characters (${what})`;

/** An entity_id: Home Assistant allows 255 characters. */
export const entityIdArg = (): z.ZodString => z.string().min(1).max(MAX_ENTITY_ID, tooLong(MAX_ENTITY_ID, "Home Assistant's limit for an entity_id"));

/** A domain such as "light": Home Assistant allows 64 characters. */
export const domainArg = (): z.ZodString =>
  z.string().regex(/^[a-z0-9_]+$/).max(MAX_DOMAIN, tooLong(MAX_DOMAIN, "Home Assistant's limit for a domain"));

/** A service name such as "turn_on". */
export const serviceArg = (): z.ZodString => z.string().regex(/^[a-z0-9_]+$/).max(MAX_NAME, tooLong(MAX_NAME, 'longer is no service name'));

/** Any other short text: an area, floor, label or device id or name, a state, a device class. */
export const nameArg = (): z.ZodString => z.string().max(MAX_NAME, tooLong(MAX_NAME, 'longer is no Home Assistant id, name or state'));
