/**
 * The one contract every detector follows (PyOD's habit): `fit` on normal data, `score` (higher = more
 * anomalous), `predict` through a threshold fitted from a contamination rate or given, `save` / `load`.
 */
import type { Device } from '../tensor/tensor.js';

/** Samples as one float32 array with a shape `(N, ...)`, as the data loaders return them. */
export interface SampleArray {
  x: Float32Array;
  shape: readonly number[];
  /** 1 = anomaly, 0 = normal, where known. */
  labels?: Int32Array | undefined;
}

export interface FitOptions {
  /**
   * Passes over the data; default the configuration's. 0 trains nothing yet counts as fitted, so that the
   * untrained network can be scored on purpose (a baseline, a test); a resumed run whose epochs are all
   * done also trains nothing.
   */
  epochs?: number | undefined;
  /** Samples (clips, windows) per step; default the configuration's. */
  batchSize?: number | undefined;
  /** Called after every step with the running loss; the CLI draws its progress bar from this. */
  onStep?: ((info: StepInfo) => void) | undefined;
  /**
   * Called after every epoch, before its training checkpoint is written; training waits for a returned
   * promise (the CLI scores held-out data here: `train --validate`).
   */
  onEpoch?: ((info: EpochInfo) => void | Promise<void>) | undefined;
  /** Write a training checkpoint here after every epoch (atomically) and resume from it if it exists. */
  checkpointPath?: string | undefined;
  /**
   * More to keep in the training checkpoint's metadata (JSON values), beside what the detector keeps there:
   * the CLI records the command that trains (`command: 'reproduce memae-ped2'`), which `normality info` names.
   */
  checkpointMetadata?: Readonly<Record<string, unknown>> | undefined;
  /**
   * Asked after every epoch, once its checkpoint is written: true ends training there (early stopping, e.g.
   * when a validation metric has stopped improving). The report then says `stoppedEarly`.
   */
  stopEarly?: (() => boolean) | undefined;
  /** Stop early (between steps) when aborted; the last epoch's checkpoint stays. */
  signal?: AbortSignal | undefined;
  /**
   * A time budget in seconds (Lightning's max_time): training stops at the first epoch boundary where
   * the next epoch, as long as the last one, would end past it. Stopping between epochs keeps the
   * checkpoint exact, so a rerun with the same checkpointPath goes on from there.
   */
  maxSeconds?: number | undefined;
  /**
   * Called once training ends, before the training data are scored again to fit the threshold (only with
   * contamination > 0): a pass over all the data, which a progress display should account for.
   */
  beforeThreshold?: ((info: { contamination: number }) => void) | undefined;
}

export interface StepInfo { epoch: number; epochs: number; step: number; stepsPerEpoch: number; loss: number; samples: number }
export interface EpochInfo { epoch: number; epochs: number; loss: number; seconds: number }

export interface FitReport {
  /** The epochs asked for. */
  epochs: number;
  /** The epochs trained so far, counting those of a resumed checkpoint: below `epochs` when the time budget stopped training. */
  epochsDone: number;
  /** True when `maxSeconds` stopped training before `epochs`. */
  stoppedByTime: boolean;
  /** True when `stopEarly` ended training before `epochs`. */
  stoppedEarly: boolean;
  /** Mean training loss of each epoch. */
  losses: number[];
  seconds: number;
  resumedFromEpoch: number;
}

export interface CommonConfig {
  /** Seeds the weights' initialisation and the shuffling: the same seed gives the same model and scores (on one thread count). Default 1. */
  seed: number;
  /** Where the network computes: 'cpu' (default) or 'cuda' / 'cuda:N' with the CUDA build of the addon. */
  device: Device;
  /**
   * Fraction of anomalies expected in the training data, in [0, 0.5]: > 0 makes `fit` score the training data
   * again and set `threshold` so that this fraction lies at or above it (what `predict` uses). Default 0: no
   * threshold (PyOD's default is 0.1; the CLI's `train --contamination` is 0.1).
   */
  contamination: number;
  /** 'bf16': forward passes under autocast (bfloat16 matmuls and convolutions, float32 weights). Default 'fp32'. */
  precision?: Precision;
}

/** The arithmetic of forward passes; 'bf16' is PyTorch's `torch.autocast(dtype=torch.bfloat16)`. */
export type Precision = 'fp32' | 'bf16';

export interface Detector<Data = SampleArray> {
  readonly modelName: string;
  /** The full configuration (defaults filled in), checked and frozen; saved with the weights. Other settings take a new detector. */
  readonly config: object;
  /** Scores at or above this are predicted anomalous. */
  threshold: number | undefined;
  /**
   * Train on normal data. A second call goes on from the weights the first left, with a fresh optimizer
   * (to start over, create a new detector); a `checkpointPath` that exists resumes that run instead.
   */
  fit(data: Data, options?: FitOptions): Promise<FitReport>;
  score(data: Data): Promise<Float64Array>;
  /** 1 = anomaly, 0 = normal, through `threshold`. */
  predict(data: Data): Promise<Uint8Array>;
  /** Set `threshold` so that a fraction `contamination` of `scores` lies at or above it. */
  fitThreshold(scores: ArrayLike<number>, contamination?: number): number;
  save(path: string): void;
  /**
   * Free the native tensors (weights, optimizer state); any later use throws DISPOSED. The garbage collector
   * does not free them: a detector dropped without dispose() (a `loadDetector` per request) keeps its weights
   * until the process ends.
   */
  dispose(): void;
  /** The same as dispose(), for `using`. */
  [Symbol.dispose](): void;
}

/**
 * Where each image departs from normal: one map per image, `(N, H, W)` row-major at the network's input
 * size, higher = more anomalous (`mapsFromBatch` views it as the pixel metrics' input).
 */
export interface AnomalyMaps {
  data: Float32Array;
  shape: [number, number, number];
}

/** A detector of images that can also say where: its anomaly maps. */
export interface LocalizingDetector extends Detector<SampleArray> {
  anomalyMaps(data: SampleArray): Promise<AnomalyMaps>;
}

/**
 * Which features make each row of a table anomalous: one error per feature, `(N, D)` row-major, higher =
 * further from normal; a row's mean is its score.
 */
export interface FeatureErrors {
  data: Float32Array;
  /** (N, D): one error per row and feature, the features in the model's column order. */
  shape: [number, number];
  /** The model's column names in that order, when it was trained on named columns (a table with its columns in another order is scored reordered to these). */
  featureNames?: string[];
}

/** A detector of table rows that can also say which features: its per-feature errors. */
export interface ExplainingDetector extends Detector<SampleArray> {
  featureErrors(data: SampleArray): Promise<FeatureErrors>;
}
