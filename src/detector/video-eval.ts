/**
 * Evaluating frame scores of test videos (SPEC §4): keep the frames a method scores (MemAE-3D: clip
 * centres, cutting gt[8:-7]; MNAD prediction: all but the first 4), min-max normalise within each video
 * (raw scores only: MNAD's S is built from per-video min-maxes already, and its authors take it as it is),
 * then the micro AUC over all frames concatenated and the mean of the per-video AUCs.
 */
import { NormalityError, invalidArgument } from '../errors.js';
import { meanPerVideoAuc, microAuc, minMaxNormalize } from '../metrics/video.js';
import type { VideoScores, VideoSet } from './video.js';

export interface VideoEvaluationOptions {
  /**
   * Min-max normalise each video's scores before the micro AUC: right for raw errors (MemAE-3D's). Set false
   * for scores normalised within each video already (MNAD's S): a second min-max changes the micro AUC.
   * Default true.
   */
  normalize?: boolean;
}

export interface VideoEvaluation {
  /** AUC over every scored frame of every video, after per-video min-max normalisation (unless normalize: false). */
  microAuc: number;
  /** Mean of the per-video AUCs (videos with a single class are skipped). */
  meanVideoAuc: number;
  videoAucs: number[];
  skippedVideos: number;
  /** Videos too short for the method to score any frame (fewer frames than its clip): left out of both AUCs. */
  unscoredVideos: string[];
  scoredFrames: number;
  totalFrames: number;
  /** Per video: the normalised scores of all frames (NaN where unscored), for plotting; as given with normalize: false. */
  normalized: VideoScores[];
}

export function evaluateVideos(scores: readonly VideoScores[], labels: readonly Uint8Array[], options: VideoEvaluationOptions = {}): VideoEvaluation {
  checkVideoArguments(scores, labels);
  const normalize = options.normalize ?? true;
  if (typeof normalize !== 'boolean') throw invalidArgument('options.normalize', 'true (raw scores) or false (scores normalised within each video already)', normalize);
  if (scores.length !== labels.length) {
    throw new NormalityError('INVALID_ARGUMENT', `evaluating videos: ${scores.length} videos were scored but labels cover ${labels.length}`);
  }
  const keptLabels: Uint8Array[] = [];
  const keptScores: Float64Array[] = [];
  const keptVideos: number[] = [];
  const unscoredVideos: string[] = [];
  const normalized: VideoScores[] = [];
  let scoredFrames = 0;
  let totalFrames = 0;
  scores.forEach((video, v) => {
    const frameLabels = labels[v]!;
    if (frameLabels.length !== video.scores.length) {
      throw new NormalityError('INVALID_ARGUMENT', `video ${video.name}: ${video.scores.length} frame scores but ${frameLabels.length} frame labels`);
    }
    const indices: number[] = [];
    video.scores.forEach((s, i) => { if (!Number.isNaN(s)) indices.push(i); });
    const full = normalize ? normalizeWithinVideo(video.scores) : Float64Array.from(video.scores);
    const values = Float64Array.from(indices, (i) => full[i]!);
    normalized.push({ name: video.name, scores: full });
    totalFrames += video.scores.length;
    if (indices.length === 0) {
      unscoredVideos.push(video.name);
      return;
    }
    keptVideos.push(v);
    keptScores.push(values);
    keptLabels.push(Uint8Array.from(indices, (i) => frameLabels[i]!));
    scoredFrames += indices.length;
  });
  if (keptVideos.length === 0) {
    throw new NormalityError('INVALID_ARGUMENT', `evaluating videos: no frame of any of the ${scores.length} test videos was scored: each is shorter than the model's clip. Test on longer videos.`);
  }
  const singleClassEverywhere = keptLabels.every((l) => l.every((x) => x === l[0]));
  const perVideo = singleClassEverywhere ? undefined : meanPerVideoAuc(keptLabels, keptScores);
  // One AUC per test video, NaN where none is defined (a single class, or no scored frame).
  const videoAucs = new Array<number>(scores.length).fill(NaN);
  keptVideos.forEach((v, k) => (videoAucs[v] = perVideo?.perVideo[k] ?? NaN));
  return {
    microAuc: microAuc(keptLabels, keptScores),
    meanVideoAuc: perVideo?.mean ?? NaN,
    videoAucs,
    skippedVideos: (perVideo?.skipped ?? keptVideos.length) + unscoredVideos.length,
    unscoredVideos,
    scoredFrames,
    totalFrames,
    normalized,
  };
}

const VIDEO_EXAMPLE = "For example: evaluateVideos([{ name: '01', scores: frameScores }], [frameLabels]), one entry per test video, in the same order.";
const isNumbers = (value: unknown) => Array.isArray(value) || ArrayBuffer.isView(value);

/** From plain JavaScript, nothing or the wrong things would fail on `.length` of undefined: say what each argument is. */
function checkVideoArguments(scores: unknown, labels: unknown): void {
  const isVideo = (v: { name?: unknown; scores?: unknown } | null) => typeof v?.name === 'string' && isNumbers(v.scores);
  if (!Array.isArray(scores) || !scores.every(isVideo)) {
    throw invalidArgument('scores', 'an array of { name, scores } per test video (frame scores, NaN where unscored)', scores, VIDEO_EXAMPLE);
  }
  if (!Array.isArray(labels) || !labels.every(isNumbers)) {
    throw invalidArgument('labels', 'an array of frame labels per test video (1 = anomalous frame)', labels, VIDEO_EXAMPLE);
  }
}

/** One video's frame scores min-max normalised over its scored frames; unscored frames (NaN) stay NaN. */
export function normalizeWithinVideo(scores: Float64Array): Float64Array {
  const indices: number[] = [];
  scores.forEach((s, i) => { if (!Number.isNaN(s)) indices.push(i); });
  const full = new Float64Array(scores.length).fill(NaN);
  if (indices.length === 0) return full;
  minMaxNormalize(indices.map((i) => scores[i]!)).forEach((value, j) => (full[indices[j]!] = value));
  return full;
}

/** The concatenated frame scores of a VideoSet (as `detector.score(set)` returns them), one entry per video. */
export function scoresPerVideo(set: VideoSet, scores: Float64Array): VideoScores[] {
  const frames = set.videos.reduce((n, v) => n + v.length, 0);
  if (scores.length !== frames) throw new NormalityError('INVALID_ARGUMENT', `evaluating videos: ${scores.length} frame scores for ${frames} frames`);
  let offset = 0;
  return set.videos.map((video) => {
    const part = scores.subarray(offset, offset + video.length);
    offset += video.length;
    return { name: video.name, scores: part };
  });
}

/** The scored frames of all videos in order (unscored ones, NaN, left out), with their labels when there are some. */
export function scoredFrames(videos: readonly VideoScores[], labels?: readonly Uint8Array[]): { scores: number[]; labels: number[] } {
  const out = { scores: [] as number[], labels: [] as number[] };
  videos.forEach((video, v) => video.scores.forEach((score, frame) => {
    if (Number.isNaN(score)) return;
    out.scores.push(score);
    if (labels) out.labels.push(labels[v]![frame]!);
  }));
  return out;
}

/** A line saying which test videos were too short to score, or '' when every video was scored. */
export function unscoredNote(evaluation: VideoEvaluation): string {
  const names = evaluation.unscoredVideos;
  return names.length === 0 ? '' : `left out of the AUCs: ${names.length} test video${names.length === 1 ? '' : 's'} shorter than the model's clip (${names.join(', ')})`;
}

/** Evaluate the concatenated frame scores of a labelled VideoSet (as `detector.score(set)` returns them). */
export function evaluateVideoSet(set: VideoSet, scores: Float64Array, options: VideoEvaluationOptions = {}): VideoEvaluation {
  if (!set.labels) throw new NormalityError('INVALID_ARGUMENT', 'evaluating videos: the test videos have no frame labels. Put ped2.mat, UCSDped2.m, frame_labels_*.npy or per-video .npy masks beside them.');
  return evaluateVideos(scoresPerVideo(set, scores), set.labels, options);
}

/** The normalised per-frame scores as JSON-friendly arrays (null where a frame has no score), for plotting. */
export function frameScoresForJson(evaluation: VideoEvaluation): { name: string; scores: (number | null)[] }[] {
  return evaluation.normalized.map((v) => ({ name: v.name, scores: Array.from(v.scores, (x) => (Number.isNaN(x) ? null : x)) }));
}
