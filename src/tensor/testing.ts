/** Assertions for tests: tensors equal within a tolerance, with a message that says where they differ. */
import assert from 'node:assert/strict';
import type { Tensor } from './tensor.js';

export function assertClose(actual: Tensor, expected: Tensor, o: { name?: string; rtol?: number; atol?: number } = {}): void {
  const name = o.name ?? 'tensor';
  assert.deepEqual([...actual.shape], [...expected.shape], `${name}: shape`);
  const a = Array.from(actual.to('float64').data<'float64'>());
  const e = Array.from(expected.to('float64').data<'float64'>());
  const rtol = o.rtol ?? 1e-5;
  const atol = o.atol ?? 1e-6;
  for (let i = 0; i < e.length; i++) {
    if (!(Math.abs(a[i]! - e[i]!) <= atol + rtol * Math.abs(e[i]!))) {
      assert.fail(`${name}: element ${i} is ${a[i]} but PyTorch gives ${e[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
