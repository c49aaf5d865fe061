/**
 * Frame-level evaluation of video anomaly detection (SPEC §4): scores are
 * min-max normalised within each test video, then either pooled over all frames
 * of all videos (micro AUC, what MemAE and MNAD report) or scored per video and
 * averaged (the per-video mean AUC).
 */
import { invalidArgument } from '../errors.js';
import { splitByClass } from './class-split.js';
import { rocAucOfSplit } from './roc.js';
import { checkAllFinite, checkLabelledScores, checkNumberArray } from './validate.js';

/** (v − min) / (max − min). A constant input gives zeros rather than NaN. */
export function minMaxNormalize(values: ArrayLike<number>): Float64Array {
  checkNumberArray('values', values);
  checkAllFinite('values', values);
  return normalizeRange(values, 0, values.length);
}

/**
 * Min-max normalise each video's stretch of `scores` on its own. `videoLengths`
 * gives the frames of each video in order and must add up to `scores.length`.
 */
export function perVideoMinMax(scores: ArrayLike<number>, videoLengths: ArrayLike<number>): Float64Array {
  checkNumberArray('scores', scores);
  checkNumberArray('videoLengths', videoLengths);
  checkAllFinite('scores', scores);
  let total = 0;
  for (let v = 0; v < videoLengths.length; v++) {
    const length = videoLengths[v];
    if (!Number.isInteger(length) || length < 0) {
      throw invalidArgument(`videoLengths[${v}]`, 'a whole number of frames >= 0', length);
    }
    total += length;
  }
  if (total !== scores.length) {
    throw invalidArgument('videoLengths', `lengths that add up to scores.length (${scores.length})`, videoLengths,
      `They add up to ${total}: give the number of scored frames of every video, in the order of scores.`);
  }
  const result = new Float64Array(scores.length);
  let start = 0;
  for (let v = 0; v < videoLengths.length; v++) {
    result.set(normalizeRange(scores, start, start + videoLengths[v]), start);
    start += videoLengths[v];
  }
  return result;
}

/**
 * Micro AUC: ROC AUC over the frames of all videos concatenated. It does not
 * normalise: pass scores through `perVideoMinMax` (or `minMaxNormalize` per video) first.
 */
export function microAuc(labelsPerVideo: readonly ArrayLike<number>[], scoresPerVideo: readonly ArrayLike<number>[]): number {
  checkVideos(labelsPerVideo, scoresPerVideo);
  const total = labelsPerVideo.reduce((sum, labels) => sum + labels.length, 0);
  const labels = new Uint8Array(total);
  const scores = new Float64Array(total);
  let offset = 0;
  for (let v = 0; v < labelsPerVideo.length; v++) {
    const videoLabels = labelsPerVideo[v];
    const videoScores = scoresPerVideo[v];
    // Checked per video so that an error names the video and the frame.
    checkLabelledScores(`labelsPerVideo[${v}]`, videoLabels, `scoresPerVideo[${v}]`, videoScores);
    for (let i = 0; i < videoLabels.length; i++) {
      labels[offset + i] = videoLabels[i];
      scores[offset + i] = videoScores[i];
    }
    offset += videoLabels.length;
  }
  return rocAucOfSplit(splitByClass(labels, scores), 'microAuc', 'labelsPerVideo');
}

export interface PerVideoAuc {
  /** Mean of the per-video AUCs over the videos that have both classes. */
  readonly mean: number;
  /** AUC of each video; NaN where the video was skipped. */
  readonly perVideo: Float64Array;
  /** How many videos were skipped because their frames are all normal or all anomalous. */
  readonly skipped: number;
  /** Indices of the skipped videos. */
  readonly skippedVideos: number[];
}

/** ROC AUC of each video on its own, averaged; videos with a single class are skipped and reported. */
export function meanPerVideoAuc(labelsPerVideo: readonly ArrayLike<number>[], scoresPerVideo: readonly ArrayLike<number>[]): PerVideoAuc {
  checkVideos(labelsPerVideo, scoresPerVideo);
  const perVideo = new Float64Array(labelsPerVideo.length).fill(NaN);
  const skippedVideos: number[] = [];
  let sum = 0;
  for (let v = 0; v < labelsPerVideo.length; v++) {
    const split = splitByClass(labelsPerVideo[v], scoresPerVideo[v], `labelsPerVideo[${v}]`, `scoresPerVideo[${v}]`);
    if (split.positives.length === 0 || split.negatives.length === 0) {
      skippedVideos.push(v);
      continue;
    }
    perVideo[v] = rocAucOfSplit(split, 'meanPerVideoAuc', `labelsPerVideo[${v}]`);
    sum += perVideo[v];
  }
  const evaluated = labelsPerVideo.length - skippedVideos.length;
  if (evaluated === 0) {
    throw invalidArgument('labelsPerVideo', 'at least one video with both normal (0) and anomalous (1) frames', labelsPerVideo,
      'Every video has a single class, so no per-video AUC is defined; report the micro AUC instead.');
  }
  return { mean: sum / evaluated, perVideo, skipped: skippedVideos.length, skippedVideos };
}

function checkVideos(labelsPerVideo: readonly ArrayLike<number>[], scoresPerVideo: readonly ArrayLike<number>[]): void {
  if (!Array.isArray(labelsPerVideo)) throw invalidArgument('labelsPerVideo', 'an array with one label array per video', labelsPerVideo);
  if (!Array.isArray(scoresPerVideo)) throw invalidArgument('scoresPerVideo', 'an array with one score array per video', scoresPerVideo);
  if (labelsPerVideo.length === 0) throw invalidArgument('labelsPerVideo', 'at least one video', labelsPerVideo);
  if (scoresPerVideo.length !== labelsPerVideo.length) {
    throw invalidArgument('scoresPerVideo', `one score array per video (${labelsPerVideo.length}, as labelsPerVideo)`, scoresPerVideo);
  }
}

/** Min-max normalise values[start, end) into a new array. */
function normalizeRange(values: ArrayLike<number>, start: number, end: number): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const range = max - min;
  const result = new Float64Array(end - start);
  if (range > 0) {
    for (let i = start; i < end; i++) result[i - start] = (values[i] - min) / range;
  }
  return result;
}
