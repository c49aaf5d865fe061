/** Convolutions over images and videos (PyTorch's `nn.Conv2d`, `nn.Conv3d`). */
import * as F from '../tensor/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConvNd, type ConvOptions } from './conv-base.js';
import { expectRank, expectSize } from './validate.js';

/** (N, inChannels, H, W) → (N, outChannels, H', W'); weight (outChannels, inChannels/groups, kH, kW). */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options: ConvOptions = {}) {
    super('Conv2d', 2, false, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    expectRank('Conv2d', x, [4], '(N, C, H, W)');
    expectSize('Conv2d', x, 1, this.inChannels, 'inChannels');
    return F.conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/** (N, inChannels, T, H, W) → (N, outChannels, T', H', W'); weight (outChannels, inChannels/groups, kT, kH, kW). */
export class Conv3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options: ConvOptions = {}) {
    super('Conv3d', 3, false, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    expectRank('Conv3d', x, [5], '(N, C, T, H, W)');
    expectSize('Conv3d', x, 1, this.inChannels, 'inChannels');
    return F.conv3d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}
