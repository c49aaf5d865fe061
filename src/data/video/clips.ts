/**
 * Which frames each training or scoring sample takes, and which frame its score
 * belongs to. A ClipList is two index arrays (video, start): shuffle an order over
 * it with `Rng.permutation(clips.count)` and gather batches with ClipBatches.
 *
 * - MemAE (SPEC §1): clips of 16 consecutive frames, stride 1. The clip starting at
 *   frame s (0-based) covers s … s+15 and is scored on frame s + 8; a video of T
 *   frames gives T − 15 clips scored on frames 8 … T − 8, which is the authors'
 *   `gt[8:-7]` cut of the labels.
 * - MNAD prediction (SPEC §2): windows of 5 frames, 4 inputs and the 5th as target;
 *   the window starting at s is scored on s + 4, so frames 0 … 3 of each video have
 *   no score (MNAD drops the same 4 labels per video).
 * - MNAD reconstruction: single frames, each scored on itself.
 */
import { described, invalidArgument } from '../../errors.js';

export interface ClipList {
  /** Video index of each clip. */
  video: Int32Array;
  /** First frame of each clip (0-based, within its video). */
  start: Int32Array;
  count: number;
  /** Frames per clip. */
  length: number;
  /** A clip's score belongs to frame `start + scoreOffset` of its video. */
  scoreOffset: number;
}

/** All clips of `length` frames every `stride` frames; videos shorter than a clip give none. */
export function slidingClips(frameCounts: ArrayLike<number>, length: number, stride: number, scoreOffset: number): ClipList {
  checkCounts(frameCounts);
  if (!Number.isInteger(length) || length < 1) throw invalidArgument('length', 'a whole number of frames >= 1', length);
  if (!Number.isInteger(stride) || stride < 1) throw invalidArgument('stride', 'a whole number of frames >= 1', stride);
  if (!Number.isInteger(scoreOffset) || scoreOffset < 0 || scoreOffset >= length) {
    throw invalidArgument('scoreOffset', `a frame of the clip, 0 to ${length - 1}`, scoreOffset);
  }
  let count = 0;
  for (let v = 0; v < frameCounts.length; v++) count += clipsIn(frameCounts[v], length, stride);
  if (count === 0) {
    throw invalidArgument('frameCounts', `at least one video with ${length} frames or more`, frameCounts,
      `Every video is shorter than one clip of ${length} frames.`);
  }
  const video = new Int32Array(count);
  const start = new Int32Array(count);
  let i = 0;
  for (let v = 0; v < frameCounts.length; v++) {
    for (let s = 0; s + length <= frameCounts[v]; s += stride, i++) {
      video[i] = v;
      start[i] = s;
    }
  }
  return { video, start, count, length, scoreOffset };
}

/** MemAE clips: `length` (16) consecutive frames, stride 1, scored on the centre frame start + length/2 (start + 8). */
export function memaeClips(frameCounts: ArrayLike<number>, options: { length?: number; stride?: number } = {}): ClipList {
  const length = options.length ?? 16;
  return slidingClips(frameCounts, length, options.stride ?? 1, Math.floor(length / 2));
}

/** MNAD prediction windows: `inputFrames` (4) inputs and the next frame as target, scored on the target. */
export function predictionWindows(frameCounts: ArrayLike<number>, options: { inputFrames?: number } = {}): ClipList {
  const inputs = options.inputFrames ?? 4;
  if (!Number.isInteger(inputs) || inputs < 1) throw invalidArgument('inputFrames', 'a whole number of frames >= 1', inputs);
  return slidingClips(frameCounts, inputs + 1, 1, inputs);
}

/** MNAD reconstruction: every frame on its own, scored on itself. */
export function singleFrames(frameCounts: ArrayLike<number>): ClipList {
  return slidingClips(frameCounts, 1, 1, 0);
}

/** The frame (within its video) that clip `i`'s score belongs to. */
export function scoredFrame(clips: ClipList, i: number): number {
  return clips.start[i] + clips.scoreOffset;
}

/** Scores of one video, on the frames they belong to, in frame order. */
export interface FrameScores {
  frames: Int32Array;
  scores: Float64Array;
}

/**
 * Put clip scores on their frames, per video. `scores[k]` is the score of clip `clipIds[k]`
 * (clip k when `clipIds` is omitted), so scores gathered in any order land in place.
 * `videoCount` videos come back, in order, each with its scored frames sorted.
 */
export function clipScoresToFrames(clips: ClipList, scores: ArrayLike<number>, videoCount: number, clipIds?: ArrayLike<number>): FrameScores[] {
  const idOf = (k: number): number => (clipIds ? clipIds[k] : k);
  if (clipIds && clipIds.length !== scores.length) {
    throw invalidArgument('clipIds', `one clip index per score (${scores.length})`, clipIds);
  }
  const perVideo: { frame: number; score: number }[][] = Array.from({ length: videoCount }, () => []);
  for (let k = 0; k < scores.length; k++) {
    const id = idOf(k);
    if (!Number.isInteger(id) || id < 0 || id >= clips.count) throw invalidArgument(`clipIds[${k}]`, `a clip index in [0, ${clips.count - 1}]`, id);
    const v = clips.video[id];
    if (v >= videoCount) throw invalidArgument('videoCount', `more than ${v} (clip ${id} is in video ${v})`, videoCount);
    perVideo[v].push({ frame: clips.start[id] + clips.scoreOffset, score: scores[k] });
  }
  return perVideo.map((entries, v) => {
    entries.sort((a, b) => a.frame - b.frame);
    for (let i = 1; i < entries.length; i++) {
      if (entries[i].frame === entries[i - 1].frame) {
        throw invalidArgument('scores', 'at most one score per frame', described(`two scores for frame ${entries[i].frame} of video ${v}`), 'Score each clip once.');
      }
    }
    return { frames: Int32Array.from(entries, (e) => e.frame), scores: Float64Array.from(entries, (e) => e.score) };
  });
}

/** The labels of the scored frames, per video: pair them with `FrameScores.scores` for the AUC. */
export function labelsAtFrames(labelsPerVideo: readonly ArrayLike<number>[], scored: readonly FrameScores[]): Uint8Array[] {
  if (labelsPerVideo.length !== scored.length) {
    throw invalidArgument('labelsPerVideo', `one label array per scored video (${scored.length})`, labelsPerVideo);
  }
  return scored.map(({ frames }, v) => {
    const labels = labelsPerVideo[v];
    return Uint8Array.from(frames, (f) => {
      if (f >= labels.length) throw invalidArgument(`labelsPerVideo[${v}]`, `labels for frame ${f}`, labels);
      return labels[f];
    });
  });
}

function clipsIn(frames: number, length: number, stride: number): number {
  return frames < length ? 0 : Math.floor((frames - length) / stride) + 1;
}

function checkCounts(frameCounts: ArrayLike<number>): void {
  if (frameCounts == null || typeof frameCounts.length !== 'number' || frameCounts.length === 0) {
    throw invalidArgument('frameCounts', 'the frame count of each video (at least one)', frameCounts);
  }
  for (let v = 0; v < frameCounts.length; v++) {
    if (!Number.isInteger(frameCounts[v]) || frameCounts[v] < 0) throw invalidArgument(`frameCounts[${v}]`, 'a whole number of frames >= 0', frameCounts[v]);
  }
}
