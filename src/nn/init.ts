/**
 * Weight initialisation (PyTorch's `torch.nn.init`). Each random initialiser is exactly one
 * `uniform_` or `normal_` call on the tensor with the bounds PyTorch computes, so after the same
 * `manualSeed` a layer built here starts from the same weights as the PyTorch layer. All of them
 * work in place without recording gradients and return the tensor.
 */
import { NormalityError, invalidArgument } from '../errors.js';
import { noGrad } from '../tensor/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

export type FanMode = 'fan_in' | 'fan_out';

export interface KaimingOptions {
  /** The negative slope of the leaky ReLU that follows (only with 'leaky_relu'); default 0. */
  a?: number;
  /** 'fan_in' keeps the forward pass's variance, 'fan_out' the backward pass's; default 'fan_in'. */
  mode?: FanMode;
  /** default 'leaky_relu' (with a = 0, that is ReLU's gain √2). */
  nonlinearity?: Nonlinearity;
}

const LINEAR_GAIN_ONE = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid'];
const NONLINEARITIES = [...LINEAR_GAIN_ONE, 'tanh', 'relu', 'leaky_relu', 'selu'];

/** The recommended gain for a nonlinearity; `param` is leaky_relu's negative slope (default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (LINEAR_GAIN_ONE.includes(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh': return 5 / 3;
    case 'relu': return Math.sqrt(2);
    case 'selu': return 3 / 4;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw invalidArgument('calculateGain negative slope', 'a finite number', slope);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    default: throw invalidArgument('nonlinearity', `one of ${NONLINEARITIES.join(', ')}`, nonlinearity);
  }
}

/**
 * fan_in = size(1) · receptive field, fan_out = size(0) · receptive field, where the receptive field
 * is the product of dims 2.. . For a transposed conv's weight (in, out/groups, k...) this makes
 * fan_in come from dim 1, as in PyTorch.
 */
export function calculateFanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  const shape = t.shape;
  if (shape.length < 2) {
    throw new NormalityError('INVALID_ARGUMENT', `Fan in and fan out need a tensor with at least 2 dimensions but received shape [${shape.join(', ')}].`);
  }
  const receptiveField = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptiveField, fanOut: shape[0]! * receptiveField };
}

function fanFor(t: Tensor, mode: FanMode): number {
  if (mode !== 'fan_in' && mode !== 'fan_out') throw invalidArgument('mode', "'fan_in' or 'fan_out'", mode);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return mode === 'fan_in' ? fanIn : fanOut;
}

export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  return t.uniform_(a, b);
}

export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  return t.normal_(mean, std);
}

export function constant_(t: Tensor, value: number): Tensor {
  return noGrad(() => t.fill_(value));
}

export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

function kaimingStd(t: Tensor, o: KaimingOptions): number {
  const gain = calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0);
  return gain / Math.sqrt(fanFor(t, o.mode ?? 'fan_in'));
}

/** U(−bound, bound) with bound = gain · √(3 / fan) (He et al. 2015). */
export function kaimingUniform_(t: Tensor, o: KaimingOptions = {}): Tensor {
  if (t.numel === 0) return t; // PyTorch skips empty tensors (with a warning) and draws nothing
  const bound = Math.sqrt(3) * kaimingStd(t, o);
  return t.uniform_(-bound, bound);
}

/** N(0, std²) with std = gain / √fan. */
export function kaimingNormal_(t: Tensor, o: KaimingOptions = {}): Tensor {
  if (t.numel === 0) return t;
  return t.normal_(0, kaimingStd(t, o));
}

/** U(−a, a) with a = gain · √(6 / (fan_in + fan_out)) (Glorot & Bengio 2010). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  const bound = Math.sqrt(3) * std; // in PyTorch's order, so the bound rounds the same way
  return t.uniform_(-bound, bound);
}

/** N(0, std²) with std = gain · √(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return t.normal_(0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

/**
 * PyTorch's default `reset_parameters` for Linear and convolutions: weight ~ kaiming_uniform(a = √5),
 * bias ~ U(±1/√fan_in) with fan_in from the weight (dim 1 times the kernel: out/groups for transposed convs).
 */
export function resetLinearOrConv_(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias !== null) {
    const { fanIn } = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}
