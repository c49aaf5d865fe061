/**
 * `train --validate`, `--keep-best` and `--patience`: after every epoch, score labelled held-out data and print
 * its AUC (anomalib's validation step); with --keep-best, the model saved at the end is the epoch that scored
 * best; with --patience N, training stops once N epochs have passed without a better one (early stopping).
 * Reconstruction models keep learning to rebuild anomalies as they train (MemAE on KDDCUP99 peaks after 2–3
 * epochs), so which epoch to keep is a real question, and this answers it with the user's own labels.
 *
 * The history and the best epoch's weights live beside the output (<out>.validation.json, <out>.best) until
 * training ends, so that a rerun after a kill goes on with them, as training goes on from <out>.training.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Detector } from '../detector/types.js';
import { badFile } from '../errors.js';
import { writeAtomically } from '../report/results.js';

/** Labelled held-out data and the metric of its scores (higher = better). */
export interface ValidationData<D> {
  data: D;
  metric: (scores: Float64Array) => number;
  /** The metric's name for the log and the report, e.g. 'auc'. */
  name: string;
}

export interface ValidationSummary {
  metric: string;
  /** The metric after each epoch; NaN (null in JSON) for an epoch trained without --validate. */
  values: number[];
  /** The best epoch, counted from 1. */
  bestEpoch: number;
  best: number;
}

export class EpochValidation<D> {
  readonly historyPath: string;
  readonly bestPath: string;
  readonly #detector: Detector<D>;
  readonly #setup: ValidationData<D>;
  readonly #keepBest: boolean;
  #values: number[] = [];
  #bestEpoch = 0;
  /** The validation data's count and digest: a rerun that validates on other data (another --max-test) cannot extend this history. */
  readonly #data: { items: number; digest: string };

  /** `data` is the validation data's `dataDigest`, which train has taken for its own record already. */
  constructor(detector: Detector<D>, setup: ValidationData<D>, out: string, keepBest: boolean, data: { items: number; digest: string }) {
    this.#detector = detector;
    this.#setup = setup;
    this.#keepBest = keepBest;
    this.historyPath = `${out}.validation.json`;
    this.bestPath = `${out}.best`;
    this.#data = data;
    if (existsSync(this.historyPath)) this.#readHistory();
  }

  /** Score the held-out data after epoch `epoch` (counted from 0); returns the text for the epoch's log line. */
  async afterEpoch(epoch: number): Promise<string> {
    // A rerun goes on from the training checkpoint's epoch. Entries past it came from epochs that are trained
    // again (a kill between this file and the checkpoint); the same seed retrains them to the same weights.
    if (this.#values.length > epoch) this.#values.length = epoch;
    // Epochs trained without --validate (a part of the run before it was given) have no value: NaN (null in
    // JSON) keeps each value at its own epoch, so the best epoch and the patience count epochs right.
    if (this.#values.length < epoch) {
      console.error(`note: epoch${epoch - this.#values.length === 1 ? '' : 's'} ${this.#values.length + 1}${epoch - this.#values.length === 1 ? '' : `–${epoch}`} trained without --validate: no validation ${this.#setup.name} for ${epoch - this.#values.length === 1 ? 'it' : 'them'}`);
      while (this.#values.length < epoch) this.#values.push(NaN);
    }
    if (this.#bestEpoch > epoch) this.#bestEpoch = argmax(this.#values) + 1;
    const value = this.#setup.metric(await this.#detector.score(this.#setup.data));
    this.#values.push(value);
    const improved = this.#bestEpoch === 0 || value > this.#values[this.#bestEpoch - 1]!;
    if (improved) {
      this.#bestEpoch = epoch + 1;
      if (this.#keepBest) this.#detector.save(this.bestPath);
    }
    await writeAtomically(this.historyPath, `${JSON.stringify({ metric: this.#setup.name, keepBest: this.#keepBest, values: this.#values, bestEpoch: this.#bestEpoch, data: this.#data })}\n`);
    return `validation ${this.#setup.name} ${value.toFixed(4)}${improved ? ' (best so far)' : ''}`;
  }

  /** Whether `patience` epochs have passed since the best one (early stopping); never with patience 0. */
  noImprovementFor(patience: number): boolean {
    return patience > 0 && this.#bestEpoch > 0 && this.#values.length - this.#bestEpoch >= patience;
  }

  get summary(): ValidationSummary {
    return { metric: this.#setup.name, values: [...this.#values], bestEpoch: this.#bestEpoch, best: this.#values[this.#bestEpoch - 1] ?? NaN };
  }

  /** Training finished: the next run starts afresh. */
  remove(): void {
    rmSync(this.historyPath, { force: true });
    rmSync(this.bestPath, { force: true });
  }

  #readHistory(): void {
    const history = JSON.parse(readFileSync(this.historyPath, 'utf8')) as Partial<{ metric: string; keepBest: boolean; values: number[]; bestEpoch: number; data: { items: number; digest: string } }>;
    if (history.metric !== this.#setup.name || !Array.isArray(history.values) || !Number.isInteger(history.bestEpoch)) {
      throw badFile(this.historyPath, `is not the validation history of this training (${this.#setup.name} after each epoch)`,
        'Delete it, and the .training checkpoint beside it, to train afresh.');
    }
    if (history.keepBest !== this.#keepBest) {
      throw badFile(this.historyPath, `was written by a run ${history.keepBest ? 'with' : 'without'} --keep-best, so the best epoch's weights ${history.keepBest ? 'are kept' : 'were not kept'}`,
        `Rerun with${history.keepBest ? '' : 'out'} --keep-best to go on, or delete it and the .training checkpoint beside it to train afresh.`);
    }
    // (Histories written before the data was recorded are taken as they are.)
    if (history.data && (history.data.items !== this.#data.items || history.data.digest !== this.#data.digest)) {
      const there = history.data.items === this.#data.items ? `other data of the same size (${this.#data.items})` : `${history.data.items} samples or frames there, ${this.#data.items} here`;
      throw badFile(this.historyPath, `holds validation ${this.#setup.name}s of other validation data (${there}), which cannot be compared with this run's to pick the best epoch or stop early`,
        'Rerun with the validation data it began with (the same --max-test), or delete it and the .training checkpoint beside it to train afresh.');
    }
    this.#values = history.values.map((v) => (v === null ? NaN : v)); // an epoch without a value is null in JSON
    this.#bestEpoch = history.bestEpoch!;
  }
}

/** The index of the largest value, NaN (an epoch without one) left out; -1 when there is none. */
function argmax(values: readonly number[]): number {
  let best = -1;
  values.forEach((v, i) => { if (!Number.isNaN(v) && (best < 0 || v > values[best]!)) best = i; });
  return best;
}
