/** Assertions for tests: tensors equal within a tolerance, with a message that says where they differ; refused calls. */
import assert from 'node:assert/strict';
import { NormalityError, type ErrorCode } from '../errors.js';
import { liveTensors } from './memory.js';
import type { Tensor } from './tensor.js';

export function assertClose(actual: Tensor, expected: Tensor, o: { name?: string; rtol?: number; atol?: number } = {}): void {
  const name = o.name ?? 'tensor';
  assert.deepEqual([...actual.shape], [...expected.shape], `${name}: shape`);
  const a = Array.from(actual.to('float64').data('float64'));
  const e = Array.from(expected.to('float64').data('float64'));
  const rtol = o.rtol ?? 1e-5;
  const atol = o.atol ?? 1e-6;
  for (let i = 0; i < e.length; i++) {
    if (!(Math.abs(a[i]! - e[i]!) <= atol + rtol * Math.abs(e[i]!))) {
      assert.fail(`${name}: element ${i} is ${a[i]} but PyTorch gives ${e[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/**
 * `fn` throws a NormalityError with this code and message (exact text, or a pattern) and leaves no native
 * tensor behind: create the tensors it misuses before calling.
 */
export function assertRefused(fn: () => unknown, code: ErrorCode, message: string | RegExp): NormalityError {
  const before = liveTensors();
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof NormalityError, `expected a NormalityError but got ${caught === undefined ? 'no error' : String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  assert.equal(liveTensors(), before, 'the refused call left native tensors behind');
  return caught;
}
