/**
 * Gather batches of clips as float32 in [−1, 1], the input range of MemAE and MNAD,
 * into buffers reused from batch to batch: a returned array is a view that the next
 * call of the same method overwrites.
 *
 * - clips(ids):      (B, C, T, H, W), MemAE's Conv3d input;
 * - prediction(ids): input (B, C·K, H, W), the K input frames stacked along channels
 *                    frame by frame (channel t·C + c, as MNAD concatenates them), and
 *                    target (B, C, H, W), the last frame of each window;
 * - frames(ids):     (B, C, H, W), the first frame of each clip (MNAD reconstruction).
 */
import { described, invalidArgument } from '../../errors.js';
import type { ClipList } from './clips.js';
import { frameBytes } from './frame-format.js';
import type { FrameSource } from './frame-store.js';

/** Byte v → float32(v) / 127.5 − 1, as MNAD computes it; equal to torchvision's (v/255 − 0.5)/0.5 for every byte. */
export const MINUS_ONE_TO_ONE: Float32Array = Float32Array.from({ length: 256 }, (_, v) => Math.fround(Math.fround(v / 127.5) - 1));

export interface ClipBatchOptions {
  /**
   * Channel order of RGB batches. 'bgr' matches the MNAD code, which reads frames with
   * cv2.imread (BGR) — use it with weights trained by that code. Default 'rgb'.
   */
  channelOrder?: 'rgb' | 'bgr';
  /** Byte → value table; default MINUS_ONE_TO_ONE. */
  scale?: Float32Array;
}

export class ClipBatches {
  readonly #source: FrameSource;
  readonly #clips: ClipList;
  readonly #scale: Float32Array;
  readonly #bgr: boolean;
  #bytes = new Uint8Array(0);
  #buffers = new Map<string, Float32Array>();

  constructor(source: FrameSource, clips: ClipList, options: ClipBatchOptions = {}) {
    const order = options.channelOrder ?? 'rgb';
    if (order !== 'rgb' && order !== 'bgr') throw invalidArgument('channelOrder', "'rgb' or 'bgr'", order);
    const scale = options.scale ?? MINUS_ONE_TO_ONE;
    if (!(scale instanceof Float32Array) || scale.length !== 256) throw invalidArgument('scale', 'a Float32Array of 256 values, one per byte', scale);
    for (let i = 0; i < clips.count; i++) {
      const frames = source.frameCounts[clips.video[i]];
      if (frames === undefined || clips.start[i] + clips.length > frames) {
        throw invalidArgument('clips', `clips inside the source's videos (${source.frameCounts.length} videos)`, described(`clip ${i} at frame ${clips.start[i]} of video ${clips.video[i]}`),
          'Build the clip list from this source\'s frameCounts.');
      }
    }
    this.#source = source;
    this.#clips = clips;
    this.#scale = scale;
    this.#bgr = order === 'bgr' && source.format.channels === 3;
  }

  /** (B, C, T, H, W) with T = the clip length. */
  clips(ids: ArrayLike<number>): Float32Array {
    const { channels: C, width, height } = this.#source.format;
    const T = this.#clips.length;
    const plane = width * height;
    const out = this.#buffer('clips', ids.length * C * T * plane);
    for (let b = 0; b < ids.length; b++) {
      const bytes = this.#read(ids, b, 0, T);
      for (let c = 0; c < C; c++) {
        for (let t = 0; t < T; t++) this.#plane(bytes, (t * C + this.#channel(c)) * plane, out, ((b * C + c) * T + t) * plane, plane);
      }
    }
    return out;
  }

  /** Input (B, C·K, H, W) of the first K = length − 1 frames and target (B, C, H, W), the last frame. */
  prediction(ids: ArrayLike<number>): { input: Float32Array; target: Float32Array } {
    const { channels: C, width, height } = this.#source.format;
    const K = this.#clips.length - 1;
    if (K < 1) throw invalidArgument('clips', 'windows of at least 2 frames (inputs and a target)', described(`clips of ${K + 1} frame`), 'Use predictionWindows().');
    const plane = width * height;
    const input = this.#buffer('input', ids.length * C * K * plane);
    const target = this.#buffer('target', ids.length * C * plane);
    for (let b = 0; b < ids.length; b++) {
      const bytes = this.#read(ids, b, 0, K + 1);
      for (let t = 0; t <= K; t++) {
        for (let c = 0; c < C; c++) {
          const from = (t * C + this.#channel(c)) * plane;
          if (t < K) this.#plane(bytes, from, input, ((b * K + t) * C + c) * plane, plane);
          else this.#plane(bytes, from, target, (b * C + c) * plane, plane);
        }
      }
    }
    return { input, target };
  }

  /** (B, C, H, W): the first frame of each clip. */
  frames(ids: ArrayLike<number>): Float32Array {
    const { channels: C, width, height } = this.#source.format;
    const plane = width * height;
    const out = this.#buffer('frames', ids.length * C * plane);
    for (let b = 0; b < ids.length; b++) {
      const bytes = this.#read(ids, b, 0, 1);
      for (let c = 0; c < C; c++) this.#plane(bytes, this.#channel(c) * plane, out, (b * C + c) * plane, plane);
    }
    return out;
  }

  #read(ids: ArrayLike<number>, b: number, offset: number, frames: number): Uint8Array {
    const id = ids[b];
    if (!Number.isInteger(id) || id < 0 || id >= this.#clips.count) throw invalidArgument(`ids[${b}]`, `a clip index in [0, ${this.#clips.count - 1}]`, id);
    const size = frames * frameBytes(this.#source.format);
    if (this.#bytes.length < size) this.#bytes = new Uint8Array(size);
    return this.#source.readFrames(this.#clips.video[id], this.#clips.start[id] + offset, frames, this.#bytes);
  }

  #plane(bytes: Uint8Array, from: number, out: Float32Array, to: number, length: number): void {
    const scale = this.#scale;
    for (let i = 0; i < length; i++) out[to + i] = scale[bytes[from + i]];
  }

  #channel(c: number): number {
    return this.#bgr ? 2 - c : c;
  }

  #buffer(name: string, length: number): Float32Array {
    let buffer = this.#buffers.get(name);
    if (!buffer || buffer.length < length) {
      buffer = new Float32Array(length);
      this.#buffers.set(name, buffer);
    }
    return buffer.subarray(0, length);
  }
}
