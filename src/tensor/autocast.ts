/**
 * Mixed precision (PyTorch's `torch.autocast`): inside `autocast(fn)`, matmuls and convolutions run in
 * bfloat16 (or float16) while reductions and losses stay in float32, decided op by op by libtorch's own
 * autocast rules. Parameters stay float32, so optimizers update full-precision weights.
 */
import { native } from '../native/binding.js';
import { NormalityError } from '../errors.js';
import { dtypeCode, type DType } from './dtype.js';

export interface AutocastOptions {
  /** Which device's autocast to turn on: 'cuda' (default) or 'cpu'. */
  device?: 'cuda' | 'cpu';
  dtype?: Extract<DType, 'bfloat16' | 'float16'>;
}

let depth = 0;

/** Run `fn` (synchronous) with autocast on; tensors it returns may be bfloat16. */
export function autocast<T>(fn: () => T, options: AutocastOptions = {}): T {
  const cuda = (options.device ?? 'cuda') === 'cuda';
  const code = dtypeCode(options.dtype ?? 'bfloat16');
  native.setAutocast(true, cuda, code);
  depth++;
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new NormalityError('INVALID_ARGUMENT', 'autocast(fn) needs a synchronous function but fn returned a Promise: run one training or scoring step inside it.');
    }
    return result;
  } finally {
    depth--;
    if (depth === 0) native.setAutocast(false, cuda, code);
  }
}
