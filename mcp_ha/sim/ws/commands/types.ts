import type { WsConnection } from '../connection.js';
import type { Schema } from '../schema.js';

export interface Command {
  schema?: Schema;
  adminOnly?: boolean;
  handler(conn: WsConnection, id: number, msg: Record<string, unknown>): void;
}

export type CommandTable = Record<string, Command>;
