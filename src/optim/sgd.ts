/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum, L2 weight decay and maximize,
 * exactly as PyTorch's `torch.optim.SGD` (1.13 / 2.x):
 *
 *   d = ±g + weightDecay·θ;  b = d on the first step, else momentum·b + (1 − dampening)·d;
 *   d = nesterov ? d + momentum·b : b;  θ −= lr·d
 */
import { checkOptionKeys } from '../config/option-keys.js';
import { NormalityError } from '../errors.js';
import { keep } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import * as foreach from './foreach.js';
import { Optimizer, withDefaults, type BaseOptions, type ParamGroup, type Params } from './optimizer.js';
import type { StateKeys } from './state-dict.js';
import { checkBoolean, checkFinite, checkNonNegative } from './validate.js';

export interface SGDOptions extends BaseOptions {
  /** Learning rate (required, as in PyTorch 1.13). */
  lr: number;
  /** Momentum factor; 0 (the default) turns momentum off. */
  momentum: number;
  /** Dampening of the gradient added to the momentum buffer. */
  dampening: number;
  /** L2 penalty added to the gradient: weightDecay·θ. */
  weightDecay: number;
  nesterov: boolean;
  /** Maximise the objective instead of minimising it. */
  maximize: boolean;
}

type SGDState = { momentumBuffer?: Tensor };

const DEFAULTS: Omit<SGDOptions, 'lr'> = { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
const OPTION_KEYS = ['lr', ...Object.keys(DEFAULTS)];

export class SGD extends Optimizer<SGDOptions, SGDState> {
  protected readonly stateKeys: StateKeys = { required: [], optional: ['momentumBuffer'] };

  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    // Options come from plain JavaScript too: a misspelt one (momentun) would be kept and change nothing.
    checkOptionKeys('SGD', options, OPTION_KEYS);
    // lr has no default: left out, it stays undefined and checkOptions says so.
    super('SGD', params, withDefaults(DEFAULTS as SGDOptions, options ?? {}));
  }

  protected checkOptions(o: SGDOptions, label: string): void {
    checkNonNegative(o.lr, `${label} lr`);
    checkNonNegative(o.momentum, `${label} momentum`);
    checkNonNegative(o.weightDecay, `${label} weightDecay`);
    checkFinite(o.dampening, `${label} dampening`);
    checkBoolean(o.nesterov, `${label} nesterov`);
    checkBoolean(o.maximize, `${label} maximize`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new NormalityError(
        'INVALID_ARGUMENT',
        `Expected momentum > 0 and dampening 0 for ${label} nesterov but received momentum ${o.momentum} and dampening ${o.dampening}. Set momentum (e.g. 0.9) and leave dampening at 0, or turn nesterov off.`,
      );
    }
  }

  protected updateGroup(group: ParamGroup<SGDOptions>): void {
    const { params, grads } = this.withGradients(group);
    if (params.length === 0) return;
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    let d = maximize ? foreach.neg(grads) : grads;
    if (weightDecay !== 0) d = foreach.add(d, params, weightDecay);
    if (momentum !== 0) {
      const buffers: Tensor[] = [];
      const running: number[] = []; // parameters whose buffer existed before this step
      for (const [i, p] of params.entries()) {
        const existing = this.state.get(p)?.momentumBuffer;
        if (existing !== undefined) {
          buffers.push(existing);
          running.push(i);
          continue;
        }
        // The first step starts the buffer at d itself, without dampening, like PyTorch.
        const started = keep(d[i]!.clone());
        this.state.set(p, { momentumBuffer: started });
        buffers.push(started);
      }
      if (running.length > 0) {
        const old = running.length === params.length ? buffers : running.map((i) => buffers[i]!);
        foreach.mul_(old, momentum);
        foreach.add_(old, running.length === params.length ? d : running.map((i) => d[i]!), 1 - dampening);
      }
      d = nesterov ? foreach.add(d, buffers, momentum) : buffers;
    }
    foreach.add_(params, d, -lr);
  }
}
