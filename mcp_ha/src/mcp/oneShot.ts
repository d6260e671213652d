// Answers single JSON-RPC messages without a session (POST /messages): the SDK's own
// dispatch, behind a transport that hands back the response to the request that asked.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

class OneShotTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly waiting = new Map<string | number, (msg: JSONRPCMessage) => void>();

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && message.id !== undefined && ('result' in message || 'error' in message)) {
      this.waiting.get(message.id)?.(message);
      this.waiting.delete(message.id);
    }
  }

  async close(): Promise<void> {
    this.onclose?.();
  }

  /** Delivers one message; resolves with its response, or undefined for a notification. */
  deliver(message: JSONRPCMessage): Promise<JSONRPCMessage | undefined> {
    if (!('id' in message) || message.id === undefined || !('method' in message)) {
      this.onmessage?.(message);
      return Promise.resolve(undefined);
    }
    const id = message.id;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.onmessage?.(message);
    });
  }
}

/** Runs each message through a fresh server connection; returns the responses in order. */
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
