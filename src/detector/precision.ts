/** Running a forward computation in a detector's configured precision. */
import { autocast } from '../tensor/autocast.js';
import { invalidArgument } from '../errors.js';
import type { CommonConfig, Precision } from './types.js';

const PRECISIONS: readonly Precision[] = ['fp32', 'bf16'];

/** Check a configuration's `precision` (undefined = 'fp32'). */
export function checkPrecision(precision: unknown): void {
  if (precision !== undefined && !PRECISIONS.includes(precision as Precision)) {
    throw invalidArgument('precision', "'fp32' or 'bf16'", precision, "'bf16' runs forward passes under bfloat16 autocast (fastest on recent GPUs).");
  }
}

/** `fn` under bfloat16 autocast on the detector's device when `precision` is 'bf16', else as it is. */
export function inPrecision<T>(config: Pick<CommonConfig, 'device' | 'precision'>, fn: () => T): T {
  if (config.precision !== 'bf16') return fn();
  return autocast(fn, { device: config.device.startsWith('cuda') ? 'cuda' : 'cpu', dtype: 'bfloat16' });
}
