/**
 * Where training stops between epochs, shared by every training loop: FitOptions.stopEarly (early stopping)
 * and FitOptions.maxSeconds (a time budget).
 */
import { invalidArgument } from '../errors.js';
import type { FitOptions, FitReport } from './types.js';

export class TimeBudget {
  readonly #started = performance.now();
  readonly #maxSeconds: number | undefined;

  constructor(maxSeconds: number | undefined) {
    if (maxSeconds !== undefined && !(maxSeconds > 0)) throw invalidArgument('maxSeconds', 'a positive number of seconds', maxSeconds);
    this.#maxSeconds = maxSeconds;
  }

  /** Whether another epoch as long as the last one (`epochSeconds`) would end past the budget. */
  nextEpochOverruns(epochSeconds: number): boolean {
    if (this.#maxSeconds === undefined) return false;
    return (performance.now() - this.#started) / 1000 + epochSeconds > this.#maxSeconds;
  }
}

/** Asked after every epoch, once its checkpoint is written: `stopEarly` first, then the time budget. */
export class EpochStops {
  readonly #budget: TimeBudget;
  readonly #stopEarly: (() => boolean) | undefined;
  #stoppedEarly = false;

  constructor(options: Pick<FitOptions, 'maxSeconds' | 'stopEarly'>) {
    this.#budget = new TimeBudget(options.maxSeconds);
    this.#stopEarly = options.stopEarly;
  }

  /** Whether training ends after `epochsDone` of `epochs`; `epochStart` is when that epoch began. */
  after(epochsDone: number, epochs: number, epochStart: number): boolean {
    if (epochsDone < epochs && this.#stopEarly?.()) {
      this.#stoppedEarly = true;
      return true;
    }
    // The time the epoch's callback took (validation) counts towards the next epoch's too.
    return this.#budget.nextEpochOverruns((performance.now() - epochStart) / 1000);
  }

  /** The report's account of why training ended before `epochs`, if it did. */
  outcome(epochsDone: number, epochs: number): Pick<FitReport, 'stoppedByTime' | 'stoppedEarly'> {
    return { stoppedByTime: epochsDone < epochs && !this.#stoppedEarly, stoppedEarly: this.#stoppedEarly };
  }
}
