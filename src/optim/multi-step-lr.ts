/**
 * Multiply the learning rate by `gamma` at each milestone epoch (PyTorch's `MultiStepLR`); a milestone
 * listed twice multiplies by gamma² there.
 */
import { checkOptionKeys } from '../config/option-keys.js';
import { invalidArgument } from '../errors.js';
import type { Optimizer } from './optimizer.js';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler.js';
import { checkPositive } from './validate.js';

export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which to decay, in any order. */
  milestones: readonly number[];
  /** Default 0.1. */
  gamma?: number;
}

const OPTION_KEYS: readonly (keyof MultiStepLROptions)[] = ['milestones', 'gamma', 'lastEpoch'];

export class MultiStepLR extends LRScheduler {
  /** Sorted, with repeats. */
  milestones!: number[];
  gamma!: number;
  #counts = new Map<number, number>();

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    // Options come from plain JavaScript too: a misspelt one would leave its default in place.
    checkOptionKeys('MultiStepLR', options, OPTION_KEYS);
    super('MultiStepLR', optimizer, options ?? {});
    this.applySettings({ milestones: options?.milestones, gamma: options?.gamma ?? 0.1 });
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const count = this.#counts.get(this.lastEpoch);
    if (count === undefined) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  protected settings(): Record<string, unknown> {
    return { milestones: [...this.milestones], gamma: this.gamma };
  }

  protected applySettings(s: Record<string, unknown>): void {
    const { milestones } = s;
    if (!Array.isArray(milestones) || !milestones.every((m) => Number.isInteger(m) && m >= 0)) {
      throw invalidArgument('MultiStepLR milestones', 'an array of epoch numbers (integers >= 0)', milestones, 'Pass e.g. milestones: [30, 80].');
    }
    checkPositive(s.gamma, 'MultiStepLR gamma');
    this.milestones = [...(milestones as number[])].sort((a, b) => a - b);
    this.gamma = s.gamma as number;
    this.#counts = new Map();
    for (const m of this.milestones) this.#counts.set(m, (this.#counts.get(m) ?? 0) + 1);
  }
}
