/**
 * What MNAD's online S (`RunningScore`) is calibrated with, learnt from the training videos' raw scores when
 * fit scores them: the typical spread of PSNR and D within a video, and the threshold of the online S itself.
 * The saved threshold is of the per-video S, whose min and max come from the whole video; a stream's S is
 * another score, so it gets its own threshold, taken the same way (the training frames scored as streams).
 */
import { badFile, described, invalidArgument } from '../../errors.js';
import { checkContamination, thresholdFromContamination } from '../../metrics/percentile.js';
import { RunningScore, type StreamSpreads } from './score.js';

export interface StreamCalibration {
  spreads: StreamSpreads;
  /** The online S at or above which a frame is flagged; null when fit had no contamination to take it from. */
  threshold: number | null;
}

interface RawVideoScores {
  psnr: ArrayLike<number>;
  distance: ArrayLike<number>;
}

/** The median over the videos of each one's spread (max − min) of PSNR and of D; videos with fewer than 2 scored frames are left out. */
export function typicalSpreads(videos: readonly RawVideoScores[]): StreamSpreads {
  const spreadsOf = (key: keyof RawVideoScores) => videos.flatMap((video) => {
    // A loop, not Math.max(...values): an hour of training video is 90,000 frames, too many arguments for a call.
    let [min, max, scored] = [Infinity, -Infinity, 0];
    for (const v of Array.from(video[key])) {
      if (Number.isNaN(v)) continue;
      [min, max, scored] = [Math.min(min, v), Math.max(max, v), scored + 1];
    }
    return scored < 2 ? [] : [max - min];
  });
  return { psnr: median(spreadsOf('psnr')), distance: median(spreadsOf('distance')) };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = values.sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The calibration from the training videos' raw scores (`scoreVideos` on the training data): their typical
 * spreads, and with contamination > 0 the threshold above which that fraction of their frames' online S lies,
 * each video scored as a stream of its own.
 */
export function calibrateStream(videos: readonly RawVideoScores[], lambda: number, contamination: number): StreamCalibration {
  if (contamination !== 0) checkContamination(contamination);
  const spreads = typicalSpreads(videos);
  if (contamination === 0) return { spreads, threshold: null };
  const online = videos.flatMap((video) => {
    const running = new RunningScore(lambda, spreads);
    return Array.from(video.psnr, (psnr, i) => running.next(psnr, video.distance[i]!)).filter((s) => !Number.isNaN(s));
  });
  if (online.length === 0) {
    throw invalidArgument('videos', 'normal videos with frames to score (prediction scores a video from its 5th frame on)', described(`${videos.length} video${videos.length === 1 ? '' : 's'} without a scored frame`), 'Calibrate with longer videos.');
  }
  return { spreads, threshold: thresholdFromContamination(online, contamination) };
}

/** The calibration as saved in a checkpoint's metadata ('stream'), checked; undefined where it has none (saved before calibration, or never calibrated). */
export function savedStreamCalibration(value: unknown, path: string): StreamCalibration | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value as { spreads?: { psnr?: unknown; distance?: unknown }; threshold?: unknown };
  const spread = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  const threshold = v.threshold;
  if (typeof v !== 'object' || !spread(v.spreads?.psnr) || !spread(v.spreads?.distance) || !(threshold === null || (typeof threshold === 'number' && Number.isFinite(threshold)))) {
    throw badFile(path, `its metadata 'stream' is ${JSON.stringify(value)}, not { spreads: { psnr, distance } (numbers ≥ 0), threshold (a number or null) }`,
      'The file is damaged or was not written by normality: train again.');
  }
  return { spreads: { psnr: v.spreads!.psnr as number, distance: v.spreads!.distance as number }, threshold: threshold as number | null };
}
