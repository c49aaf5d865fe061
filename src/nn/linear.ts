/** A fully connected layer, y = x Wᵀ + b (PyTorch's `nn.Linear`). */
import { empty } from '../tensor/create.js';
import * as F from '../tensor/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { resetLinearOrConv_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { boolean, checkOptions, expectSize, expectTensor, positiveInt } from './validate.js';

export interface LinearOptions {
  /** Learn an additive bias; default true. */
  bias?: boolean;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** (outFeatures, inFeatures) */
  weight: Parameter;
  /** (outFeatures), or null when built with `bias: false` */
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkOptions('Linear', options, ['bias']);
    this.inFeatures = positiveInt('Linear', 'inFeatures', inFeatures);
    this.outFeatures = positiveInt('Linear', 'outFeatures', outFeatures);
    const bias = boolean('Linear', 'bias', options.bias ?? true);
    this.weight = Parameter.from(empty([outFeatures, inFeatures]));
    this.bias = bias ? Parameter.from(empty([outFeatures])) : null;
    this.resetParameters();
  }

  /** PyTorch's default: W ~ kaiming_uniform(a = √5), i.e. U(±1/√inFeatures), and b ~ U(±1/√inFeatures). */
  resetParameters(): void {
    resetLinearOrConv_(this.weight, this.bias);
  }

  /** (*, inFeatures) → (*, outFeatures) */
  forward(x: Tensor): Tensor {
    expectTensor('Linear', x, 1, '(*, inFeatures)');
    expectSize('Linear', x, -1, this.inFeatures, 'inFeatures');
    return F.linear(x, this.weight, this.bias);
  }
}
