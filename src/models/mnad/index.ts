/**
 * MNAD (Park, Noh, Ham, CVPR 2020) as a detector over videos, registered as `mnad-pred` (future-frame
 * prediction) and `mnad-recon` (reconstruction). See README.md for the options and the deviations.
 *
 *   const detector = new MnadDetector({ variant: 'pred', height: 256, width: 256 });
 *   await detector.fit(trainVideos);
 *   const perVideo = await detector.scoreVideos(testVideos);   // S per frame, NaN for the first 4
 */
import { jsonMetadata } from '../../checkpoint/safetensors.js';
import { saveTensors } from '../../checkpoint/tensors.js';
import type { Detector, FitOptions, FitReport } from '../../detector/types.js';
import { concatVideoScores, type VideoScores, type VideoSet } from '../../detector/video.js';
import { thresholdFromContamination } from '../../metrics/percentile.js';
import { libraryVersion } from '../../report/version.js';
import { Lifecycle } from '../../detector/lifecycle.js';
import { contaminationFor, savedThreshold, thresholdSettingsChanged, usableThreshold } from '../../detector/threshold.js';
import type { Tensor } from '../../tensor/tensor.js';
import { manualSeed } from '../../tensor/runtime.js';
import { loadWeightsInto } from '../../detector/weights.js';
import { modelVariant, registerModel } from '../registry.js';
import { MNAD_CONFIG_KEYS, mnadConfig, type MnadConfig, type MnadVariant } from './config.js';
import { MnadNet } from './model.js';
import { combineScores, RunningScore } from './score.js';
import { calibrateStream, savedStreamCalibration, type StreamCalibration } from './stream-calibration.js';
import { TestTimeScorer, type FrameScore } from './scorer.js';
import { trainMnad } from './train.js';
import { runIdentity } from '../../detector/run-identity.js';
import { gatherWindows, windowLength, windowTensors } from './windows.js';
import { checkFitOptions, divergenceOf } from '../../detector/training-run.js';
import { frozenConfig } from '../../detector/training-settings.js';
import { checkStreamFrame, checkVideoSet, joinFrames, type FrameValues } from '../../detector/video-frames.js';

export { mnadConfig, inputFrames, type MnadConfig, type MnadVariant, type UpdateNormalization, type FeatureLossReduction } from './config.js';
export { MnadNet, MnadEncoder, MnadDecoder, type MnadOutput } from './model.js';
export { MemoryItems, queriesOf, readMemory, readFeatureMap, updateMemory, compactnessLoss, separatenessLoss, featureDistance } from './memory.js';
export { mnadLoss } from './loss.js';
export { combineScores, frameMse, psnr, regularScore, RunningScore, type StreamSpreads } from './score.js';
export { calibrateStream, typicalSpreads, type StreamCalibration } from './stream-calibration.js';
export { TestTimeScorer, type FrameScore } from './scorer.js';

/** One video's scores: S per frame (NaN where none) and the raw scores it combines. */
export interface MnadVideoScores extends VideoScores {
  psnr: Float64Array;
  distance: Float64Array;
  /** 1 where the frame updated the test-time memory. */
  updated: Uint8Array;
}

/** One frame of `scoreStream`: its index in the stream, its anomaly score and its raw scores (NaN for prediction's first 4 frames). */
export interface StreamFrameScore extends FrameScore {
  frame: number;
  /** S with the min-max over the frames scored so far, calibrated by the training videos (see `RunningScore`); higher = more anomalous. */
  score: number;
}


export class MnadDetector implements Detector<VideoSet> {
  readonly modelName: string;
  readonly config: Readonly<MnadConfig>;
  threshold: number | undefined;
  /**
   * What `scoreStream`'s S is calibrated with: the training videos' typical spreads of PSNR and D and the threshold
   * of the online S. Fit sets it when it scores the training videos (contamination > 0); `calibrateStream` sets it from
   * any normal videos. Undefined: a stream's first frames are scored against one another alone.
   */
  streamCalibration: StreamCalibration | undefined;
  /**
   * The saved values of the settings that shape S (or the contamination) this detector was loaded with others in
   * place of (`loadDetector` overrides). The saved thresholds were fitted under the saved values, so they are dropped.
   */
  get rescoredSettings(): Readonly<Partial<MnadConfig>> {
    return this.#rescored;
  }
  #rescored: Partial<MnadConfig> = {};
  #network: MnadNet | undefined;
  /** Refuses scoring and saving before training, and any use after dispose(). */
  readonly #lifecycle = new Lifecycle(() => this.modelName);

  constructor(options: Partial<MnadConfig> = {}) {
    this.config = frozenConfig(mnadConfig(options));
    this.modelName = `mnad-${this.config.variant}`;
  }

  /** The network, built on first use from the seed (weights and the memory's initial items). */
  get network(): MnadNet {
    this.#lifecycle.requireAlive('use its network');
    if (!this.#network) {
      const c = this.config;
      manualSeed(c.seed);
      this.#network = new MnadNet({ variant: c.variant, channels: c.channels, featureDim: c.featureDim, memorySize: c.memorySize });
      this.#network.to(c.device);
    }
    return this.#network;
  }

  async fit(data: VideoSet, options: FitOptions = {}): Promise<FitReport> {
    checkFitOptions(this.modelName, options);
    checkVideoSet(data, this.config, windowLength(this.config.variant), this.modelName, 'training');
    const signal = this.#lifecycle.fitSignal(options.signal);
    const onEpoch: FitOptions['onEpoch'] = async (info) => {
      this.#lifecycle.markTrained(); // onEpoch may score it (train --validate)
      if (options.onEpoch) await this.#lifecycle.between(() => options.onEpoch!(info));
      this.#lifecycle.stopIfDisposed();
    };
    const report = await this.#lifecycle.training(() => {
      // Of the weights this training replaces: fit fits new ones with contamination > 0.
      this.threshold = undefined;
      this.streamCalibration = undefined;
      return trainMnad(this.network, data, this.config, { ...options, onEpoch, signal }, { ...jsonMetadata({ ...options.checkpointMetadata }), ...this.#metadata() }, () => runIdentity(this.modelName, this.config, data));
    }).catch((error: unknown) => {
      // Non-finite weights are nothing to go on from: the next fit starts from the seed's fresh ones.
      if (divergenceOf(error) !== undefined) this.#dropNetwork();
      throw error;
    });
    this.#lifecycle.markTrained();
    if (this.config.contamination > 0) {
      options.beforeThreshold?.({ contamination: this.config.contamination });
      const videos = await this.scoreVideos(data);
      this.fitThreshold(concatVideoScores(videos), this.config.contamination);
      this.streamCalibration = calibrateStream(videos, this.config.scoreWeight, this.config.contamination);
    }
    return report;
  }

  /**
   * Per video, in order: S = λ (1 − g(PSNR)) + (1 − λ) g(D) per frame, g the min-max within the video, NaN
   * where a frame has no score. The test-time memory starts from the trained items and carries across
   * the videos; the detector's own memory is left unchanged.
   */
  async scoreVideos(data: VideoSet): Promise<MnadVideoScores[]> {
    checkVideoSet(data, this.config, windowLength(this.config.variant), this.modelName, 'test');
    this.#lifecycle.requireTrained('score videos');
    const network = this.network;
    network.eval();
    const scorer = new TestTimeScorer(network, this.config);
    const length = windowLength(this.config.variant);
    const offset = length - 1; // a window is scored on its last frame
    const batchSize = this.config.testUpdate ? 1 : this.config.batchSize;
    const result: MnadVideoScores[] = [];
    return this.#lifecycle.scoring(async (turns) => {
      try {
        for (const [v, video] of data.videos.entries()) {
          const psnrs = new Float64Array(video.length).fill(NaN);
          const distances = new Float64Array(video.length).fill(NaN);
          const updated = new Uint8Array(video.length);
          const windows = Math.max(0, video.length - length + 1);
          for (let first = 0; first < windows; first += batchSize) {
            const picks = Array.from({ length: Math.min(batchSize, windows - first) }, (_, i) => [v, first + i] as const);
            const { input, target } = gatherWindows(data, picks, this.config);
            try {
              scorer.score(input, target).forEach((s, i) => {
                psnrs[first + i + offset] = s.psnr;
                distances[first + i + offset] = s.distance;
                updated[first + i + offset] = s.updated ? 1 : 0;
              });
            } finally {
              input.dispose();
              target.dispose();
            }
            if (turns.due()) await turns.take();
          }
          result.push({ name: video.name, scores: combineScores(psnrs, distances, this.config.scoreWeight), psnr: psnrs, distance: distances, updated });
        }
      } finally {
        scorer.dispose();
      }
      return result;
    });
  }

  /**
   * Frame scores of all videos concatenated in order (NaN where a frame has no score). They are normalised
   * within each video already: evaluate them with `evaluateVideoSet(set, scores, { normalize: false })`, as
   * `videoEvaluationOptions('mnad-pred')` says (a second min-max would change the micro AUC).
   */
  async score(data: VideoSet): Promise<Float64Array> {
    return concatVideoScores(await this.scoreVideos(data));
  }

  /**
   * Score a live stream of frames, each (C, H, W) float32 in [−1, 1] or bytes 0–255, as they arrive: yields each frame's
   * raw PSNR and feature distance D (NaN for prediction's first 4 frames) and updates a private copy of
   * the memory on frames it judges normal. Only the last 4 frames are held, so recordings of any length
   * fit. The paper's anomaly score S takes the min and max over a whole video; `score` takes them over the
   * frames so far, so it is known at once, and divides by at least the spreads that `streamCalibration` holds,
   * so that the first frames are not scored against one another alone (see `RunningScore`); flag frames through
   * `streamThreshold`. For the paper's S, collect the raw scores and pass them to
   * `combineScores(psnr, distance, config.scoreWeight)`.
   */
  async *scoreStream(frames: AsyncIterable<FrameValues> | Iterable<FrameValues>): AsyncGenerator<StreamFrameScore> {
    this.#lifecycle.requireTrained('score frames');
    const network = this.network;
    network.eval();
    const stream = this.#lifecycle.openStream();
    const scorer = new TestTimeScorer(network, this.config);
    const running = new RunningScore(this.config.scoreWeight, this.streamCalibration?.spreads);
    const history = windowLength(this.config.variant) - 1; // frames held: 4 (pred) or 0 (recon)
    const recent: FrameValues[] = [];
    let index = 0;
    try {
      for await (const frame of frames) {
        checkStreamFrame(frame, this.config, index);
        const copy = frame.slice(); // the caller may reuse its buffer
        if (recent.length < history) {
          recent.push(copy);
          yield { frame: index++, score: NaN, psnr: NaN, distance: NaN, regularScore: NaN, updated: false };
          continue;
        }
        const { input, target } = windowTensors(joinFrames([...recent, copy]), 1, this.config);
        let raw: FrameScore;
        try {
          raw = scorer.score(input, target)[0]!;
        } finally {
          input.dispose();
          target.dispose();
        }
        if (history > 0) {
          recent.shift();
          recent.push(copy);
        }
        yield { frame: index++, score: running.next(raw.psnr, raw.distance), ...raw };
        await stream.turn();
      }
    } finally {
      scorer.dispose();
      stream.close();
    }
  }

  /**
   * Calibrate `scoreStream` from normal videos, as fit does with contamination > 0: their typical spreads of PSNR
   * and D, and with `contamination` > 0 the threshold of the online S (`streamThreshold`).
   */
  async calibrateStream(normalVideos: VideoSet, contamination = this.config.contamination): Promise<StreamCalibration> {
    this.streamCalibration = calibrateStream(await this.scoreVideos(normalVideos), this.config.scoreWeight, contamination);
    return this.streamCalibration;
  }

  /**
   * The threshold of `scoreStream`'s S, from its calibration. Undefined without one (the saved `threshold` is of
   * the per-video S, another score): no frame is flagged.
   */
  get streamThreshold(): number | undefined {
    return this.streamCalibration?.threshold ?? undefined;
  }

  async predict(data: VideoSet): Promise<Uint8Array> {
    this.#lifecycle.requireTrained('predict'); // before the threshold: a detector never fitted has none to speak of
    const threshold = usableThreshold(this.modelName, this.threshold);
    return Uint8Array.from(await this.score(data), (s) => (s >= threshold ? 1 : 0));
  }

  /** The threshold above which a fraction `contamination` of the scored frames lies (NaN frames are left out). */
  fitThreshold(scores: ArrayLike<number>, contamination?: number): number {
    this.threshold = thresholdFromContamination(Array.from(scores).filter((s) => !Number.isNaN(s)), contaminationFor(this.modelName, contamination, this.config.contamination));
    return this.threshold;
  }

  #metadata(): Record<string, string> {
    return jsonMetadata({ model: this.modelName, config: { ...this.config }, version: libraryVersion(), threshold: savedThreshold(this.modelName, this.threshold), normalization: null, stream: this.streamCalibration ?? null });
  }

  /** Weights, BatchNorm statistics and the memory items (`memory.items`) plus metadata in one safetensors file. */
  save(path: string): void {
    this.#lifecycle.requireTrained('save');
    saveTensors(path, this.network.stateDict(), this.#metadata());
  }

  /** Restore what `save` wrote (the caller built this detector from the saved config). Strict. */
  loadWeights(path: string): void {
    this.#lifecycle.requireIdle('load weights');
    const loaded = loadWeightsInto(this.network, path, this.config.device);
    this.threshold = loaded.threshold;
    this.streamCalibration = savedStreamCalibration(loaded.meta('stream'), path);
    // A threshold of S under other scoring settings (or another contamination) would flag the wrong frames. The spreads are of PSNR and D and stay.
    const saved = (loaded.meta('config') ?? {}) as Partial<MnadConfig>;
    const rescored = thresholdSettingsChanged(saved, this.config) as (keyof MnadConfig)[];
    this.#rescored = Object.fromEntries(rescored.map((key) => [key, saved[key]]));
    if (rescored.length > 0) {
      this.threshold = undefined;
      if (this.streamCalibration) this.streamCalibration = { ...this.streamCalibration, threshold: null };
    }
    this.#lifecycle.markTrained();
  }

  /** Load trained weights given as a state dict (PyTorch's keys, the memory items at `memory.items`), e.g. the authors' own. */
  loadStateDict(state: Map<string, Tensor>): void {
    this.#lifecycle.requireIdle('load weights');
    this.network.loadStateDict(state);
    this.#lifecycle.markTrained();
  }

  dispose(): void {
    this.#dropNetwork();
    this.#lifecycle.markDisposed();
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

const SUMMARIES: Record<MnadVariant, string> = {
  pred: 'MNAD prediction: 4 frames predict the 5th through a memory of normal prototypes updated at test time (Park et al., CVPR 2020)',
  recon: 'MNAD reconstruction: one frame reconstructed through a memory of normal prototypes updated at test time (Park et al., CVPR 2020)',
};

for (const variant of ['pred', 'recon'] as const) {
  registerModel({ name: `mnad-${variant}`, summary: SUMMARIES[variant], input: 'video', configKeys: MNAD_CONFIG_KEYS, create: (config = {}) => new MnadDetector({ ...config, variant: modelVariant(`mnad-${variant}`, variant, config.variant, (v) => `mnad-${v}`) }),
    framesPerItem: () => windowLength(variant), scoresNormalizedPerVideo: true });
}
