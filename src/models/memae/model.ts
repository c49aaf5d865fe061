/**
 * MemAE's networks (SPEC §1): encoder → memory → decoder, the same encoder and decoder for all three
 * variants. Paddings are chosen so the decoder returns the input size exactly:
 *
 *   mnist       Conv(3,2,32) Conv(3,2,16) Conv(3,3,8)      28→14→7→3,  latent 8×3×3,  N = 100
 *               Dconv(3,3,16) Dconv(3,2,32) Dconv(3,2,1)   3→7→14→28
 *   mnist-wide  Conv(1,2,16) Conv(3,2,32) Conv(3,2,64)     28→14→7→4,  latent 64×4×4
 *               Dconv(3,2,32) Dconv(3,2,16) Dconv(3,2,1)   4→7→14→28
 *   cifar10     Conv(3,2,64) Conv(3,2,128) Conv(3,2,256)   32→16→8→4,  latent 256×4×4, N = 500
 *   mlp         118–60–30–10–3 (tanh between), mirror decoder, N = 50 items of size 3
 *
 * BatchNorm + ReLU follow every layer except the decoder's last, which has no activation unless
 * `outputActivation` is 'sigmoid'.
 */
import { Module } from '../../nn/module.js';
import { Parameter } from '../../nn/parameter.js';
import { BatchNorm2d } from '../../nn/batchnorm.js';
import { Conv2d } from '../../nn/conv.js';
import { ConvTranspose2d } from '../../nn/conv-transpose.js';
import { Linear } from '../../nn/linear.js';
import { ReLU, Sigmoid, Tanh } from '../../nn/activation.js';
import { Sequential } from '../../nn/container.js';
import { empty } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { MemAEConfig } from './config.js';
import { readFeatureMap, type Addressing } from './memory.js';

/** The memory as a layer: N learned items of size C, read position by position. */
export class MemoryUnit extends Module {
  /** (N, C), initialised U(±1/√C) like the authors' code. */
  weight: Parameter;
  readonly shrinkThreshold: number;
  readonly addressing: Addressing;

  constructor(items: number, features: number, options: { shrinkThreshold: number; addressing: Addressing }) {
    super();
    const bound = 1 / Math.sqrt(features);
    this.weight = Parameter.from(empty([items, features]).uniform_(-bound, bound));
    this.shrinkThreshold = options.shrinkThreshold;
    this.addressing = options.addressing;
  }

  /** z (B, C, ...) → ẑ of the same shape and the attention (B·Π spatial, N). */
  forward(z: Tensor): { output: Tensor; attention: Tensor } {
    return readFeatureMap(z, this.weight, { shrinkThreshold: this.shrinkThreshold, addressing: this.addressing });
  }
}

interface ConvLayer { channels: number; kernel: number; stride: number; padding: number; outputPadding?: number }

const CONV_NETS: Record<'mnist' | 'mnist-wide' | 'cifar10', { input: number; encoder: ConvLayer[]; decoder: ConvLayer[] }> = {
  mnist: {
    input: 1,
    encoder: [{ channels: 32, kernel: 3, stride: 2, padding: 1 }, { channels: 16, kernel: 3, stride: 2, padding: 1 }, { channels: 8, kernel: 3, stride: 3, padding: 1 }],
    decoder: [{ channels: 16, kernel: 3, stride: 3, padding: 1 }, { channels: 32, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }, { channels: 1, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }],
  },
  'mnist-wide': {
    input: 1,
    encoder: [{ channels: 16, kernel: 1, stride: 2, padding: 0 }, { channels: 32, kernel: 3, stride: 2, padding: 1 }, { channels: 64, kernel: 3, stride: 2, padding: 1 }],
    decoder: [{ channels: 32, kernel: 3, stride: 2, padding: 1 }, { channels: 16, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }, { channels: 1, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }],
  },
  cifar10: {
    input: 3,
    encoder: [{ channels: 64, kernel: 3, stride: 2, padding: 1 }, { channels: 128, kernel: 3, stride: 2, padding: 1 }, { channels: 256, kernel: 3, stride: 2, padding: 1 }],
    decoder: [{ channels: 128, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }, { channels: 64, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }, { channels: 3, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }],
  },
};

function convEncoder(input: number, layers: ConvLayer[]): Sequential {
  const modules: Module[] = [];
  let channels = input;
  for (const layer of layers) {
    modules.push(new Conv2d(channels, layer.channels, layer.kernel, { stride: layer.stride, padding: layer.padding }), new BatchNorm2d(layer.channels), new ReLU());
    channels = layer.channels;
  }
  return new Sequential(...modules);
}

function convDecoder(input: number, layers: ConvLayer[]): Sequential {
  const modules: Module[] = [];
  let channels = input;
  layers.forEach((layer, i) => {
    modules.push(new ConvTranspose2d(channels, layer.channels, layer.kernel, { stride: layer.stride, padding: layer.padding, outputPadding: layer.outputPadding ?? 0 }));
    if (i < layers.length - 1) modules.push(new BatchNorm2d(layer.channels), new ReLU());
    channels = layer.channels;
  });
  return new Sequential(...modules);
}

function mlp(sizes: number[]): Sequential {
  const modules: Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    modules.push(new Linear(sizes[i]!, sizes[i + 1]!));
    if (i + 2 < sizes.length) modules.push(new Tanh());
  }
  return new Sequential(...modules);
}

export interface MemAEOutput {
  reconstruction: Tensor;
  /** The memory's attention (queries, N); null for the plain autoencoder. */
  attention: Tensor | null;
}

/** Encoder, optional memory, decoder. `forward` returns the same type in training and evaluation. */
export class MemAENet extends Module {
  encoder: Sequential;
  memory: MemoryUnit | null;
  decoder: Sequential;

  constructor(config: MemAEConfig) {
    super();
    let codeSize: number;
    if (config.architecture === 'mlp') {
      const sizes = [config.inputFeatures, ...config.hiddenSizes];
      this.encoder = mlp(sizes);
      this.decoder = mlp([...sizes].reverse());
      codeSize = sizes[sizes.length - 1]!;
    } else {
      const net = CONV_NETS[config.architecture];
      this.encoder = convEncoder(net.input, net.encoder);
      this.decoder = convDecoder(net.encoder[net.encoder.length - 1]!.channels, net.decoder);
      codeSize = net.encoder[net.encoder.length - 1]!.channels;
    }
    // Parameter-free, so it leaves the state-dict keys as they are.
    if (config.outputActivation === 'sigmoid') this.decoder = new Sequential(...this.decoder, new Sigmoid());
    this.memory = config.variant === 'ae' ? null : new MemoryUnit(config.memorySize, codeSize, {
      shrinkThreshold: config.variant === 'memae' ? config.shrinkThreshold : 0,
      addressing: config.addressing,
    });
  }

  forward(x: Tensor): MemAEOutput {
    const code = this.encoder.forward(x);
    if (this.memory === null) return { reconstruction: this.decoder.forward(code), attention: null };
    const { output, attention } = this.memory.forward(code);
    return { reconstruction: this.decoder.forward(output), attention };
  }
}
