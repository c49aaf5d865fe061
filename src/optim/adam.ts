/** Adam (Kingma & Ba) with PyTorch's semantics: `torch.optim.Adam`, L2 weight decay added to the gradient. */
import { BaseAdam, type AdamOptions } from './adam-base.js';
import type { Params } from './optimizer.js';

export type { AdamOptions } from './adam-base.js';

export class Adam extends BaseAdam {
  /** Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, amsgrad and maximize off. */
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, options, false);
  }
}
