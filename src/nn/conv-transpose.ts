/**
 * Transposed convolutions, the learned upsampling of decoders (PyTorch's `nn.ConvTranspose2d`,
 * `nn.ConvTranspose3d`). Output size per dim: (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 */
import * as F from '../tensor/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConvNd, type ConvTransposeOptions } from './conv-base.js';
import { expectRank, expectSize } from './validate.js';

/** (N, inChannels, H, W) → (N, outChannels, H', W'); weight (inChannels, outChannels/groups, kH, kW). */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options: ConvTransposeOptions = {}) {
    super('ConvTranspose2d', 2, true, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    expectRank('ConvTranspose2d', x, [4], '(N, C, H, W)');
    expectSize('ConvTranspose2d', x, 1, this.inChannels, 'inChannels');
    return F.convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }
}

/** (N, inChannels, T, H, W) → (N, outChannels, T', H', W'); weight (inChannels, outChannels/groups, kT, kH, kW). */
export class ConvTranspose3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options: ConvTransposeOptions = {}) {
    super('ConvTranspose3d', 3, true, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    expectRank('ConvTranspose3d', x, [5], '(N, C, T, H, W)');
    expectSize('ConvTranspose3d', x, 1, this.inChannels, 'inChannels');
    return F.convTranspose3d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }
}
