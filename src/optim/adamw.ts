/**
 * AdamW (Loshchilov & Hutter): Adam whose weight decay scales the weights directly, θ ← θ·(1 − lr·weightDecay),
 * instead of entering the moment estimates; PyTorch's `torch.optim.AdamW`, default weightDecay 1e-2.
 */
import { BaseAdam, type AdamOptions } from './adam-base.js';
import type { Params } from './optimizer.js';

export class AdamW extends BaseAdam {
  /** Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 1e-2, amsgrad and maximize off. */
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', params, options, true);
  }
}
