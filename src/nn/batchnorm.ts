/**
 * Batch normalisation over the channel dim (PyTorch's `nn.BatchNorm1d/2d/3d`). In training it
 * normalises with the batch's statistics and updates the running ones in place:
 * running = (1 − momentum)·running + momentum·batch (unbiased variance), or a cumulative average
 * when momentum is null; in evaluation it normalises with the running statistics.
 */
import { NormalityError } from '../errors.js';
import { ones, zeros } from '../tensor/create.js';
import * as F from '../tensor/functional.js';
import { noGrad } from '../tensor/grad-mode.js';
import { keep } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { ones_, zeros_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { boolean, checkOptions, expectRank, expectSize, positiveInt, positiveNumber, probability } from './validate.js';

export interface BatchNormOptions {
  /** Added to the variance for stability; default 1e-5. */
  eps?: number;
  /** Weight of the new batch in the running statistics; null for a cumulative average. Default 0.1. */
  momentum?: number | null;
  /** Learn a per-channel scale (weight) and shift (bias); default true. */
  affine?: boolean;
  /** Keep running statistics for evaluation; default true. Without them evaluation uses batch statistics. */
  trackRunningStats?: boolean;
}

/** The shared base: `instanceof BatchNormNd` finds every batch norm (e.g. for custom initialisation in `apply`). */
export abstract class BatchNormNd extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** (C) scale, or null without `affine` */
  weight: Parameter | null;
  /** (C) shift, or null without `affine` */
  bias: Parameter | null;
  /** (C) buffers, or null without `trackRunningStats` */
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  /** int64 scalar: training batches seen so far */
  numBatchesTracked: Tensor | null;
  readonly #layer: string;
  readonly #ranks: readonly number[];
  readonly #layout: string;

  protected constructor(layer: string, ranks: readonly number[], layout: string, numFeatures: number, options: BatchNormOptions) {
    super();
    checkOptions(layer, options, ['eps', 'momentum', 'affine', 'trackRunningStats']);
    this.#layer = layer;
    this.#ranks = ranks;
    this.#layout = layout;
    this.numFeatures = positiveInt(layer, 'numFeatures', numFeatures);
    this.eps = positiveNumber(layer, 'eps', options.eps ?? 1e-5);
    this.momentum = options.momentum === null ? null : probability(layer, 'momentum', options.momentum ?? 0.1);
    this.affine = boolean(layer, 'affine', options.affine ?? true);
    this.trackRunningStats = boolean(layer, 'trackRunningStats', options.trackRunningStats ?? true);
    this.weight = this.affine ? Parameter.from(ones([numFeatures])) : null;
    this.bias = this.affine ? Parameter.from(zeros([numFeatures])) : null;
    // Buffers are kept so that a module built inside tidy() keeps them.
    this.runningMean = this.trackRunningStats ? keep(zeros([numFeatures])) : null;
    this.runningVar = this.trackRunningStats ? keep(ones([numFeatures])) : null;
    this.numBatchesTracked = this.trackRunningStats ? keep(zeros([], { dtype: 'int64' })) : null;
  }

  /** Running mean 0, running variance 1, no batches seen. */
  resetRunningStats(): void {
    if (this.runningMean !== null) zeros_(this.runningMean);
    if (this.runningVar !== null) ones_(this.runningVar);
    if (this.numBatchesTracked !== null) zeros_(this.numBatchesTracked);
  }

  /** Running statistics reset, weight 1, bias 0. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
  }

  forward(x: Tensor): Tensor {
    expectRank(this.#layer, x, this.#ranks, this.#layout);
    expectSize(this.#layer, x, 1, this.numFeatures, 'numFeatures');
    let factor = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked !== null) {
      noGrad(() => this.numBatchesTracked!.add_(1));
      if (this.momentum === null) factor = 1 / this.numBatchesTracked.item();
    }
    const batchStatistics = this.training || this.runningMean === null;
    if (batchStatistics && x.numel / this.numFeatures <= 1) {
      throw new NormalityError(
        'SHAPE_MISMATCH',
        `${this.#layer} needs more than 1 value per channel to compute batch statistics but received shape [${x.shape.join(', ')}]. ` +
          'Use a batch of 2 or more, or call eval() to use the running statistics.',
      );
    }
    // In training without trackRunningStats the running buffers are absent; in evaluation they are used.
    return F.batchNorm(x, this.runningMean, this.runningVar, {
      weight: this.weight, bias: this.bias, training: batchStatistics, momentum: factor, eps: this.eps,
    });
  }
}

/** (N, C) or (N, C, L). */
export class BatchNorm1d extends BatchNormNd {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm1d', [2, 3], '(N, C) or (N, C, L)', numFeatures, options);
  }
}

/** (N, C, H, W). */
export class BatchNorm2d extends BatchNormNd {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm2d', [4], '(N, C, H, W)', numFeatures, options);
  }
}

/** (N, C, T, H, W). */
export class BatchNorm3d extends BatchNormNd {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm3d', [5], '(N, C, T, H, W)', numFeatures, options);
  }
}
