/**
 * Zeroes each element with probability p in training and scales the rest by 1/(1 − p), so
 * evaluation (where it passes the input through) needs no rescaling (PyTorch's `nn.Dropout`).
 */
import * as F from '../tensor/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { expectTensor, probability } from './validate.js';

export class Dropout extends Module {
  readonly p: number;

  constructor(p = 0.5) {
    super();
    this.p = probability('Dropout', 'p', p);
  }

  /** Always a new tensor the caller owns, in training and in evaluation. */
  forward(x: Tensor): Tensor {
    expectTensor('Dropout', x, 0, '(*)');
    return F.dropout(x, this.p, this.training);
  }
}
