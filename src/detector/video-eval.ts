/**
 * Evaluating frame scores of test videos (SPEC §4): keep the frames a method scores (MemAE-3D: clip
 * centres, cutting gt[8:-7]; MNAD prediction: all but the first 4), min-max normalise within each video,
 * then the micro AUC over all frames concatenated and the mean of the per-video AUCs.
 */
import { NormalityError } from '../errors.js';
import { meanPerVideoAuc, microAuc, minMaxNormalize } from '../metrics/video.js';
import type { VideoScores, VideoSet } from './video.js';

export interface VideoEvaluation {
  /** AUC over every scored frame of every video, after per-video min-max normalisation. */
  microAuc: number;
  /** Mean of the per-video AUCs (videos with a single class are skipped). */
  meanVideoAuc: number;
  videoAucs: number[];
  skippedVideos: number;
  scoredFrames: number;
  totalFrames: number;
  /** Per video: the normalised scores of all frames (NaN where unscored), for plotting. */
  normalized: VideoScores[];
}

export function evaluateVideos(scores: readonly VideoScores[], labels: readonly Uint8Array[]): VideoEvaluation {
  if (scores.length !== labels.length) {
    throw new NormalityError('INVALID_ARGUMENT', `evaluating videos: ${scores.length} videos were scored but labels cover ${labels.length}`);
  }
  const keptLabels: Uint8Array[] = [];
  const keptScores: Float64Array[] = [];
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
    const values = minMaxNormalize(indices.map((i) => video.scores[i]!));
    const full = new Float64Array(video.scores.length).fill(NaN);
    indices.forEach((frame, j) => (full[frame] = values[j]!));
    normalized.push({ name: video.name, scores: full });
    keptScores.push(values);
    keptLabels.push(Uint8Array.from(indices, (i) => frameLabels[i]!));
    scoredFrames += indices.length;
    totalFrames += video.scores.length;
  });
  const singleClassEverywhere = keptLabels.every((l) => l.every((x) => x === l[0]));
  const perVideo = singleClassEverywhere ? undefined : meanPerVideoAuc(keptLabels, keptScores);
  return {
    microAuc: microAuc(keptLabels, keptScores),
    meanVideoAuc: perVideo?.mean ?? NaN,
    videoAucs: Array.from(perVideo?.perVideo ?? []),
    skippedVideos: perVideo?.skipped ?? scores.length,
    scoredFrames,
    totalFrames,
    normalized,
  };
}

/** Evaluate the concatenated frame scores of a labelled VideoSet (as `detector.score(set)` returns them). */
export function evaluateVideoSet(set: VideoSet, scores: Float64Array): VideoEvaluation {
  if (!set.labels) throw new NormalityError('INVALID_ARGUMENT', 'evaluating videos: the test videos have no frame labels. Put ped2.mat, UCSDped2.m, frame_labels_*.npy or per-video .npy masks beside them.');
  const frames = set.videos.reduce((n, v) => n + v.length, 0);
  if (scores.length !== frames) throw new NormalityError('INVALID_ARGUMENT', `evaluating videos: ${scores.length} frame scores for ${frames} frames`);
  let offset = 0;
  const perVideo = set.videos.map((video) => {
    const part = scores.subarray(offset, offset + video.length);
    offset += video.length;
    return { name: video.name, scores: part };
  });
  return evaluateVideos(perVideo, set.labels);
}

/** The normalised per-frame scores as JSON-friendly arrays (null where a frame has no score), for plotting. */
export function frameScoresForJson(evaluation: VideoEvaluation): { name: string; scores: (number | null)[] }[] {
  return evaluation.normalized.map((v) => ({ name: v.name, scores: Array.from(v.scores, (x) => (Number.isNaN(x) ? null : x)) }));
}
