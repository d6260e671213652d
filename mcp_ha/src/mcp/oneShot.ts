// Answers JSON-RPC messages without a session (POST /messages): the SDK's own dispatch, behind
// a transport that hands back the response to the request that asked.
import type { JSONRPCMessage, Server, Transport } from '@modelcontextprotocol/server';
import { precheck, unparsable } from './precheck.js';

class OneShotTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly waiting = new Map<string | number, (msg: JSONRPCMessage) => void>();

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && message.id !== undefined && ('result' in message || 'error' in message)) {
      this.waiting.get(message.id as string | number)?.(message);
      this.waiting.delete(message.id as string | number);
    }
  }

  async close(): Promise<void> {
    for (const resolve of this.waiting.values()) resolve({ jsonrpc: '2.0', id: null as never, error: { code: -32603, message: 'Server closed.' } } as JSONRPCMessage);
    this.waiting.clear();
    this.onclose?.();
  }

  /** Delivers one message; resolves with its response, or undefined for a notification. */
  deliver(message: JSONRPCMessage): Promise<JSONRPCMessage | undefined> {
    const bad = unparsable(message) ?? precheck(message);
    if (bad) return Promise.resolve(bad as JSONRPCMessage);
    if (!('id' in message) || message.id === undefined || !('method' in message)) {
      this.onmessage?.(message);
      return Promise.resolve(undefined);
    }
    const id = message.id as string | number;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.onmessage?.(message);
    });
  }
}

/** Runs the messages in order through one server connection; returns the responses in order. */
export async function answerOnce(server: Server, messages: JSONRPCMessage[]): Promise<JSONRPCMessage[]> {
  const transport = new OneShotTransport();
  await server.connect(transport);
  try {
    const out: JSONRPCMessage[] = [];
    for (const m of messages) {
      const response = await transport.deliver(m);
      if (response) out.push(response);
    }
    return out;
  } finally {
    await server.close();
  }
}
