/**
 * Worker thread for cache.ts: decodes a run of frame files into (T, C, H, W) bytes
 * and sends them back (transferred, not copied). Errors travel as code + message so
 * the caller rethrows the same NormalityError, naming the corrupt frame.
 */
import { parentPort } from 'node:worker_threads';
import { NormalityError } from '../../errors.js';
import { decodeFrames, type FrameFormat } from './frame-format.js';

export interface DecodeTask { id: number; files: string[]; format: FrameFormat }
export type DecodeReply =
  | { id: number; data: Uint8Array }
  | { id: number; error: { code?: string; message: string } };

parentPort?.on('message', (task: DecodeTask) => {
  try {
    const data = decodeFrames(task.files, task.format);
    parentPort!.postMessage({ id: task.id, data } satisfies DecodeReply, [data.buffer as ArrayBuffer]);
  } catch (error) {
    const code = error instanceof NormalityError ? error.code : undefined;
    parentPort!.postMessage({ id: task.id, error: { code, message: (error as Error).message } } satisfies DecodeReply);
  }
});
