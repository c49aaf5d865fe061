/** FitOptions.maxSeconds: a training time budget checked at epoch boundaries, shared by every training loop. */
import { invalidArgument } from '../errors.js';

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
