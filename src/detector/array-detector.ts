/** Detectors over sample arrays (images (N, C, H, W), tables (N, D)): batches of samples. */
import { noGrad } from '../tensor/grad-mode.js';
import { tidy } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import { BatchMaker, checkSamples, sampleCount } from './batches.js';
import { TorchDetector, type TrainingConfig } from './torch-detector.js';
import type { SampleArray } from './types.js';

export type { TrainingConfig, DetectorMetadata } from './torch-detector.js';

export abstract class ArrayDetector<Config extends TrainingConfig> extends TorchDetector<SampleArray, Config> {
  #batches: { data: SampleArray; maker: BatchMaker } | undefined;

  /** The sample shape this model takes, e.g. [1, 28, 28]; undefined accepts any. */
  protected abstract sampleShape(): readonly number[] | undefined;

  protected trainingItems(data: SampleArray): number {
    checkSamples(data, 'fit data', this.sampleShape());
    return sampleCount(data);
  }

  protected gatherTraining(data: SampleArray, order: Uint32Array, start: number, end: number): Tensor {
    if (this.#batches?.data !== data) this.#batches = { data, maker: new BatchMaker(data, this.config.device) };
    return this.#batches.maker.gather(order, start, end);
  }

  async score(data: SampleArray): Promise<Float64Array> {
    checkSamples(data, 'score data', this.sampleShape());
    this.#batches = undefined; // training is over: do not hold the training set
    const network: Module = this.network;
    network.eval();
    const n = sampleCount(data);
    const out = new Float64Array(n);
    const batches = new BatchMaker(data, this.config.device);
    const batchSize = Math.max(this.config.batchSize, 256);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const values = noGrad(() => tidy(() => this.mixed(() => this.scores(network, this.transform(batches.slice(start, end)))).to('float64').data<'float64'>()));
      out.set(values, start);
      if ((start / batchSize) % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  }
}
