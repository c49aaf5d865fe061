/** Max pooling over images (PyTorch's `nn.MaxPool2d`). */
import * as F from '../tensor/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { invalidArgument } from '../errors.js';
import { Module } from './module.js';
import { boolean, checkOptions, expectRank, intTuple } from './validate.js';

export interface MaxPool2dOptions {
  /** default kernelSize */
  stride?: number | readonly [number, number];
  /** -∞ padding on both sides, at most half the kernel; default 0 */
  padding?: number | readonly [number, number];
  /** default 1 */
  dilation?: number | readonly [number, number];
  /** Round the output size up instead of down; default false */
  ceilMode?: boolean;
}

/** (N, C, H, W) → (N, C, H', W') */
export class MaxPool2d extends Module {
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly ceilMode: boolean;

  constructor(kernelSize: number | readonly [number, number], options: MaxPool2dOptions = {}) {
    super();
    checkOptions('MaxPool2d', options, ['stride', 'padding', 'dilation', 'ceilMode']);
    this.kernelSize = intTuple('MaxPool2d', 'kernelSize', kernelSize, 2, 1);
    this.stride = intTuple('MaxPool2d', 'stride', options.stride ?? kernelSize, 2, 1);
    this.padding = intTuple('MaxPool2d', 'padding', options.padding ?? 0, 2, 0);
    this.dilation = intTuple('MaxPool2d', 'dilation', options.dilation ?? 1, 2, 1);
    this.ceilMode = boolean('MaxPool2d', 'ceilMode', options.ceilMode ?? false);
    if (this.padding.some((p, i) => 2 * p > this.kernelSize[i]!)) {
      throw invalidArgument('MaxPool2d padding', `at most half the kernel size [${this.kernelSize.join(', ')}]`, options.padding);
    }
  }

  forward(x: Tensor): Tensor {
    expectRank('MaxPool2d', x, [4], '(N, C, H, W)');
    return F.maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
}
