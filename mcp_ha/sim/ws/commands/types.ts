import type { WsConnection } from '../connection.js';
import type { Schema } from '../schema.js';

export interface Command {
  schema?: Schema;
  adminOnly?: boolean;
  /** The handler validates the whole message itself (storage collections: several errors at once). */
  ownValidation?: boolean;
  handler(conn: WsConnection, id: number, msg: Record<string, unknown>): void;
}

export type CommandTable = Record<string, Command>;
