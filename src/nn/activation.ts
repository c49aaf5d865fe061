/** Element-wise activations as layers, for `Sequential` (PyTorch's `nn.ReLU`, `nn.LeakyReLU`, `nn.Tanh`, `nn.Sigmoid`). */
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { expectTensor, finiteNumber } from './validate.js';

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    expectTensor('ReLU', x, 0, '(*)');
    return x.relu();
  }
}

/** max(0, x) + negativeSlope · min(0, x) */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = finiteNumber('LeakyReLU', 'negativeSlope', negativeSlope);
  }

  forward(x: Tensor): Tensor {
    expectTensor('LeakyReLU', x, 0, '(*)');
    return x.leakyRelu(this.negativeSlope);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    expectTensor('Tanh', x, 0, '(*)');
    return x.tanh();
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    expectTensor('Sigmoid', x, 0, '(*)');
    return x.sigmoid();
  }
}
