/** Detectors over sample arrays (images (N, C, H, W), tables (N, D)): batches of samples. */
import { described, invalidArgument } from '../errors.js';
import { noGrad } from '../tensor/grad-mode.js';
import { tidy } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import { BatchMaker, checkSampleShape, checkSamples, sampleCount } from './batches.js';
import { TorchDetector, type TrainingConfig } from './torch-detector.js';
import type { SampleArray } from './types.js';

export type { TrainingConfig, DetectorMetadata } from './torch-detector.js';

export abstract class ArrayDetector<Config extends TrainingConfig> extends TorchDetector<SampleArray, Config> {
  #batches: { data: SampleArray; maker: BatchMaker } | undefined;

  /** The sample shape this model takes, e.g. [1, 28, 28]; undefined accepts any. */
  protected abstract sampleShape(): readonly number[] | undefined;

  /** Values the model cannot take though they are finite (images: pixels outside [0, 1]); none by default. */
  protected checkValues(_data: SampleArray, _name: string): void {}

  protected trainingItems(data: SampleArray): number {
    checkSamples(data, 'fit data', this.sampleShape());
    this.checkValues(data, 'fit data');
    // Labels are not used in training, so anomalies labelled as such would be learnt as normal: a slip (a
    // split's test part given to fit), refused. Unlabelled data trains as it is, whatever it holds.
    const { labels } = data as { labels?: ArrayLike<number> };
    let anomalies = 0;
    for (let i = 0; i < (labels?.length ?? 0); i++) if (labels![i] !== 0) anomalies++;
    if (labels && anomalies > 0) {
      throw invalidArgument('fit data.labels', 'normal samples to learn from (every label 0), or no labels', described(anomalies === labels.length ? `all ${labels.length} samples labelled anomalous` : `${anomalies} of ${labels.length} samples labelled anomalous`),
        'Fit on normal data (the train part of a split, not its test part), or leave the labels out to train on every sample as it is.');
    }
    return sampleCount(data);
  }

  protected gatherTraining(data: SampleArray, order: Uint32Array, start: number, end: number): Tensor {
    if (this.#batches?.data !== data) this.#batches = { data, maker: new BatchMaker(data, this.config.device) };
    return this.#batches.maker.gather(order, start, end);
  }

  /** Checked samples as the network takes them (tables: their columns in the model's order); as they are by default. */
  protected arrangeSamples(data: SampleArray, _name: string): SampleArray {
    return data;
  }

  async score(data: SampleArray): Promise<Float64Array> {
    const scores = await this.evaluateBatches(data, 'score data', (n) => new Float64Array(n), (network, batch) => this.scores(network, batch).to('float64'));
    // Inputs are finite (checkSamples), so a score that is not comes from float32 arithmetic overflowing on
    // huge values: no ranking can be read from it.
    const overflowed = scores.findIndex((v) => !Number.isFinite(v));
    if (overflowed >= 0) {
      const size = scores.length > 0 ? data.x.length / scores.length : 0;
      let largest = 0;
      for (let k = overflowed * size; k < (overflowed + 1) * size; k++) largest = Math.max(largest, Math.abs(data.x[k]!));
      throw invalidArgument(`score data sample ${overflowed}`, 'values whose reconstruction error fits in 32-bit floats', described(`a score of ${scores[overflowed]}, from values up to ${largest.toPrecision(3)} in magnitude`),
        'Clip or rescale extreme values (a logarithm for heavy-tailed columns) before scoring.');
    }
    return scores;
  }

  /**
   * Run `compute` over the samples batch by batch, in eval mode and without gradients, and gather its
   * outputs (the same number of values for each sample) into `allocate(n)`.
   */
  protected async evaluateBatches<Out extends Float32Array | Float64Array>(data: SampleArray, name: string, allocate: (n: number) => Out,
    compute: (network: Module, batch: Tensor) => Tensor): Promise<Out> {
    // Named columns are matched first, so that a missing one is named rather than counted in a shape.
    checkSamples(data, name);
    data = this.arrangeSamples(data, name);
    checkSampleShape(data, name, this.sampleShape());
    this.checkValues(data, name);
    this.lifecycle.requireTrained(`compute ${name.replace(/ data$/, 's')}`); // 'score data' → 'compute scores'
    this.#batches = undefined; // training is over: do not hold the training set
    const network: Module = this.network;
    network.eval();
    const n = sampleCount(data);
    const out = allocate(n);
    const perSample = out.length / n;
    const batches = new BatchMaker(data, this.config.device);
    const batchSize = Math.max(this.config.batchSize, 256);
    return this.lifecycle.scoring(async (turns) => {
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        const values = noGrad(() => tidy(() => {
          const result = this.mixed(() => compute(network, this.transform(batches.slice(start, end))));
          return result.data(result.dtype); // float64 scores, float32 maps and errors
        }));
        out.set(values as Out, start * perSample);
        if (turns.due()) await turns.take();
      }
      return out;
    });
  }
}
