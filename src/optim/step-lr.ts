/** Multiply the learning rate by `gamma` every `stepSize` epochs (PyTorch's `StepLR`). */
import { checkOptionKeys } from '../config/option-keys.js';
import type { Optimizer } from './optimizer.js';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler.js';
import { checkPositive, checkPositiveInteger } from './validate.js';

export interface StepLROptions extends SchedulerOptions {
  stepSize: number;
  /** Default 0.1. */
  gamma?: number;
}

const OPTION_KEYS: readonly (keyof StepLROptions)[] = ['stepSize', 'gamma', 'lastEpoch'];

export class StepLR extends LRScheduler {
  stepSize!: number;
  gamma!: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    // Options come from plain JavaScript too: a misspelt one would leave its default in place.
    checkOptionKeys('StepLR', options, OPTION_KEYS);
    super('StepLR', optimizer, options ?? {});
    this.applySettings({ stepSize: options?.stepSize, gamma: options?.gamma ?? 0.1 });
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected settings(): Record<string, unknown> {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  protected applySettings(s: Record<string, unknown>): void {
    checkPositiveInteger(s.stepSize, 'StepLR stepSize');
    checkPositive(s.gamma, 'StepLR gamma');
    this.stepSize = s.stepSize as number;
    this.gamma = s.gamma as number;
  }
}
