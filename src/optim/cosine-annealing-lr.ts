/**
 * Cosine annealing from each group's initial rate down to `etaMin` over `tMax` epochs and back up over the
 * next `tMax` (PyTorch's `CosineAnnealingLR`, without restarts). Like PyTorch it updates the current rate
 * recursively, so changes made to `lr` by others carry through; on its own it follows the closed form
 *
 *   lr(t) = etaMin + (initialLr − etaMin) · (1 + cos(π·t / tMax)) / 2
 */
import { checkOptionKeys } from '../config/option-keys.js';
import type { Optimizer } from './optimizer.js';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler.js';
import { checkNonNegative, checkPositiveInteger } from './validate.js';

export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Epochs from the initial rate down to etaMin. */
  tMax: number;
  /** The lowest rate, default 0. */
  etaMin?: number;
}

const OPTION_KEYS: readonly (keyof CosineAnnealingLROptions)[] = ['tMax', 'etaMin', 'lastEpoch'];

export class CosineAnnealingLR extends LRScheduler {
  tMax!: number;
  etaMin!: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    // Options come from plain JavaScript too: a misspelt one would leave its default in place.
    checkOptionKeys('CosineAnnealingLR', options, OPTION_KEYS);
    super('CosineAnnealingLR', optimizer, options ?? {});
    this.applySettings({ tMax: options?.tMax, etaMin: options?.etaMin ?? 0 });
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { tMax, etaMin, lastEpoch: t, baseLrs } = this;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr);
    // Resumed with lastEpoch: jump straight to the closed form.
    if (this.stepCount === 1 && t > 0) return baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((t * Math.PI) / tMax))) / 2);
    // At the bottom the recursive ratio below would divide by zero: step up by the first increment instead.
    if ((t - 1 - tMax) % (2 * tMax) === 0) return groups.map((g, i) => g.lr + ((baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
    return groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }

  protected settings(): Record<string, unknown> {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }

  protected applySettings(s: Record<string, unknown>): void {
    checkPositiveInteger(s.tMax, 'CosineAnnealingLR tMax');
    checkNonNegative(s.etaMin, 'CosineAnnealingLR etaMin');
    this.tMax = s.tMax as number;
    this.etaMin = s.etaMin as number;
  }
}
