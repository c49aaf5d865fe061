/**
 * MemAE-3D as a detector over videos (SPEC §1, the authors' video setting): trained on every 16-frame
 * clip (stride 1) of the normal training videos; each test clip is scored by its reconstruction error,
 * which sits on the clip's centre frame (clip starting at frame s → frame s + 8, so the first 8 and last
 * 7 frames of a video have no score, as the authors cut labels gt[8:-7]).
 */
import { checkOptionKeys } from '../../config/option-keys.js';
import { invalidArgument } from '../../errors.js';
import { TorchDetector, type TrainingConfig } from '../../detector/torch-detector.js';
import { concatVideoScores, type FrameVideo, type VideoScores, type VideoSet } from '../../detector/video.js';
import { badValueInClips, checkFrameValues, checkStreamFrame, checkVideoSet, joinFrames, type FrameValues } from '../../detector/video-frames.js';
import type { Module } from '../../nn/module.js';
import { Adam } from '../../optim/adam.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { tensor } from '../../tensor/create.js';
import { noGrad } from '../../tensor/grad-mode.js';
import { tidy } from '../../tensor/memory.js';
import type { Tensor } from '../../tensor/tensor.js';
import { modelVariant, registerModel } from '../registry.js';
import { checkMemoryAndTraining, memaeSettingsInUse, refuseUnusedMemorySettings } from './config.js';
import type { Addressing } from './memory.js';
import { memaeLoss } from './loss.js';
import { clipError } from './score.js';
import { MemAE3DNet } from './video-model.js';

export interface MemAE3DConfig extends TrainingConfig {
  variant: 'memae' | 'nonspar' | 'ae';
  clipLength: number;
  channels: number;
  height: number;
  width: number;
  memorySize: number;
  shrinkThreshold: number;
  entropyWeight: number;
  addressing: Addressing;
  /** Train on at most this many clips per epoch (a seeded random subset; 0 = all). */
  clipsPerEpoch: number;
}

/** The model name of each variant (`memae-video-nonspar` is not registered; the class still builds it). */
const MODEL_NAMES: Record<MemAE3DConfig['variant'], string> = { memae: 'memae-video', nonspar: 'memae-video-nonspar', ae: 'ae-video' };

// A record over every key of MemAE3DConfig, so that a field added to the interface must be listed here.
const KEYS: Record<keyof MemAE3DConfig, true> = {
  seed: true, device: true, contamination: true, precision: true, epochs: true, batchSize: true, lr: true, variant: true, clipLength: true,
  channels: true, height: true, width: true, memorySize: true, shrinkThreshold: true, entropyWeight: true, addressing: true, clipsPerEpoch: true,
};
/** Every key `memae3dConfig` takes; any other is refused. */
export const MEMAE3D_CONFIG_KEYS = Object.keys(KEYS) as (keyof MemAE3DConfig)[];

/** The authors' video memory: 2000 items, λ = 0.0025, entropy weight 0.0002, dot-product addressing. */
const MEMORY_DEFAULTS = { memorySize: 2000, shrinkThreshold: 0.0025, entropyWeight: 0.0002, addressing: 'dot' } as const;

export function memae3dConfig(options: Partial<MemAE3DConfig> = {}): MemAE3DConfig {
  checkOptionKeys(MODEL_NAMES[options.variant ?? 'memae'] ?? 'memae-video', options, MEMAE3D_CONFIG_KEYS);
  const config: MemAE3DConfig = {
    seed: 1, device: 'cpu', contamination: 0, epochs: 100, batchSize: 10, lr: 1e-4, variant: 'memae', clipLength: 16,
    channels: 1, height: 256, width: 256, ...MEMORY_DEFAULTS, clipsPerEpoch: 0,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  for (const key of ['height', 'width'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 16 || config[key] % 16 !== 0) {
      throw invalidArgument(key, 'a positive multiple of 16 (the network halves it four times)', config[key]);
    }
  }
  if (config.clipLength !== 16) throw invalidArgument('clipLength', '16 (the network is built for 16-frame clips)', config.clipLength);
  if (config.channels !== 1 && config.channels !== 3) throw invalidArgument('channels', '1 (gray) or 3 (RGB)', config.channels);
  if (!Number.isInteger(config.clipsPerEpoch) || config.clipsPerEpoch < 0) throw invalidArgument('clipsPerEpoch', 'a non-negative integer (0: every clip)', config.clipsPerEpoch);
  // The AE has no memory, but its memory settings are still kept with it, so they must be valid.
  checkMemoryAndTraining(config);
  refuseUnusedMemorySettings(options, config.variant, MODEL_NAMES[config.variant] ?? 'memae-video', MEMORY_DEFAULTS);
  return config;
}

/** Bytes 0–255 → float32 in [−1, 1] on the tensor's device (float tensors pass through). */
export function toUnitRange(t: Tensor): Tensor {
  if (t.dtype !== 'uint8') return t;
  const scaled = tidy(() => t.to('float32').div(127.5).sub(1));
  t.dispose();
  return scaled;
}

/** Every training clip as (video index, first frame), in order. */
interface ClipIndex {
  data: VideoSet;
  starts: Int32Array;
  videos: Int32Array;
}

export class MemAE3DDetector extends TorchDetector<VideoSet, MemAE3DConfig> {
  readonly modelName: string;
  /** Every training clip's (video, first frame), for the data being trained on; dropped when scoring starts, so as not to hold that data. */
  #clips: ClipIndex | undefined;

  constructor(options: Partial<MemAE3DConfig> = {}) {
    super(memae3dConfig(options));
    this.modelName = MODEL_NAMES[this.config.variant];
  }

  protected buildNetwork(): Module {
    const c = this.config;
    return new MemAE3DNet({ variant: c.variant, memorySize: c.memorySize, shrinkThreshold: c.shrinkThreshold, addressing: c.addressing, channels: c.channels });
  }

  protected buildOptimizer(network: Module): Optimizer {
    return new Adam(network.parameters(), { lr: this.config.lr });
  }

  protected loss(network: Module, batch: Tensor): Tensor {
    return tidy(() => {
      const { reconstruction, attention } = (network as MemAE3DNet).forward(batch);
      return memaeLoss(batch, reconstruction, attention, this.config.variant === 'memae' ? this.config.entropyWeight : 0);
    });
  }

  protected scores(network: Module, batch: Tensor): Tensor {
    return tidy(() => clipError(batch, (network as MemAE3DNet).forward(batch).reconstruction));
  }

  protected trainingItems(data: VideoSet): number {
    checkVideoSet(data, this.config, this.config.clipLength, this.modelName, 'training');
    return this.#indexClips(data).starts.length;
  }

  #indexClips(data: VideoSet): ClipIndex {
    const starts: number[] = [];
    const videos: number[] = [];
    data.videos.forEach((video, v) => {
      for (let s = 0; s + this.config.clipLength <= video.length; s++) {
        starts.push(s);
        videos.push(v);
      }
    });
    this.#clips = { data, starts: Int32Array.from(starts), videos: Int32Array.from(videos) };
    return this.#clips;
  }

  protected override itemsPerEpoch(n: number): number {
    return this.config.clipsPerEpoch > 0 ? Math.min(n, this.config.clipsPerEpoch) : n;
  }

  protected gatherTraining(data: VideoSet, order: Uint32Array, start: number, end: number): Tensor {
    return this.#batch(this.#pickedClips(data, order, start, end));
  }

  protected override badTrainingValue(data: VideoSet, order: Uint32Array, start: number, end: number): string | undefined {
    return badValueInClips(this.#pickedClips(data, order, start, end), this.config.clipLength);
  }

  /** The training clips `order[start..end)` as (video, first frame) pairs. */
  #pickedClips(data: VideoSet, order: Uint32Array, start: number, end: number): (readonly [FrameVideo, number])[] {
    // Scoring between epochs (train --validate) drops the index: build it again.
    const clips = this.#clips?.data === data ? this.#clips : this.#indexClips(data);
    return Array.from(order.subarray(start, end), (i) => [data.videos[clips.videos[i]!]!, clips.starts[i]!] as const);
  }

  /** Clips (B, C, T, H, W) in [−1, 1] from (video, first frame) pairs; frames come as (T, C, H, W). */
  #batch(clips: readonly (readonly [FrameVideo, number])[]): Tensor {
    const { clipLength: T, channels: C, height: H, width: W } = this.config;
    const parts = clips.map(([video, first]) => this.#clipFrames(video, first));
    const clipsFirst = tidy(() => {
      const frames = tensor(joinFrames(parts), { shape: [clips.length, T, C, H, W], device: this.config.device });
      // One channel: (T, 1) and (1, T) lay out alike, so a reshape; three: a copy on the device.
      return C === 1 ? frames.reshape(clips.length, C, T, H, W) : frames.transpose(1, 2).contiguous();
    });
    return toUnitRange(clipsFirst);
  }

  /** The frames of the clip starting at `first`, checked: `frames()` is the caller's code. */
  #clipFrames(video: FrameVideo, first: number): FrameValues {
    const T = this.config.clipLength;
    const values = video.frames(first, T);
    checkFrameValues(values, T, this.config, `video '${video.name}' frames ${first}..${first + T - 1}`);
    return values;
  }

  /** Raw clip errors on each clip's centre frame; NaN where a frame is no clip's centre. */
  async scoreVideos(data: VideoSet): Promise<VideoScores[]> {
    checkVideoSet(data, this.config, this.config.clipLength, this.modelName, 'test');
    this.#clips = undefined;
    this.lifecycle.requireTrained('score videos');
    const network = this.network;
    network.eval();
    const T = this.config.clipLength;
    const centre = T / 2;
    // A turn after every batch of clips: one is slow enough.
    return this.lifecycle.scoring(async (turns) => {
      const result: VideoScores[] = [];
      for (const video of data.videos) {
        const scores = new Float64Array(video.length).fill(NaN);
        const starts = Array.from({ length: Math.max(0, video.length - T + 1) }, (_, s) => s);
        for (let i = 0; i < starts.length; i += this.config.batchSize) {
          const chunk = starts.slice(i, i + this.config.batchSize);
          const errors = noGrad(() => tidy(() => this.mixed(() => this.scores(network, this.#batch(chunk.map((s) => [video, s] as const)))).to('float64').data('float64')));
          chunk.forEach((s, j) => (scores[s + centre] = errors[j]!));
          if (turns.due()) await turns.take();
        }
        result.push({ name: video.name, scores });
      }
      return result;
    }, 1);
  }

  /**
   * Online scoring of one long recording: frames (C, H, W) arrive one by one; each clip's raw error is
   * yielded for its centre frame as soon as the clip is complete (7 frames behind the newest). Only
   * the last 16 frames are held, so a recording of any length streams through. Raw errors are not
   * min-max normalised: that needs the whole video.
   */
  async *scoreStream(frames: AsyncIterable<Float32Array | Uint8Array> | Iterable<Float32Array | Uint8Array>): AsyncGenerator<{ frame: number; score: number }> {
    const T = this.config.clipLength;
    const window: FrameValues[] = [];
    this.lifecycle.requireTrained('score frames');
    const network = this.network;
    network.eval();
    const stream = this.lifecycle.openStream();
    let index = 0;
    try {
      for await (const frame of frames) {
        checkStreamFrame(frame, this.config, index);
        window.push(frame.slice());
        if (window.length > T) window.shift();
        if (window.length === T) {
          const stacked = joinFrames(window);
          const clip: FrameVideo = { name: 'stream', length: T, frames: () => stacked };
          const [score] = noGrad(() => tidy(() => this.mixed(() => this.scores(network, this.#batch([[clip, 0]]))).to('float64').data('float64')));
          yield { frame: index - T + 1 + T / 2, score: score! };
        }
        index++;
        await stream.turn();
      }
    } finally {
      stream.close();
    }
  }

  /** Frame scores of all videos concatenated in order (NaN where unscored). */
  async score(data: VideoSet): Promise<Float64Array> {
    return concatVideoScores(await this.scoreVideos(data));
  }

  override fitThreshold(scores: ArrayLike<number>, contamination?: number): number {
    return super.fitThreshold(Array.from(scores as ArrayLike<number>).filter((s) => !Number.isNaN(s)), contamination);
  }
}

for (const [variant, name, summary] of [
  ['memae', 'memae-video', 'MemAE-3D on 16-frame grayscale clips (Gong et al., ICCV 2019; the authors\' video network)'],
  ['ae', 'ae-video', 'The MemAE-3D encoder and decoder without a memory (baseline)'],
] as const) {
  registerModel({ name, summary, input: 'video', configKeys: MEMAE3D_CONFIG_KEYS, create: (config = {}) => new MemAE3DDetector({ ...config, variant: modelVariant(name, variant, config.variant, (v) => MODEL_NAMES[v as MemAE3DConfig['variant']]) }), settingsInUse: memaeSettingsInUse,
    framesPerItem: (config) => config.clipLength as number });
}
