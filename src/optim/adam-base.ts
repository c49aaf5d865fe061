/**
 * The update Adam and AdamW share, exactly as PyTorch 1.13's single-tensor implementation computes it
 * (with `foreach` list ops, which do the same arithmetic per tensor):
 *
 *   g = ±∇ (+ weightDecay·θ for Adam; AdamW instead scales θ by 1 − lr·weightDecay)
 *   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  v̂max = max(v̂max, v) with amsgrad
 *   θ −= lr / (1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
 *
 * A parameter's step count t advances only on steps where it has a gradient, so parameters of one
 * group may be at different steps; those are updated in one list call per distinct step.
 */
import { checkOptionKeys } from '../config/option-keys.js';
import type { Tensor } from '../tensor/tensor.js';
import * as foreach from './foreach.js';
import { Optimizer, withDefaults, type BaseOptions, type ParamGroup, type Params } from './optimizer.js';
import type { StateKeys } from './state-dict.js';
import { checkBetas, checkBoolean, checkNonNegative } from './validate.js';

export interface AdamOptions extends BaseOptions {
  /** Learning rate, default 1e-3. */
  lr: number;
  /** Decay rates of the gradient's running mean and of its square, default [0.9, 0.999]. */
  betas: readonly [number, number];
  /** Added to the denominator for numerical stability, default 1e-8. */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay of the weights (default 1e-2). */
  weightDecay: number;
  /** Use the maximum of all second-moment estimates so far (AMSGrad). */
  amsgrad: boolean;
  /** Maximise the objective instead of minimising it. */
  maximize: boolean;
}

type AdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq?: Tensor };

export abstract class BaseAdam extends Optimizer<AdamOptions, AdamState> {
  protected readonly stateKeys: StateKeys = { required: ['step', 'expAvg', 'expAvgSq'], optional: ['maxExpAvgSq'] };
  /** AdamW's decay: scale the weights instead of adding weightDecay·θ to the gradient. */
  readonly #decoupled: boolean;

  protected constructor(name: string, params: Params<AdamOptions>, options: Partial<AdamOptions>, decoupled: boolean) {
    const defaults: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: decoupled ? 1e-2 : 0, amsgrad: false, maximize: false };
    // Options come from plain JavaScript too: a misspelt one (weight_decay) would be kept and change nothing.
    checkOptionKeys(name, options, Object.keys(defaults));
    super(name, params, withDefaults(defaults, options ?? {}));
    this.#decoupled = decoupled;
  }

  protected checkOptions(o: AdamOptions, label: string): void {
    checkNonNegative(o.lr, `${label} lr`);
    checkNonNegative(o.eps, `${label} eps`);
    checkBetas(o.betas, label);
    checkNonNegative(o.weightDecay, `${label} weightDecay`);
    checkBoolean(o.amsgrad, `${label} amsgrad`);
    checkBoolean(o.maximize, `${label} maximize`);
  }

  #stateOf(p: Tensor, amsgrad: boolean): AdamState {
    let state = this.state.get(p);
    if (state === undefined) {
      state = { step: 0, expAvg: this.zerosLike(p), expAvgSq: this.zerosLike(p) };
      this.state.set(p, state);
    }
    if (amsgrad && state.maxExpAvgSq === undefined) state.maxExpAvgSq = this.zerosLike(p);
    return state;
  }

  protected updateGroup(group: ParamGroup<AdamOptions>): void {
    const { params, grads } = this.withGradients(group);
    if (params.length === 0) return;
    const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize } = group;
    const states = params.map((p) => this.#stateOf(p, amsgrad));
    let g = maximize ? foreach.neg(grads) : grads;
    if (weightDecay !== 0) {
      if (this.#decoupled) foreach.mul_(params, 1 - lr * weightDecay);
      else g = foreach.add(g, params, weightDecay);
    }
    const expAvgs = states.map((s) => s.expAvg);
    const expAvgSqs = states.map((s) => s.expAvgSq);
    foreach.mul_(expAvgs, beta1);
    foreach.add_(expAvgs, g, 1 - beta1);
    foreach.mul_(expAvgSqs, beta2);
    foreach.addcmul_(expAvgSqs, g, g, 1 - beta2);
    let second = expAvgSqs;
    if (amsgrad) {
      second = states.map((s) => s.maxExpAvgSq!);
      foreach.maximum_(second, expAvgSqs);
    }
    for (const s of states) s.step += 1;
    for (const [step, indices] of byStep(states)) {
      const pick = <T>(list: T[]): T[] => (indices.length === list.length ? list : indices.map((i) => list[i]!));
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      const denom = foreach.sqrt(pick(second));
      foreach.div_(denom, Math.sqrt(biasCorrection2));
      foreach.addScalar_(denom, eps);
      foreach.addcdiv_(pick(params), pick(expAvgs), denom, -(lr / biasCorrection1));
    }
  }
}

/** Indices of the states by step count (one entry when the whole group is at the same step). */
function byStep(states: readonly AdamState[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const [i, s] of states.entries()) {
    const list = groups.get(s.step);
    if (list === undefined) groups.set(s.step, [i]);
    else list.push(i);
  }
  return groups;
}
