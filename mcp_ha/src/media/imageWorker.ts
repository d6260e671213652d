// The image work of src/media/fit.ts, in a worker thread: decoding and encoding a picture takes
// 0.2-0.4 s of CPU in pure JavaScript, which would otherwise stall every other request.
import { parentPort } from 'node:worker_threads';
import { AppError } from '../errors.js';
import { fitImage, type FitOptions } from './image.js';

parentPort?.on('message', (msg: { id: number; bytes: Uint8Array; opts: FitOptions }) => {
  try {
    const fitted = fitImage(Buffer.from(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength), msg.opts);
    const data = new Uint8Array(fitted.data);
    parentPort?.postMessage({ id: msg.id, ok: { ...fitted, data } }, [data.buffer]);
  } catch (err) {
    const e = err instanceof AppError ? err : new AppError('internal_error', 'The picture could not be processed.', 'Try again.');
    parentPort?.postMessage({ id: msg.id, error: { code: e.code, message: e.message, suggestion: e.suggestion, statusCode: e.statusCode } });
  }
});
