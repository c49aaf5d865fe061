/**
 * Preprocessed frames of a set of videos, read as (count, C, H, W) bytes. Frames of
 * one video are stored one after another, so a clip is one contiguous read.
 *
 * CachedFrames reads from the cache files (cache.ts) with positioned reads, so a
 * dataset larger than memory still trains (the OS keeps hot files in its page
 * cache); `preload()` reads them all into memory when they fit. MemoryFrames holds
 * arrays given by the caller (tests, frames from a video file).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { badFile, described, invalidArgument } from '../../errors.js';
import type { CachedVideo } from './cache.js';
import { checkFrameFormat, frameBytes, type FrameFormat } from './frame-format.js';

export interface FrameSource {
  readonly format: FrameFormat;
  /** Frames of each video, in video order. */
  readonly frameCounts: readonly number[];
  /**
   * Frames [start, start + count) of video `video` as (count, C, H, W) bytes, written into `out`
   * when given (at its start), else into a new array (or a read-only view of frames held in memory).
   */
  readFrames(video: number, start: number, count: number, out?: Uint8Array): Uint8Array;
}

export class CachedFrames implements FrameSource {
  readonly format: FrameFormat;
  readonly frameCounts: readonly number[];
  readonly #videos: readonly CachedVideo[];
  #memory: Uint8Array[] | undefined;

  constructor(videos: readonly CachedVideo[], format: FrameFormat) {
    checkFrameFormat(format);
    this.format = format;
    this.#videos = videos;
    this.frameCounts = videos.map((v) => v.frameCount);
  }

  /** Read every video into memory (Ped2 at 256x256 gray: 300 MB), so later reads copy from memory. */
  preload(): this {
    this.#memory ??= this.#videos.map((v, i) => this.#readFile(i, 0, v.frameCount, new Uint8Array(v.frameCount * frameBytes(this.format))));
    return this;
  }

  readFrames(video: number, start: number, count: number, out?: Uint8Array): Uint8Array {
    const size = frameBytes(this.format);
    const target = checkRead(this.frameCounts, video, start, count, size, out);
    if (this.#memory) {
      const view = this.#memory[video].subarray(start * size, (start + count) * size);
      if (!target) return view;
      target.set(view);
      return target.subarray(0, count * size);
    }
    return this.#readFile(video, start, count, target ?? new Uint8Array(count * size));
  }

  #readFile(video: number, start: number, count: number, out: Uint8Array): Uint8Array {
    const { file, dataOffset } = this.#videos[video];
    const size = frameBytes(this.format);
    const length = count * size;
    const fd = openSync(file, 'r');
    try {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, dataOffset + start * size + done);
        if (n === 0) throw badFile(file, `ends before frame ${start + count} of ${this.#videos[video].name}`, 'The cache file is truncated: delete it and load the dataset again.');
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return out.subarray(0, length);
  }
}

export class MemoryFrames implements FrameSource {
  readonly format: FrameFormat;
  readonly frameCounts: readonly number[];
  readonly #videos: readonly Uint8Array[];

  /** `videos[v]` holds the (T, C, H, W) bytes of video v. */
  constructor(videos: readonly Uint8Array[], format: FrameFormat) {
    checkFrameFormat(format);
    const size = frameBytes(format);
    videos.forEach((bytes, v) => {
      if (!(bytes instanceof Uint8Array) || bytes.length % size !== 0) {
        throw invalidArgument(`videos[${v}]`, `a Uint8Array of whole (C, H, W) frames (a multiple of ${size} bytes)`, bytes);
      }
    });
    this.format = format;
    this.#videos = videos;
    this.frameCounts = videos.map((bytes) => bytes.length / size);
  }

  readFrames(video: number, start: number, count: number, out?: Uint8Array): Uint8Array {
    const size = frameBytes(this.format);
    const target = checkRead(this.frameCounts, video, start, count, size, out);
    const view = this.#videos[video].subarray(start * size, (start + count) * size);
    if (!target) return view;
    target.set(view);
    return target.subarray(0, count * size);
  }
}

function checkRead(counts: readonly number[], video: number, start: number, count: number, size: number, out?: Uint8Array): Uint8Array | undefined {
  if (!Number.isInteger(video) || video < 0 || video >= counts.length) {
    throw invalidArgument('video', `a video index in [0, ${counts.length - 1}]`, video);
  }
  const frames = counts[video];
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > frames) {
    throw invalidArgument('start, count', `a range of frames inside video ${video} (${frames} frames)`, described(`frames [${start}, ${start + count})`));
  }
  if (out !== undefined && (!(out instanceof Uint8Array) || out.length < count * size)) {
    throw invalidArgument('out', `a Uint8Array of at least ${count * size} bytes`, out);
  }
  return out;
}
