/**
 * Where a detector is in its life: built, trained (by fit, or weights loaded), disposed. A detector's
 * network is built on first use, so without this a score before fit would compute with random weights,
 * and a use after dispose() would quietly build a fresh random network; both give numbers that look
 * like answers. They are refused instead.
 */
import { NormalityError } from '../errors.js';

export class Lifecycle {
  #trained = false;
  #disposed = false;

  constructor(private readonly modelName: () => string) {}

  /** Weights worth scoring with: after an epoch of fit, at its end, or when weights were loaded. */
  markTrained(): void {
    this.#trained = true;
  }

  markDisposed(): void {
    this.#disposed = true;
  }

  requireAlive(action: string): void {
    if (this.#disposed) {
      throw new NormalityError('DISPOSED', `${this.modelName()} was asked to ${action} after dispose(), which freed its network. Load it again with loadDetector(path), or create a new detector.`);
    }
  }

  requireTrained(action: string): void {
    this.requireAlive(action);
    if (!this.#trained) {
      throw new NormalityError('NOT_FITTED', `${this.modelName()} has not been fitted, so to ${action} it would use untrained, random weights. Call fit(data) first, or loadDetector(path) for a saved detector.`);
    }
  }
}
