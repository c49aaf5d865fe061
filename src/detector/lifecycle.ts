/**
 * Where a detector is in its life: built, trained (by fit, or weights loaded), disposed. A detector's
 * network is built on first use, so without this a score before fit would compute with random weights,
 * and a use after dispose() would quietly build a fresh random network; both give numbers that look
 * like answers. They are refused instead.
 */
import { NormalityError } from '../errors.js';
import { EventLoopTurns } from './event-loop-turns.js';
import { divergenceOf } from './training-run.js';

export class Lifecycle {
  #trained = false;
  #disposed = false;
  #training = false;
  #streams = 0;
  /** Why the last fit left weights that are not finite (it diverged); undefined when they are fine. */
  #broken: string | undefined;
  /** score() calls under way; fit waits for them after onEpoch, so that none runs on while the weights change. */
  #scorings = 0;
  #scoringsEnded: (() => void)[] = [];
  /** Aborted by dispose(): a fit in progress stops at its next step instead of stepping on freed weights. */
  readonly #disposal = new AbortController();

  constructor(private readonly modelName: () => string) {}

  /** Weights worth scoring with: after an epoch of fit, at its end, or when weights were loaded. */
  markTrained(): void {
    this.#trained = true;
    this.#broken = undefined;
  }

  markDisposed(): void {
    this.#disposed = true;
    // Also from inside onEpoch (between epochs): the fit stops at its next step. A later fit is refused first.
    this.#disposal.abort(new NormalityError('DISPOSED', `${this.modelName()} was disposed while fit() was running, so training stopped. Await fit() before dispose(), or stop it with fit's signal.`));
  }

  /**
   * Run fit's training steps. The weights change under every step, so while they run, scoring, saving and a
   * second fit are refused (BUSY) rather than done on half-trained weights; onEpoch runs in `between`.
   */
  async training<T>(work: () => Promise<T>): Promise<T> {
    this.requireAlive('fit');
    if (this.#training) throw this.#busy('fit it again');
    this.requireIdle('fit');
    this.#training = true;
    try {
      return await work();
    } catch (error) {
      // The step that met the non-finite loss has already written non-finite weights.
      this.#broken = divergenceOf(error) ?? this.#broken;
      throw error;
    } finally {
      this.#training = false;
    }
  }

  /**
   * Refuse what would change the weights (fit, loading weights) while fit or a score() or scoreStream runs on
   * them: a score's later batches would be scored by other weights than its first, an answer from two models.
   */
  requireIdle(action: string): void {
    if (this.#training) throw this.#busy(action);
    if (this.#streams > 0) {
      throw new NormalityError('BUSY', `${this.modelName()} is scoring ${this.#streams === 1 ? 'a stream' : `${this.#streams} streams`} (scoreStream): to ${action} now would change the weights under ${this.#streams === 1 ? 'it' : 'them'}. Finish or break out of the stream's loop first.`);
    }
    if (this.#scorings > 0) {
      throw new NormalityError('BUSY', `${this.modelName()} is scoring (${this.#scorings === 1 ? 'a call' : `${this.#scorings} calls`} of score, predict or the like still running): to ${action} now would change the weights under ${this.#scorings === 1 ? 'it' : 'them'}, and its later batches would be scored by other weights than its first. Await the scoring first.`);
    }
  }

  /**
   * A scoreStream begins: fit is refused until `close()`, when it ends. `turn()` after each frame gives the
   * event loop a turn now and then, as score's batches do: frames that come faster than they are scored
   * (a file, a pipe with frames waiting) would otherwise hold it, and no signal, timer or file write would
   * run until the stream ends. A dispose() that came meanwhile stops the stream there.
   */
  openStream(): { close(): void; turn(): Promise<void> } {
    this.#streams++;
    let open = true;
    const turns = new EventLoopTurns(16, undefined, () => this.requireAlive('go on scoring the stream'));
    return {
      close: () => {
        if (open) this.#streams--;
        open = false;
      },
      turn: async () => {
        if (turns.due()) await turns.take();
      },
    };
  }

  /**
   * Run a score()'s batches: a fit paused in onEpoch goes on only once they end. `work` gets its turns of
   * the event loop; after each, a dispose() that came meanwhile stops the scoring by name.
   */
  async scoring<T>(work: (turns: EventLoopTurns) => Promise<T>, everyItems?: number): Promise<T> {
    this.#scorings++; // at once, so that a fit's between() sees a score that onEpoch started
    try {
      return await work(new EventLoopTurns(everyItems, undefined, () => this.requireAlive('go on scoring')));
    } finally {
      if (--this.#scorings === 0) for (const resume of this.#scoringsEnded.splice(0)) resume();
    }
  }

  /**
   * Between two epochs the weights stand still: onEpoch may score or save them (train --validate). A score()
   * it started and did not await is waited for before training goes on; a scoreStream it left open stops fit.
   */
  async between<T>(work: () => T | Promise<T>): Promise<T> {
    const training = this.#training;
    const streams = this.#streams;
    this.#training = false;
    let result: T;
    try {
      result = await work();
    } finally {
      if (this.#scorings > 0) await new Promise<void>((resolve) => this.#scoringsEnded.push(resolve));
      this.#training = training;
    }
    if (this.#streams > streams) {
      throw new NormalityError('BUSY', `${this.modelName()}'s onEpoch left a scoreStream open, and training on would change the weights under it. Finish or break out of the stream's loop inside onEpoch.`);
    }
    return result;
  }

  /** After onEpoch: a detector it disposed stops training here, before the checkpoint touches freed weights. */
  stopIfDisposed(): void {
    if (this.#disposal.signal.aborted) throw this.#disposal.signal.reason;
  }

  /** The signal fit checks at every step: the caller's, or dispose(). */
  fitSignal(signal: AbortSignal | undefined): AbortSignal {
    return signal ? AbortSignal.any([signal, this.#disposal.signal]) : this.#disposal.signal;
  }

  requireAlive(action: string): void {
    if (this.#disposed) {
      throw new NormalityError('DISPOSED', `${this.modelName()} was asked to ${action} after dispose(), which freed its network. Load it again with loadDetector(path), or create a new detector.`);
    }
  }

  requireTrained(action: string): void {
    this.requireAlive(action);
    if (this.#training) throw this.#busy(action);
    if (this.#broken !== undefined) {
      throw new NormalityError('NOT_FITTED', `${this.modelName()}'s last fit diverged (${this.#broken}) and left weights that are not finite numbers, so there is nothing to ${action}. Fit it again (from fresh weights) with a lower lr or data checked for NaN, or loadDetector(path) a saved detector.`);
    }
    if (!this.#trained) {
      throw new NormalityError('NOT_FITTED', `${this.modelName()} has not been fitted, so to ${action} it would use untrained, random weights. Call fit(data) first, or loadDetector(path) for a saved detector.`);
    }
  }

  #busy(action: string): NormalityError {
    return new NormalityError('BUSY', `${this.modelName()} is still fitting: its weights change with every step, so to ${action} now would use half-trained weights. Await fit() first (or score from fit's onEpoch, between epochs).`);
  }
}
