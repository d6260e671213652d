// Small helpers shared by tests and the bench.
import { createServer } from 'node:net';
import { AppError } from '../../src/errors.js';

/** A TCP port that was free a moment ago on 127.0.0.1 (for child processes that need a fixed port). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The AppError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}
