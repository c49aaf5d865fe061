/**
 * Neural-network ops (PyTorch's `torch.nn.functional`), as functions over tensors. Layers in `nn/`
 * hold parameters and call these.
 */
import { NormalityError, invalidArgument } from '../errors.js';
import { isGradEnabled } from './grad-mode.js';
import { native } from '../native/binding.js';
import { op, type Op } from './op.js';
import { Tensor, handleOf, optionalHandleOf } from './tensor.js';

type Pair = number | readonly number[];
type Reduction = 'none' | 'mean' | 'sum';

const call = (o: Op, args: unknown[]) => native.callOp(o.id, isGradEnabled(), undefined, ...args);
const wrap = (raw: unknown) => new Tensor(raw as number);

const ops = {
  linear: op('aten::linear'), conv2d: op('aten::conv2d'), conv3d: op('aten::conv3d'),
  convTranspose2d: op('aten::conv_transpose2d.input'), convTranspose3d: op('aten::conv_transpose3d.input'),
  batchNorm: op('aten::batch_norm'), maxPool2d: op('aten::max_pool2d'), maxPool3d: op('aten::max_pool3d'),
  avgPool2d: op('aten::avg_pool2d'), upsampleNearest2d: op('aten::upsample_nearest2d.vec'),
  upsampleBilinear2d: op('aten::upsample_bilinear2d.vec'), dropout: op('aten::dropout'), mseLoss: op('aten::mse_loss'),
  l1Loss: op('aten::l1_loss'), tripletMarginLoss: op('aten::triplet_margin_loss'), pad: op('aten::constant_pad_nd'),
  cosineSimilarity: op('aten::cosine_similarity'), cdist: op('aten::cdist'), avgPool3d: op('aten::avg_pool3d'),
};

const reductionCode = (reduction: Reduction): number => {
  const code = { none: 0, mean: 1, sum: 2 }[reduction];
  if (code === undefined) throw invalidArgument('reduction', "'none', 'mean' or 'sum'", reduction);
  return code;
};

/** y = x Wᵀ + b; weight (out, in). */
export const linear = (input: Tensor, weight: Tensor, bias?: Tensor | null) => wrap(call(ops.linear, [handleOf(input, 'input'), handleOf(weight, 'weight'), optionalHandleOf(bias, 'bias')]));

export interface ConvOptions { stride?: Pair; padding?: Pair; dilation?: Pair; groups?: number }
export interface ConvTransposeOptions extends ConvOptions { outputPadding?: Pair }

/** input (N, C, H, W), weight (out, C/groups, kH, kW). */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, o: ConvOptions = {}): Tensor {
  return wrap(call(ops.conv2d, [handleOf(input, 'input'), handleOf(weight, 'weight'), optionalHandleOf(bias, 'bias'), o.stride ?? 1, o.padding ?? 0, o.dilation ?? 1, o.groups ?? 1]));
}
/** input (N, C, T, H, W), weight (out, C/groups, kT, kH, kW). */
export function conv3d(input: Tensor, weight: Tensor, bias?: Tensor | null, o: ConvOptions = {}): Tensor {
  return wrap(call(ops.conv3d, [handleOf(input, 'input'), handleOf(weight, 'weight'), optionalHandleOf(bias, 'bias'), o.stride ?? 1, o.padding ?? 0, o.dilation ?? 1, o.groups ?? 1]));
}
/** weight (C, out/groups, kH, kW). */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, o: ConvTransposeOptions = {}): Tensor {
  return wrap(call(ops.convTranspose2d, [handleOf(input, 'input'), handleOf(weight, 'weight'), optionalHandleOf(bias, 'bias'), o.stride ?? 1, o.padding ?? 0, o.outputPadding ?? 0, o.groups ?? 1, o.dilation ?? 1]));
}
export function convTranspose3d(input: Tensor, weight: Tensor, bias?: Tensor | null, o: ConvTransposeOptions = {}): Tensor {
  return wrap(call(ops.convTranspose3d, [handleOf(input, 'input'), handleOf(weight, 'weight'), optionalHandleOf(bias, 'bias'), o.stride ?? 1, o.padding ?? 0, o.outputPadding ?? 0, o.groups ?? 1, o.dilation ?? 1]));
}

/**
 * Batch normalisation over dim 1. In training it uses the batch statistics and updates the running
 * ones in place (running = (1 - momentum) running + momentum batch, with the unbiased batch variance).
 */
export function batchNorm(
  input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null,
  o: { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; momentum?: number; eps?: number } = {},
): Tensor {
  handleOf(input, 'input');
  if ((o.training ?? false) && input.ndim >= 2 && input.numel / input.shape[1]! <= 1) {
    throw new NormalityError('SHAPE_MISMATCH', `batchNorm needs more than 1 value per channel to compute batch statistics but received shape [${input.shape.join(', ')}]. Use a batch of 2 or more, or training: false with running statistics.`);
  }
  return wrap(call(ops.batchNorm, [handleOf(input, 'input'), optionalHandleOf(o.weight, 'weight'), optionalHandleOf(o.bias, 'bias'), optionalHandleOf(runningMean, 'runningMean'), optionalHandleOf(runningVar, 'runningVar'), o.training ?? false, o.momentum ?? 0.1, o.eps ?? 1e-5, true]));
}

export interface PoolOptions { stride?: Pair; padding?: Pair; dilation?: Pair; ceilMode?: boolean }
/**
 * A pool's kernel size, each entry a positive integer. The stride defaults to it, so libtorch would report a
 * kernel of 0 as "stride should not be zero", naming an argument the caller never gave.
 */
function poolKernel(kernelSize: Pair, pool: string): Pair {
  const sizes: unknown[] = Array.isArray(kernelSize) ? kernelSize : [kernelSize];
  if (sizes.length === 0 || !sizes.every((k) => Number.isInteger(k) && (k as number) > 0)) {
    throw invalidArgument(`${pool} kernelSize`, 'a positive integer, or a list of them', kernelSize);
  }
  return kernelSize;
}

export function maxPool2d(input: Tensor, kernelSize: Pair, o: PoolOptions = {}): Tensor {
  const kernel = poolKernel(kernelSize, 'maxPool2d');
  return wrap(call(ops.maxPool2d, [handleOf(input, 'input'), kernel, o.stride ?? kernel, o.padding ?? 0, o.dilation ?? 1, o.ceilMode ?? false]));
}
export function maxPool3d(input: Tensor, kernelSize: Pair, o: PoolOptions = {}): Tensor {
  const kernel = poolKernel(kernelSize, 'maxPool3d');
  return wrap(call(ops.maxPool3d, [handleOf(input, 'input'), kernel, o.stride ?? kernel, o.padding ?? 0, o.dilation ?? 1, o.ceilMode ?? false]));
}
export function avgPool2d(input: Tensor, kernelSize: Pair, o: { stride?: Pair; padding?: Pair } = {}): Tensor {
  const kernel = poolKernel(kernelSize, 'avgPool2d');
  return wrap(call(ops.avgPool2d, [handleOf(input, 'input'), kernel, o.stride ?? kernel, o.padding ?? 0]));
}
export function avgPool3d(input: Tensor, kernelSize: Pair, o: { stride?: Pair; padding?: Pair } = {}): Tensor {
  const kernel = poolKernel(kernelSize, 'avgPool3d');
  return wrap(call(ops.avgPool3d, [handleOf(input, 'input'), kernel, o.stride ?? kernel, o.padding ?? 0]));
}

/** Resize (N, C, H, W) by `size` or `scaleFactor`, like `F.interpolate` for 'nearest' and 'bilinear'. */
export function interpolate(
  input: Tensor,
  o: { size?: readonly [number, number]; scaleFactor?: number | readonly [number, number]; mode?: 'nearest' | 'bilinear'; alignCorners?: boolean },
): Tensor {
  if ((o.size === undefined) === (o.scaleFactor === undefined)) throw invalidArgument('interpolate options', 'exactly one of size or scaleFactor', o);
  if (o.mode !== undefined && o.mode !== 'nearest' && o.mode !== 'bilinear') throw invalidArgument('interpolate mode', "'nearest' or 'bilinear' (the modes this resizes with)", o.mode);
  handleOf(input, 'input');
  if (input.ndim !== 4) throw new NormalityError('SHAPE_MISMATCH', `interpolate resizes (N, C, H, W) input but received shape [${input.shape.join(', ')}]. Add the batch and channel dims, e.g. x.reshape([1, 1, H, W]).`);
  const scales = o.scaleFactor === undefined ? null : typeof o.scaleFactor === 'number' ? [o.scaleFactor, o.scaleFactor] : o.scaleFactor;
  const size = o.size ?? null;
  if ((o.mode ?? 'nearest') === 'nearest') return wrap(call(ops.upsampleNearest2d, [handleOf(input, 'input'), size, scales]));
  return wrap(call(ops.upsampleBilinear2d, [handleOf(input, 'input'), size, o.alignCorners ?? false, scales]));
}

export const dropout = (input: Tensor, p = 0.5, training = true) => wrap(call(ops.dropout, [handleOf(input, 'input'), p, training]));

export const mseLoss = (input: Tensor, target: Tensor, reduction: Reduction = 'mean') => wrap(call(ops.mseLoss, [...sameShapes('mseLoss', input, target), reductionCode(reduction)]));
export const l1Loss = (input: Tensor, target: Tensor, reduction: Reduction = 'mean') => wrap(call(ops.l1Loss, [...sameShapes('l1Loss', input, target), reductionCode(reduction)]));

/**
 * A loss of input against target of another shape would broadcast them into a grid of every pair, which
 * PyTorch only warns about and which is almost always a slip ((N, 1) against (N,)): refused here.
 */
function sameShapes(loss: string, input: Tensor, target: Tensor): [unknown, unknown] {
  const handles: [unknown, unknown] = [handleOf(input, 'input'), handleOf(target, 'target')];
  if (input.shape.join(',') !== target.shape.join(',')) {
    throw new NormalityError('SHAPE_MISMATCH', `${loss} compares input and target of one shape but received [${input.shape.join(', ')}] and [${target.shape.join(', ')}]. Reshape one to the other's shape (e.g. target.reshape(input.shape)).`);
  }
  return handles;
}

/** max(‖a − p‖ − ‖a − n‖ + margin, 0), averaged (PyTorch's TripletMarginLoss, p = 2). */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, o: { margin?: number; p?: number; eps?: number; swap?: boolean; reduction?: Reduction } = {}): Tensor {
  return wrap(call(ops.tripletMarginLoss, [handleOf(anchor, 'anchor'), handleOf(positive, 'positive'), handleOf(negative, 'negative'), o.margin ?? 1, o.p ?? 2, o.eps ?? 1e-6, o.swap ?? false, reductionCode(o.reduction ?? 'mean')]));
}

/** x / max(‖x‖_p, eps) along `dim` (PyTorch's F.normalize). */
export function normalize(input: Tensor, o: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  handleOf(input, 'input'); // a clear error for a non-Tensor before the methods below are looked up on it
  const norm = input.norm(o.p ?? 2, o.dim ?? 1, true);
  const clamped = norm.clampMin(o.eps ?? 1e-12);
  norm.dispose();
  const expanded = clamped.expandAs(input);
  clamped.dispose();
  const out = input.div(expanded);
  expanded.dispose();
  return out;
}

export const cosineSimilarity = (a: Tensor, b: Tensor, dim = 1, eps = 1e-8) => wrap(call(ops.cosineSimilarity, [handleOf(a, 'a'), handleOf(b, 'b'), dim, eps]));

/** Constant padding; `pad` lists (left, right, top, bottom, ...) from the last dim backwards, like F.pad. */
export const pad = (input: Tensor, padding: readonly number[], value = 0) => wrap(call(ops.pad, [handleOf(input, 'input'), padding, value]));

/** Pairwise p-norm distances between the rows of (B, P, M) and (B, R, M). */
export const cdist = (a: Tensor, b: Tensor, p = 2) => wrap(call(ops.cdist, [handleOf(a, 'a'), handleOf(b, 'b'), p, null]));
