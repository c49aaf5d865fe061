/**
 * The shared machinery of detectors trained by mini-batch gradient descent: seeding, shuffling, the
 * training loop with progress, resumable training checkpoints, thresholds and saving. Subclasses say
 * what a training item is (a sample, a video clip) and how to score; models supply network, loss, score.
 */
import { existsSync } from 'node:fs';
import { Rng } from '../data/random.js';
import { thresholdFromContamination } from '../metrics/percentile.js';
import { libraryVersion } from '../report/version.js';
import { jsonMetadata } from '../checkpoint/safetensors.js';
import { EpochStops } from './time-budget.js';
import { runIdentity } from './run-identity.js';
import { saveTensors } from '../checkpoint/tensors.js';
import { tidy } from '../tensor/memory.js';
import { Lifecycle } from './lifecycle.js';
import { EventLoopTurns } from './event-loop-turns.js';
import { contaminationFor, savedThreshold, thresholdSettingsChanged, usableThreshold } from './threshold.js';
import { checkFitOptions, divergedError, divergenceOf, throwIfAborted } from './training-run.js';
import { manualSeed } from '../tensor/runtime.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { shuffledIndices } from './batches.js';
import { epochsAndBatchSize, frozenConfig, type TrainingConfig } from './training-settings.js';
import type { Detector, FitOptions, FitReport, SampleArray } from './types.js';
import type { VideoSet } from './video.js';
import { loadWeightsInto } from './weights.js';
import { resumeTrainingCheckpoint, writeTrainingCheckpoint } from './training-checkpoint.js';
import { inPrecision } from './precision.js';

export type { TrainingConfig } from './training-settings.js';

/** What a saved detector file holds besides the weights (stored as JSON strings in the metadata). */
export interface DetectorMetadata {
  model: string;
  config: Record<string, unknown>;
  version: string;
  threshold: number | null;
  normalization: Record<string, unknown> | null;
}

export abstract class TorchDetector<Data, Config extends TrainingConfig> implements Detector<Data> {
  abstract readonly modelName: string;
  readonly config: Readonly<Config>;
  threshold: number | undefined;
  /** Per-feature statistics some models apply to their input (tables); saved with the weights. */
  protected normalization: Record<string, unknown> | null = null;
  #network: Module | undefined;
  /** Refuses scoring and saving before training, and any use after dispose(). */
  protected readonly lifecycle = new Lifecycle(() => this.modelName);

  constructor(config: Config) {
    this.config = frozenConfig(config);
  }

  /** Check the data and return how many training items (samples, clips) it holds. */
  protected abstract trainingItems(data: Data): number;
  /** Training items `order[start..end)` as one batch tensor on the configured device. */
  protected abstract gatherTraining(data: Data, order: Uint32Array, start: number, end: number): Tensor;
  /** How many of the `n` shuffled items one epoch trains on (default all; video models may cap it). */
  protected itemsPerEpoch(n: number): number {
    return n;
  }
  /** One anomaly score per item of `data` (higher = more anomalous). */
  abstract score(data: Data): Promise<Float64Array>;
  protected abstract buildNetwork(): Module;
  protected abstract buildOptimizer(network: Module): Optimizer;
  /** The training loss of one batch (a scalar tensor). */
  protected abstract loss(network: Module, batch: Tensor): Tensor;
  /** One anomaly score per sample of the batch, (B,). */
  protected abstract scores(network: Module, batch: Tensor): Tensor;
  /** Hook for models that fit statistics of the training data before training (e.g. min-max scaling). */
  protected prepare(_data: Data): void {}
  /** A value of training items `order[start..end)` that explains a NaN loss, for data not checked up front. */
  protected badTrainingValue(_data: Data, _order: Uint32Array, _start: number, _end: number): string | undefined {
    return undefined;
  }
  /** Hook to transform a batch before the network sees it. */
  protected transform(batch: Tensor): Tensor {
    return batch;
  }

  /** Run a forward computation in the configured precision. */
  protected mixed<T>(fn: () => T): T {
    return inPrecision(this.config, fn);
  }

  get network(): Module {
    this.lifecycle.requireAlive('use its network');
    if (!this.#network) {
      manualSeed(this.config.seed);
      this.#network = this.buildNetwork();
      this.#network.to(this.config.device);
    }
    return this.#network;
  }

  async fit(data: Data, options: FitOptions = {}): Promise<FitReport> {
    checkFitOptions(this.modelName, options);
    const started = performance.now();
    const report = await this.lifecycle.training(() => this.#trainEpochs(data, options, this.lifecycle.fitSignal(options.signal))).catch((error: unknown) => {
      // Non-finite weights are nothing to go on from: the next fit starts from the seed's fresh ones.
      if (divergenceOf(error) !== undefined) this.#dropNetwork();
      throw error;
    });
    if (this.config.contamination > 0) {
      options.beforeThreshold?.({ contamination: this.config.contamination });
      this.fitThreshold(await this.score(data), this.config.contamination);
    }
    return { ...report, seconds: (performance.now() - started) / 1000 };
  }

  /** fit's epochs; `signal` is the caller's or dispose(). */
  async #trainEpochs(data: Data, options: FitOptions, signal: AbortSignal): Promise<Omit<FitReport, 'seconds'>> {
    throwIfAborted(signal);
    const n = this.trainingItems(data);
    const { epochs, batchSize } = epochsAndBatchSize(options, this.config);
    const stops = new EpochStops(options);
    this.prepare(data);
    const network = this.network;
    const optimizer = this.buildOptimizer(network);
    const rng = new Rng(this.config.seed);
    const losses: number[] = [];
    let firstEpoch = 0;
    // Hashing every sample takes a moment: only a checkpoint needs to know the run.
    const run = options.checkpointPath ? runIdentity(this.modelName, this.config, data as SampleArray | VideoSet) : undefined;
    const perEpoch = this.itemsPerEpoch(n);
    const stepsPerEpoch = Math.ceil(perEpoch / batchSize);
    let epochsDone = 0;
    const turns = new EventLoopTurns();
    this.threshold = undefined; // of the weights this training replaces; fit fits a new one with contamination > 0
    try {
      if (options.checkpointPath && existsSync(options.checkpointPath)) {
        const resumed = resumeTrainingCheckpoint(options.checkpointPath, { network, optimizer }, run!, this.config.device, epochs);
        firstEpoch = resumed.epochsDone;
        losses.push(...resumed.losses);
        for (let e = 0; e < firstEpoch; e++) shuffledIndices(n, rng); // same shuffles as an uninterrupted run
      }
      epochsDone = firstEpoch;
      for (let epoch = firstEpoch; epoch < epochs; epoch++) {
        const epochStart = performance.now();
        network.train();
        const order = shuffledIndices(n, rng);
        let total = 0;
        for (let step = 0; step < stepsPerEpoch; step++) {
          throwIfAborted(signal, { epoch, step });
          const start = step * batchSize;
          const end = Math.min(perEpoch, start + batchSize);
          const loss = tidy(() => {
            optimizer.zeroGrad();
            const value = this.mixed(() => this.loss(network, this.transform(this.gatherTraining(data, order, start, end))));
            value.backward();
            optimizer.step();
            return value.item();
          });
          if (!Number.isFinite(loss)) throw divergedError(loss, { epoch, step }, this.config.lr, this.badTrainingValue(data, order, start, end));
          total += loss * (end - start);
          options.onStep?.({ epoch, epochs, step, stepsPerEpoch, loss, samples: end - start });
          if (turns.due()) await turns.take(); // let progress output, timers and signals through
        }
        const epochSeconds = (performance.now() - epochStart) / 1000;
        losses.push(total / perEpoch);
        this.lifecycle.markTrained(); // onEpoch may score it (train --validate)
        // Only with an onEpoch to run: a pause without one would let a score() waiting outside in while training goes on.
        if (options.onEpoch) await this.lifecycle.between(() => options.onEpoch!({ epoch, epochs, loss: total / perEpoch, seconds: epochSeconds }));
        this.lifecycle.stopIfDisposed();
        if (options.checkpointPath) writeTrainingCheckpoint(options.checkpointPath, { network, optimizer }, { epochsDone: epoch + 1, losses }, jsonMetadata({ ...options.checkpointMetadata, ...this.metadata() }), run!);
        epochsDone = epoch + 1;
        if (stops.after(epochsDone, epochs, epochStart)) break;
      }
    } finally {
      optimizer.dispose();
    }
    this.lifecycle.markTrained(); // also after epochs: 0, or a resumed run whose epochs were all done
    return { epochs, epochsDone, ...stops.outcome(epochsDone, epochs), losses, resumedFromEpoch: firstEpoch };
  }

  async predict(data: Data): Promise<Uint8Array> {
    this.lifecycle.requireTrained('predict'); // before the threshold: a detector never fitted has none to speak of
    const threshold = usableThreshold(this.modelName, this.threshold);
    return Uint8Array.from(await this.score(data), (s) => (s >= threshold ? 1 : 0));
  }

  fitThreshold(scores: ArrayLike<number>, contamination?: number): number {
    this.threshold = thresholdFromContamination(scores, contaminationFor(this.modelName, contamination, this.config.contamination));
    return this.threshold;
  }

  metadata(): DetectorMetadata {
    return {
      model: this.modelName,
      config: { ...this.config } as Record<string, unknown>,
      version: libraryVersion(),
      threshold: savedThreshold(this.modelName, this.threshold),
      normalization: this.normalization,
    };
  }

  /** Weights plus metadata (model, config, version, threshold, normalisation) in one safetensors file. */
  save(path: string): void {
    this.lifecycle.requireTrained('save');
    saveTensors(path, this.network.stateDict(), jsonMetadata({ ...this.metadata() }));
  }

  /** Restore weights and threshold saved by `save` (the caller built this detector from the saved config). */
  loadWeights(path: string): void {
    this.lifecycle.requireIdle('load weights');
    const loaded = loadWeightsInto(this.network, path, this.config.device);
    this.lifecycle.markTrained();
    // A threshold fitted to the scores of other settings (loadDetector's overrides) would flag by another model's scores.
    this.threshold = thresholdSettingsChanged(loaded.meta('config'), this.config).length > 0 ? undefined : loaded.threshold;
    this.normalization = (loaded.meta('normalization') as Record<string, unknown> | null | undefined) ?? null;
  }

  /** Load trained weights given as a state dict (PyTorch's keys), e.g. the authors' own. */
  loadStateDict(state: Map<string, Tensor>): void {
    this.lifecycle.requireIdle('load weights');
    this.network.loadStateDict(state);
    this.lifecycle.markTrained();
  }

  dispose(): void {
    this.#dropNetwork();
    this.lifecycle.markDisposed();
  }

  #dropNetwork(): void {
    this.#network?.dispose();
    this.#network = undefined;
  }

  /** `using detector = createDetector(...)` (TypeScript 5.2+) disposes it at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }


}
