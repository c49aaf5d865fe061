/** A placeholder layer that passes its input through (PyTorch's `nn.Identity`). */
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { expectTensor } from './validate.js';

export class Identity extends Module {
  /** A second owner of `x` (same data), so the caller can dispose input and output independently. */
  forward(x: Tensor): Tensor {
    expectTensor('Identity', x, 0, '(*)');
    return x.share();
  }
}
