/**
 * MNAD's network (SPEC §2), laid out like the authors' code so that their weights map key for key
 * (`encoder.moduleConv1.0.weight`, ..., `decoder.moduleDeconv1.6.bias`) and the memory items sit at
 * `memory.items`:
 *
 *   encoder  moduleConv1 [Conv3×3+BN+ReLU]×2 → 64, pool; moduleConv2 → 128, pool; moduleConv3 → 256, pool;
 *            moduleConv4 Conv+BN+ReLU+Conv → C (no BN/ReLU at the end)        (B, C, H/8, W/8)
 *   memory   queries q = L2norm(features) per position; the decoder reads concat(q, p̂)   (B, 2C, H/8, W/8)
 *   decoder  moduleConv [Conv+BN+ReLU]×2 → C; then three times ConvTranspose(3, s2, p1, op1)+BN+ReLU and
 *            [Conv+BN+ReLU]×2; the last block ends in Conv → 3 channels + tanh.
 *            pred: skip connections concat(encoder stage, upsampled) before each block (U-Net);
 *            recon: no skips, so the upsampling layers keep the channel count instead.
 *
 * Both encoders hold an unused BatchNorm2d(C) and ReLU (`moduleBatchNorm`, `moduleReLU`) because the
 * authors' do: their checkpoints carry those keys.
 */
import { NormalityError } from '../../errors.js';
import { ReLU, Tanh } from '../../nn/activation.js';
import { BatchNorm2d } from '../../nn/batchnorm.js';
import { Sequential } from '../../nn/container.js';
import { Conv2d } from '../../nn/conv.js';
import { ConvTranspose2d } from '../../nn/conv-transpose.js';
import { Module } from '../../nn/module.js';
import { MaxPool2d } from '../../nn/pooling.js';
import { tidy } from '../../tensor/memory.js';
import { Tensor } from '../../tensor/tensor.js';
import { MemoryItems, queriesOf, readFeatureMap } from './memory.js';
import type { MnadVariant } from './config.js';

const conv = (input: number, output: number) => new Conv2d(input, output, 3, { stride: 1, padding: 1 });

/** [Conv3×3 + BN + ReLU] × 2 (the authors' `Basic`). */
function basic(input: number, output: number): Sequential {
  return new Sequential(conv(input, output), new BatchNorm2d(output), new ReLU(), conv(output, output), new BatchNorm2d(output), new ReLU());
}

/** Conv + BN + ReLU + Conv: the last encoder stage (the authors' `Basic_`). */
function basicOpenEnded(input: number, output: number): Sequential {
  return new Sequential(conv(input, output), new BatchNorm2d(output), new ReLU(), conv(output, output));
}

/** ×2 upsampling: ConvTranspose(3, stride 2, padding 1, output padding 1) + BN + ReLU. */
function upsample(input: number, output: number): Sequential {
  return new Sequential(new ConvTranspose2d(input, output, 3, { stride: 2, padding: 1, outputPadding: 1 }), new BatchNorm2d(output), new ReLU());
}

/** [Conv + BN + ReLU] × 2 then Conv → output channels and tanh (the authors' `Gen`). */
function generator(input: number, output: number, hidden: number): Sequential {
  return new Sequential(conv(input, hidden), new BatchNorm2d(hidden), new ReLU(), conv(hidden, hidden), new BatchNorm2d(hidden), new ReLU(), conv(hidden, output), new Tanh());
}

export class MnadEncoder extends Module {
  moduleConv1: Sequential;
  modulePool1 = new MaxPool2d(2, { stride: 2 });
  moduleConv2 = basic(64, 128);
  modulePool2 = new MaxPool2d(2, { stride: 2 });
  moduleConv3 = basic(128, 256);
  modulePool3 = new MaxPool2d(2, { stride: 2 });
  moduleConv4: Sequential;
  /** Unused, as in the authors' code; kept for their state-dict keys. */
  moduleBatchNorm: BatchNorm2d;
  moduleReLU = new ReLU();

  constructor(inputChannels: number, featureDim: number) {
    super();
    this.moduleConv1 = basic(inputChannels, 64);
    this.moduleConv4 = basicOpenEnded(256, featureDim);
    this.moduleBatchNorm = new BatchNorm2d(featureDim);
  }

  /** x (B, in, H, W) → features (B, C, H/8, W/8) and the stage outputs at H, H/2, H/4 for the skips. */
  forward(x: Tensor): { features: Tensor; skips: [Tensor, Tensor, Tensor] } {
    return tidy(() => {
      const stage1 = this.moduleConv1.forward(x);
      const stage2 = this.moduleConv2.forward(this.modulePool1.forward(stage1));
      const stage3 = this.moduleConv3.forward(this.modulePool2.forward(stage2));
      const features = this.moduleConv4.forward(this.modulePool3.forward(stage3));
      return { features, skips: [stage1, stage2, stage3] as [Tensor, Tensor, Tensor] };
    });
  }
}

export class MnadDecoder extends Module {
  moduleConv: Sequential;
  moduleUpsample4: Sequential;
  moduleDeconv3: Sequential;
  moduleUpsample3: Sequential;
  moduleDeconv2: Sequential;
  moduleUpsample2: Sequential;
  moduleDeconv1: Sequential;
  readonly withSkips: boolean;

  constructor(variant: MnadVariant, featureDim: number, outputChannels: number) {
    super();
    this.withSkips = variant === 'pred';
    // With skips each block reads concat(skip, upsampled), so the upsampling halves the channels.
    const up = this.withSkips ? [256, 128, 64] : [512, 256, 128];
    this.moduleConv = basic(2 * featureDim, featureDim);
    this.moduleUpsample4 = upsample(featureDim, up[0]!);
    this.moduleDeconv3 = basic(512, 256);
    this.moduleUpsample3 = upsample(256, up[1]!);
    this.moduleDeconv2 = basic(256, 128);
    this.moduleUpsample2 = upsample(128, up[2]!);
    this.moduleDeconv1 = generator(128, outputChannels, 64);
  }

  /** concat(q, p̂) (B, 2C, H/8, W/8) → frame (B, out, H, W) in (−1, 1). */
  forward(x: Tensor, skips?: readonly [Tensor, Tensor, Tensor]): Tensor {
    return tidy(() => {
      const join = (skip: Tensor | undefined, up: Tensor) => (this.withSkips ? Tensor.cat([skip!, up], 1) : up);
      let h = this.moduleUpsample4.forward(this.moduleConv.forward(x));
      h = this.moduleUpsample3.forward(this.moduleDeconv3.forward(join(skips?.[2], h)));
      h = this.moduleUpsample2.forward(this.moduleDeconv2.forward(join(skips?.[1], h)));
      return this.moduleDeconv1.forward(join(skips?.[0], h));
    });
  }
}

export interface MnadOutput {
  /** The predicted (pred) or reconstructed (recon) frame, (B, channels, H, W) in (−1, 1). */
  output: Tensor;
  /** L2-normalised queries (B·h·w, C) in (b, h, w) order, for the losses and the memory update. */
  queries: Tensor;
}

export class MnadNet extends Module {
  encoder: MnadEncoder;
  decoder: MnadDecoder;
  memory: MemoryItems;
  readonly inputChannels: number;

  constructor(o: { variant: MnadVariant; channels: number; featureDim: number; memorySize: number }) {
    super();
    this.inputChannels = o.channels * (o.variant === 'pred' ? 4 : 1);
    this.encoder = new MnadEncoder(this.inputChannels, o.featureDim);
    this.decoder = new MnadDecoder(o.variant, o.featureDim, o.channels);
    this.memory = new MemoryItems(o.memorySize, o.featureDim);
  }

  /** x (B, in, H, W) with H and W multiples of 8; `items` default to the memory's own (test time passes a copy). */
  forward(x: Tensor, items: Tensor = this.memory.items): MnadOutput {
    const [, channels, height, width] = x.shape;
    if (x.ndim !== 4 || channels !== this.inputChannels || height! % 8 !== 0 || width! % 8 !== 0) {
      throw new NormalityError('SHAPE_MISMATCH',
        `MnadNet expects input (B, ${this.inputChannels}, H, W) with H and W multiples of 8 but received [${x.shape.join(', ')}]. ` +
          'Prediction stacks its 4 input frames along the channels; resize frames to a multiple of 8.');
    }
    return tidy(() => {
      const { features, skips } = this.encoder.forward(x);
      const queries = queriesOf(features);
      const read = readFeatureMap(queries, items, features.shape);
      return { output: this.decoder.forward(read, skips), queries };
    });
  }
}
