/**
 * MemAE-3D, the authors' video network (SPEC §1): 16-frame grayscale clips (B, 1, 16, H, W) in [−1, 1].
 *
 *   encoder  Conv3d k3 p1: 1→96 s(1,2,2), 96→128 s2, 128→256 s2, 256→256 s2   (+ BatchNorm3d + LeakyReLU 0.2)
 *   memory   N = 2000 items of C = 256, one query per (t, h, w) of the code (B, 256, T/8, H/16, W/16)
 *   decoder  ConvTranspose3d k3 p1: 256→256 s2 op1, 256→128 s2 op1, 128→96 s2 op1 (+ BN + LeakyReLU 0.2),
 *            96→1 s(1,2,2) op(0,1,1), no final activation
 *   init     conv weights N(0, 0.02), BatchNorm weights N(1, 0.02), biases 0 (the authors' weights_init)
 */
import { Module } from '../../nn/module.js';
import { BatchNorm3d } from '../../nn/batchnorm.js';
import { Conv3d } from '../../nn/conv.js';
import { ConvTranspose3d } from '../../nn/conv-transpose.js';
import { LeakyReLU } from '../../nn/activation.js';
import { Sequential } from '../../nn/container.js';
import { constant_, normal_ } from '../../nn/init.js';
import type { Tensor } from '../../tensor/tensor.js';
import { MemoryUnit, type MemAEOutput } from './model.js';
import type { Addressing } from './memory.js';

export interface VideoNetOptions {
  /** 'memae' (shrinkage + entropy), 'nonspar' (memory only) or 'ae' (no memory). */
  variant: 'memae' | 'nonspar' | 'ae';
  memorySize: number;
  shrinkThreshold: number;
  addressing: Addressing;
  /** Input channels (1 = grayscale as the paper). */
  channels: number;
}

const block = (conv: Module, channels: number) => [conv, new BatchNorm3d(channels), new LeakyReLU(0.2)];

export class MemAE3DNet extends Module {
  encoder: Sequential;
  memory: MemoryUnit | null;
  decoder: Sequential;

  constructor(o: VideoNetOptions) {
    super();
    this.encoder = new Sequential(
      ...block(new Conv3d(o.channels, 96, 3, { stride: [1, 2, 2], padding: 1 }), 96),
      ...block(new Conv3d(96, 128, 3, { stride: 2, padding: 1 }), 128),
      ...block(new Conv3d(128, 256, 3, { stride: 2, padding: 1 }), 256),
      ...block(new Conv3d(256, 256, 3, { stride: 2, padding: 1 }), 256),
    );
    this.memory = o.variant === 'ae' ? null : new MemoryUnit(o.memorySize, 256, {
      shrinkThreshold: o.variant === 'memae' ? o.shrinkThreshold : 0,
      addressing: o.addressing,
    });
    this.decoder = new Sequential(
      ...block(new ConvTranspose3d(256, 256, 3, { stride: 2, padding: 1, outputPadding: 1 }), 256),
      ...block(new ConvTranspose3d(256, 128, 3, { stride: 2, padding: 1, outputPadding: 1 }), 128),
      ...block(new ConvTranspose3d(128, 96, 3, { stride: 2, padding: 1, outputPadding: 1 }), 96),
      new ConvTranspose3d(96, o.channels, 3, { stride: [1, 2, 2], padding: 1, outputPadding: [0, 1, 1] }),
    );
    this.#authorsInit();
  }

  #authorsInit(): void {
    for (const module of this.modules()) {
      if (module instanceof Conv3d || module instanceof ConvTranspose3d) {
        normal_(module.weight, 0, 0.02);
        if (module.bias) constant_(module.bias, 0);
      } else if (module instanceof BatchNorm3d && module.weight && module.bias) {
        normal_(module.weight, 1, 0.02);
        constant_(module.bias, 0);
      }
    }
  }

  forward(clips: Tensor): MemAEOutput {
    const code = this.encoder.forward(clips);
    if (this.memory === null) return { reconstruction: this.decoder.forward(code), attention: null };
    const { output, attention } = this.memory.forward(code);
    return { reconstruction: this.decoder.forward(output), attention };
  }
}
